"""Content problems: every one names the file, the field, what is wrong and the fix."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import PipelineError


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the project root, e.g. "content/blog/botox-myths.md"
    field: str  # dotted, e.g. "cover.alt"; "front matter" for the file as a whole
    message: str  # what is wrong
    fix: str  # how to fix it
    line: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.path}:{self.field}: {self.message} — {self.fix}{where}"


class ContentError(PipelineError):
    """One or more content files are invalid; the build stops before writing anything."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.field, p.message))
        super().__init__(self._render())

    def _render(self) -> str:
        count = len(self.problems)
        head = f"{count} content problem{'s' if count != 1 else ''} stopped the build:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])

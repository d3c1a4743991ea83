"""Content problems: every one names the file, the field, what is wrong and the fix.

One build keeps one :class:`Problems` log. Every stage that finds a content problem (the
reader, the site-wide checks, the images, the gallery, the forms in Markdown, the firewall
over the written pages) adds its :class:`Problem`s to it and lets the build carry on with
what is sound, so one run reports everything at once, sorted by file and line. A stage that
cannot carry on raises a ``PipelineError`` carrying ``.problems``; the build runner merges
those with the log. Problems of a draft are warnings: listed, never fatal, and the draft is
left out of the site until they are fixed.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
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


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once, sorted by file, then line, then field."""
    return sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.field, p.message, p.fix))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def advisories_text(advisories: list[Problem]) -> str:
    """Findings that do not stop this build (the claims check without --strict), as tasks list them."""
    head = f"{_plural(len(advisories), 'warning')} (they do not stop this build; `--strict` and the public build stop on the errors among them):"
    return "\n".join([head, *(f"  {p}" for p in in_order(advisories))])


def warnings_text(warnings: list[Problem]) -> str:
    """The drafts' problems, as ``inv build`` and ``inv check`` list them."""
    head = (
        f"{_plural(len(warnings), 'problem')} in drafts (warnings: those drafts stay off the site "
        "until they are fixed):"
    )
    return "\n".join([head, *(f"  {p}" for p in in_order(warnings))])


class ContentError(PipelineError):
    """One or more published content files are invalid; the build stops and nothing is replaced."""

    def __init__(
        self, problems: Iterable[Problem], warnings: Iterable[Problem] = (), notes: Iterable[str] = ()
    ):
        self.problems = in_order(problems)
        self.warnings = in_order(warnings)
        self.notes = list(notes)
        super().__init__(self._render())

    def _render(self) -> str:
        lines = [f"{_plural(len(self.problems), 'content problem')} stopped the build:"]
        lines += [f"  {p}" for p in self.problems]
        lines += [f"  {note}" for note in self.notes]
        if self.warnings:
            lines += [warnings_text(self.warnings)]
        return "\n".join(lines)


class Problems:
    """Every problem one build finds, whichever stage finds it."""

    def __init__(self) -> None:
        self._found: set[Problem] = set()
        self.drafts: set[str] = set()  # files whose status is draft: their problems are warnings
        self._advised: set[Problem] = set()  # listed after the build; never stop it, never withhold a page

    def add(self, problems: Iterable[Problem]) -> None:
        self._found.update(problems)

    def advise(self, problems: Iterable[Problem]) -> None:
        """Findings to list without stopping the build (e.g. the claims check without --strict)."""
        self._advised.update(problems)

    @property
    def advisories(self) -> list[Problem]:
        return in_order(self._advised)

    def __bool__(self) -> bool:
        return bool(self._found)

    @property
    def errors(self) -> list[Problem]:
        return in_order(p for p in self._found if p.path not in self.drafts)

    @property
    def warnings(self) -> list[Problem]:
        return in_order(p for p in self._found if p.path in self.drafts)

    def files(self) -> set[str]:
        """The files with any problem: none of them is put on the site."""
        return {p.path for p in self._found}

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors, self.warnings)

    def stopped_by(self, exc: PipelineError) -> PipelineError:
        """What to report when a stage raised ``exc``: its problems together with everything else found."""
        raised = getattr(exc, "problems", None)
        if raised is None:
            return ContentError(self.errors, self.warnings, [str(exc)]) if self.errors else exc
        if not self._found:
            return exc  # only that stage's problems: its own message says it best
        # The stage could not finish, so its problems stop the build even when they are a draft's.
        return ContentError([*self.errors, *raised], [p for p in self.warnings if p not in raised])


BUILD_KEY = "BUILD_PROBLEMS"


def problems_of(settings: MutableMapping) -> Problems:
    """The problem log of the build these settings belong to (Pelican gives each run one settings dict)."""
    log = settings.get(BUILD_KEY)
    if log is None:
        log = settings[BUILD_KEY] = Problems()
    return log

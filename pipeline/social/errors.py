"""Social-export problems: each names the content file (or setting), the field, the rule and the fix."""

from __future__ import annotations

from pipeline.content.errors import Problem
from pipeline.errors import PipelineError


class SocialError(PipelineError):
    """One or more posts break a platform rule or a settings value is wrong; nothing is written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.field, p.message))
        count = len(self.problems)
        head = f"{count} social-post problem{'s' if count != 1 else ''} stopped the export (nothing was written):"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))

    @classmethod
    def setting(cls, key: str, what: str, fix: str) -> SocialError:
        return cls([Problem("settings", key, what, fix + " (in pelicanconf.py)")])

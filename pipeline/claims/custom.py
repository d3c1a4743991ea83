"""The practice's own rules, ``content/claims.yml``: phrases to avoid and phrases staff may use.

```yaml
rules:
  - id: botox-party                  # letters, digits and dashes; not a built-in rule's id
    phrase: botox party              # words, matched whole, any case, across line breaks ...
    # pattern: "\\bbotox (?:party|parties)\\b"   # ... or a regular expression (Python syntax)
    severity: error                  # error (stops a --strict build) or warning
    why: Group injection events are not offered; the medical board asks for a consultation first.
    suggestion: "invite people to a consultation: 'Book a consultation for Botox'"
approved_phrases:                    # wording the staff briefs list as safe to use
  - text: Results typically last three to four months.
    procedures: [botox]              # optional: only in those procedures' briefs
```

A custom rule is matched like the built-in phrases: not when negated, quoted as a mention or in a
patient's question.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from pipeline.claims import rules as builtin
from pipeline.claims.document import Document
from pipeline.claims.facts import Facts
from pipeline.content import models
from pipeline.content.errors import Problem
from pipeline.content.frontmatter import Parsed, load_yaml, read_text


def _pattern(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(
            f"is not a regular expression Python can read ({exc}) — fix it, or use phrase: instead"
        ) from None
    return value


def _not_builtin(value: str) -> str:
    if value in builtin.BY_ID:
        raise ValueError(f"'{value}' is a built-in rule's id — choose another id")
    return value


class CustomRule(models.Model):
    id: Annotated[models.Id, AfterValidator(_not_builtin)] = models.example("botox-party")
    phrase: models.Text | None = models.example("botox party", default=None)
    pattern: Annotated[str, AfterValidator(_pattern)] | None = models.example(
        r"\bbotox part(?:y|ies)\b", default=None
    )
    severity: Literal["error", "warning"] = models.example("error")
    why: models.Text = models.example("We do not offer group injection events.")
    suggestion: models.Text = models.example("Book a consultation for Botox")

    @model_validator(mode="after")
    def _one_match(self):
        if bool(self.phrase) == bool(self.pattern):
            raise models.problem(
                "phrase",
                "and pattern: give one of them — phrase: for words, pattern: for a regular expression",
            )
        return self


class Approved(models.Model):
    text: models.Text = models.example("Results typically last three to four months.")
    procedures: list[models.Id] = models.example(["botox"], default_factory=list)


class ClaimsFile(models.Model):
    rules: list[CustomRule] = Field(default_factory=list)
    approved_phrases: list[Approved] = Field(default_factory=list)


def _compiled(rule: CustomRule) -> re.Pattern:
    if rule.pattern:
        return re.compile(rule.pattern, re.IGNORECASE)
    words = rule.phrase.split()
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE)


def as_rule(rule: CustomRule) -> builtin.Rule:
    pattern = _compiled(rule)

    def find(doc: Document, facts: Facts):
        return builtin._hits(doc, pattern)

    return builtin.Rule(
        rule.id,
        f"'{rule.phrase or rule.pattern}' (the practice's rule)",
        rule.severity,
        rule.why,
        rule.suggestion,
        find,
        builtin=False,
    )


def parse(parsed: Parsed, path: str) -> tuple[ClaimsFile | None, list[Problem]]:
    from pipeline.content.types import ContentType
    from pipeline.content.validate import parse as validate

    ctype = ContentType("claims", "claims file", "", ClaimsFile, pelican="data")
    entry = validate(ctype, parsed, path, "claims")
    problems = list(entry.problems)
    record = entry.record
    if record is not None:
        seen: dict[str, int] = {}
        for index, rule in enumerate(record.rules):
            if rule.id in seen:
                problems.append(
                    Problem(
                        path,
                        f"rules.{index}.id",
                        f"'{rule.id}' is used twice",
                        "give each rule its own id",
                        parsed.line_of(f"rules.{index}.id"),
                    )
                )
            seen[rule.id] = index
    return (record if not problems else None), problems


def load(path, shown: str) -> tuple[ClaimsFile, list[Problem]]:
    """Read content/claims.yml (the I/O edge); a missing file means no rules of the practice's own."""
    from pathlib import Path

    if not Path(path).is_file():
        return ClaimsFile(), []
    text, problems = read_text(path, shown)
    if text is None:
        return ClaimsFile(), problems
    if not text.strip():
        return ClaimsFile(), []
    parsed = load_yaml(text.lstrip("\ufeff"), shown)
    if parsed.problems:
        return ClaimsFile(), parsed.problems
    record, problems = parse(parsed, shown)
    return record or ClaimsFile(), problems

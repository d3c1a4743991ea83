"""Run every claims rule over every document; accept what the coordinator justified; grade reading.

:func:`check` returns plain :class:`Finding`s; :func:`problems` turns them into the build's
problems (errors with ``--strict`` for the rules whose severity is error, warnings otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from pipeline.claims import readability
from pipeline.claims.document import Document
from pipeline.claims.facts import Facts, key
from pipeline.claims.rules import ERROR, RULES, WARNING, Rule
from pipeline.claims.text import readable_text
from pipeline.content.errors import Problem

READABILITY = "readability"
ACCEPTANCE = "claims-accepted"
READABILITY_WHY = (
    "Patient materials are recommended at a 6th to 8th grade reading level (NIH / National Library of "
    "Medicine, 'How to Write Easy-to-Read Health Materials'; AMA Foundation, 'Health Literacy and Patient "
    "Safety: Help Patients Understand'). Shorter sentences and everyday words lower the grade."
)


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    rule: str
    where: str
    words: str  # what matched
    text: str  # the whole sentence
    message: str
    why: str
    suggestion: str
    severity: str = ERROR
    draft: bool = False
    accepted: str = ""  # the written justification, when the coordinator accepted it

    def problem(self) -> Problem:
        detail = f": {self.message}" if self.message else ""
        return Problem(
            self.path,
            self.where,
            f"claims check, rule {self.rule} — \u201c{self.words}\u201d{detail}",
            f"{self.suggestion} (or keep it: add it to claims_accepted with your reason)",
            self.line or None,
        )


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)  # accepted ones included (``accepted`` set)
    grades: list[readability.Grade] = field(default_factory=list)

    @property
    def open(self) -> list[Finding]:
        return [f for f in self.findings if not f.accepted]

    @property
    def accepted(self) -> list[Finding]:
        return [f for f in self.findings if f.accepted]


def _accept(findings: list[Finding], doc: Document) -> list[Finding]:
    out, used = [], set()
    for finding in findings:
        match = next(
            (
                (index, a)
                for index, a in enumerate(doc.accepted)
                if a.rule == finding.rule and key(a.text) and key(a.text) in key(finding.text)
            ),
            None,
        )
        if match is not None:
            used.add(match[0])
            finding = replace(finding, accepted=match[1].why)
        out.append(finding)
    for index, acceptance in enumerate(doc.accepted):
        if index not in used:
            out.append(
                Finding(
                    doc.path,
                    acceptance.line or 0,
                    ACCEPTANCE,
                    f"claims_accepted.{index}",
                    acceptance.text,
                    acceptance.text,
                    f"accepts nothing: no '{acceptance.rule}' finding in this file contains this text",
                    "An acceptance that no longer matches would silently accept a future claim.",
                    "remove it, or correct its rule and text to the finding's",
                    WARNING,
                    doc.draft,
                )
            )
    return out


def check_document(
    doc: Document, facts: Facts, rules: Sequence[Rule] = RULES, extra: Iterable[Finding] = ()
) -> list[Finding]:
    """The findings of one document (with ``extra`` ones found elsewhere), acceptances applied."""
    found: dict[tuple, Finding] = {}
    for finding in extra:
        found[(finding.line, finding.rule, finding.where, finding.words, finding.message)] = finding
    for rule in rules:
        for hit in rule.find(doc, facts):
            finding = Finding(
                doc.path,
                hit.line or 0,
                rule.id,
                hit.sentence.where,
                hit.words or hit.sentence.plain,
                hit.sentence.plain,
                hit.message or rule.title,
                rule.why,
                hit.suggestion or rule.suggestion,
                rule.severity,
                doc.draft,
            )
            found.setdefault(
                (finding.line, finding.rule, finding.where, finding.words, finding.message), finding
            )
    return _accept(sorted(found.values()), doc)


def grade_document(doc: Document, cache: readability.GradeCache | None = None) -> readability.Grade:
    return readability.grade(doc.path, readable_text(list(doc.sentences)), cache)


def readability_finding(doc: Document, grade: readability.Grade) -> Finding | None:
    """Procedure pages above grade 9 get a warning."""
    if doc.kind != "procedure" or grade.grade is None or grade.grade <= readability.LIMIT:
        return None
    return Finding(
        doc.path,
        next((s.line for s in doc.sentences if s.where == "body" and s.line), 1) or 1,
        READABILITY,
        "body",
        f"reading grade {grade.grade:g}",
        f"{grade.words} words in {grade.sentences} sentences",
        f"reads at grade {grade.grade:g}; patient pages should read at grade {readability.TARGET}",
        READABILITY_WHY,
        "shorten long sentences and use everyday words (e.g. 'redness' for 'erythema')",
        WARNING,
        doc.draft,
    )


def check(
    documents: Iterable[Document],
    facts: Facts,
    rules: Sequence[Rule] = RULES,
    cache: readability.GradeCache | None = None,
    grade: bool = True,
) -> Result:
    result = Result()
    for doc in documents:
        if not (doc.patient_facing or doc.kind == "testimonials"):
            continue
        extra = []
        if grade and doc.patient_facing and doc.kind != "case":
            marks = grade_document(doc, cache)
            result.grades.append(marks)
            extra = [f for f in (readability_finding(doc, marks),) if f is not None]
        result.findings += check_document(doc, facts, rules, extra)
    result.findings = sorted(set(result.findings))
    result.grades.sort(key=lambda g: g.path)
    return result


def problems(result: Result, strict: bool) -> tuple[list[Problem], list[Problem]]:
    """(problems for the build's log, advisories to list): with ``strict`` an open finding of a rule
    whose severity is error is a problem (it stops the build; a draft's stays a warning)."""
    blocking, advisory = [], []
    for finding in result.open:
        (blocking if strict and finding.severity == ERROR else advisory).append(finding.problem())
    return blocking, advisory

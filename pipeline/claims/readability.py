"""Reading grade of patient-facing pages (textstat's Flesch-Kincaid grade level).

Patient materials are recommended at a 6th to 8th grade reading level: NIH / National Library of
Medicine, "How to Write Easy-to-Read Health Materials" (MedlinePlus: 7th to 8th grade or lower),
and the AMA Foundation's *Health Literacy and Patient Safety: Help Patients Understand* (no higher
than 6th grade). A procedure page above grade 9 gets a warning; every page's grade is in the
``inv claims`` report.

textstat loads the CMU pronouncing dictionary (about 1.5 s) the first time it counts syllables, so
grades are kept in a small cache keyed by the text and textstat's version: a build whose pages did
not change never loads it. The grade is a pure function of the text, so the cache never changes
what a build says.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

LIMIT = 9.0  # procedure pages above this grade get a warning
TARGET = "6-8"
MIN_WORDS = 30  # fewer words give no meaningful grade


@dataclass(frozen=True)
class Grade:
    path: str
    grade: float | None  # None: too short to grade
    words: int
    sentences: int


def _measure(text: str) -> tuple[float, int, int]:
    import textstat

    return (
        round(float(textstat.flesch_kincaid_grade(text)), 1),
        int(textstat.lexicon_count(text)),
        int(textstat.sentence_count(text)),
    )


class GradeCache:
    """Grades by text digest, read from and written to one JSON file (or memory only)."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else None
        self.stamp = f"textstat {version('textstat')}"
        self._grades: dict[str, list] = {}
        self._dirty = False
        if self.path and self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            if data.get("stamp") == self.stamp:
                self._grades = data.get("grades", {})

    def measure(self, text: str) -> tuple[float, int, int]:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest not in self._grades:
            self._grades[digest] = list(_measure(text))
            self._dirty = True
        grade, words, sentences = self._grades[digest]
        return grade, words, sentences

    def save(self) -> None:
        if not (self.path and self._dirty):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps({"stamp": self.stamp, "grades": self._grades}, sort_keys=True), encoding="utf-8"
        )
        os.replace(temporary, self.path)
        self._dirty = False


def grade(path: str, text: str, cache: GradeCache | None = None) -> Grade:
    """The reading grade of ``text`` (None when it is too short to grade)."""
    words = len(text.split())
    if words < MIN_WORDS:
        return Grade(path, None, words, 0)
    value, counted, sentences = (cache or GradeCache()).measure(text)
    return Grade(path, value, counted, sentences)

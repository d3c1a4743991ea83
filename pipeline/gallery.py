"""Before/after gallery rules, as pure functions on plain values.

- :func:`find_dates`: every calendar date finer than a year in a case's raw text. Safe Harbor
  counts "all elements of dates (except year)" as identifiers (REFERENCE.md, "Photos and
  privacy"), so a gallery says "12 weeks after treatment", never "14 March 2026".
- :func:`parse_duration`: "12 weeks", "6 months" -> the normalised relative duration.
- :func:`photo_problem`: what is wrong with a photo's ``src`` (it must be a file of the case's folder).
- :func:`facets` and :func:`area_slug`: the filters of the gallery index and its per-procedure /
  per-area pages.
- Labels and phrases the pages show (:func:`pair_labels`, :func:`sessions_text`, ...).

Nothing here reads settings or files; ``plugins/gallery`` does the I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# -- calendar dates ------------------------------------------------------------------------

_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?-i:May)|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    # 2026-03-14, 2026/3/14, 2026.03.14
    ("ymd", re.compile(r"(?<!\d)(?<!\d\.)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d|\.\d)")),
    # 14/03/2026, 3-14-26, 14.03.2026 (the same separator twice)
    ("dmy", re.compile(r"(?<!\d)(?<!\d\.)(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d|\.\d)")),
    # 2026-03, 2026/03 (a year and a month)
    ("ym", re.compile(r"(?<![\d.-])(\d{4})[-/](0[1-9]|1[0-2])(?![\d/-]|\.\d)")),
    # 03/2026
    ("my", re.compile(r"(?<![\d./-])(0?[1-9]|1[0-2])/(\d{4})(?![\d/])")),
    # March 14, Mar. 14th, March 14, 2026
    (
        "month-day",
        re.compile(
            rf"\b(?:{_MONTH})\.?\s+\d{{1,2}}{_ORDINAL}(?:,?\s+\d{{4}})?\b(?!\s*(?:day|week|month|year|session|unit|ml|cc|syringe|%))",
            re.I,
        ),
    ),
    # 14 March, 3rd of May
    ("day-month", re.compile(rf"\b\d{{1,2}}{_ORDINAL}\s+(?:of\s+)?(?:{_MONTH})\b", re.I)),
    # March 2026, March, 2026
    ("month-year", re.compile(rf"\b(?:{_MONTH})\.?,?\s+(?:of\s+)?\d{{4}}\b", re.I)),
    # spring 2026
    ("season-year", re.compile(r"\b(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?\d{4}\b", re.I)),
)


@dataclass(frozen=True)
class DateHit:
    line: int  # 1-based
    text: str  # what was found, as written


def _plausible(kind: str, match: re.Match) -> bool:
    if kind == "ymd":
        return 1 <= int(match[3]) <= 12 and 1 <= int(match[4]) <= 31
    if kind == "dmy":
        a, b = int(match[1]), int(match[3])
        return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= a <= 31 and 1 <= b <= 12)
    return True


def find_dates(text: str, *, skip: Iterable[str] = ()) -> list[DateHit]:
    """Every date finer than a year in ``text``, by line, in order. A year alone ("2026") is fine.

    ``skip`` holds exact strings to ignore (e.g. the case's consent id, an opaque code).
    """
    skipped = [s for s in skip if s]
    hits: list[DateHit] = []
    for number, line in enumerate(text.splitlines(), start=1):
        for item in skipped:
            line = line.replace(item, " " * len(item))
        spans: list[tuple[int, int]] = []
        for kind, pattern in _DATE_PATTERNS:
            for match in pattern.finditer(line):
                if not _plausible(kind, match):
                    continue
                if any(start < match.end() and match.start() < end for start, end in spans):
                    continue  # already reported as part of a longer date
                spans.append(match.span())
        hits.extend(DateHit(number, line[start:end]) for start, end in sorted(spans))
    return hits


DATE_FIX = (
    "remove it: a gallery case says how long after treatment a photo was taken (time_since_treatment: 12 weeks), "
    "never a calendar date, because dates finer than the year identify patients (HIPAA Safe Harbor)"
)

# -- relative durations --------------------------------------------------------------------

_DURATION = re.compile(r"^(\d{1,3})\s*(day|week|month|year)s?$", re.I)
DURATION_EXAMPLE = "12 weeks"


def parse_duration(text: str) -> str | None:
    """ "12 Weeks" -> "12 weeks", "1 months" -> "1 month"; None when it is not a relative duration."""
    match = _DURATION.match(str(text).strip())
    if not match or int(match[1]) == 0:
        return None
    count, unit = int(match[1]), match[2].lower()
    return f"{count} {unit}{'' if count == 1 else 's'}"


# -- photos --------------------------------------------------------------------------------

PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")


def photo_problem(src: str) -> str | None:
    """Why ``src`` cannot be a case photo ("what — fix"), or None. Photos sit in the case's own folder."""
    if "/" in src or "\\" in src or src in (".", ".."):
        return (
            f"'{src}' is not a file name in the case's folder — put the photo next to case.yml "
            "and write just its file name, e.g. front-before.jpg"
        )
    if not src.lower().endswith(PHOTO_EXTENSIONS):
        return (
            f"'{src}' is not a photo file — use a JPEG, PNG, WebP or HEIC file "
            f"({', '.join(PHOTO_EXTENSIONS)})"
        )
    return None


# -- words on the pages --------------------------------------------------------------------


def sessions_text(count: int) -> str:
    return f"{count} session{'' if count == 1 else 's'}"


def after_text(duration: str) -> str:
    """ "12 weeks" -> "12 weeks after treatment"."""
    return f"{duration} after treatment"


def pair_labels(view: str | None, duration: str) -> tuple[str, str]:
    """The before and after labels of a pair: ("Front — before", "Front — 12 weeks after")."""
    before, after = "Before", f"{duration} after"
    if view:
        return f"{view} — {before.lower()}", f"{view} — {after}"
    return before, after[:1].upper() + after[1:]


def area_slug(area: str) -> str:
    """ "Crow's feet" -> "crows-feet": the body area's part of a gallery URL."""
    text = unicodedata.normalize("NFKD", area).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "area"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """What the filters need to know about one published case."""

    id: str
    procedure: str  # procedure id
    procedure_title: str
    body_areas: tuple[str, ...]
    age_range: str
    sessions: int


@dataclass(frozen=True)
class Option:
    value: str  # what the filter matches (an id, an area slug, "40-49", "3")
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    procedures: tuple[Option, ...]
    areas: tuple[Option, ...]
    ages: tuple[Option, ...]
    sessions: tuple[Option, ...]


def _age_key(value: str) -> int:
    return int(re.match(r"\d+", value)[0]) if re.match(r"\d+", value) else 999


def facets(cases: Sequence[Summary]) -> Facets:
    """The filter options of a set of cases, each with how many cases it matches, in a stable order."""
    procedures: dict[str, list] = {}
    areas: dict[str, list] = {}
    ages: dict[str, int] = {}
    sessions: dict[int, int] = {}
    for case in cases:
        procedures.setdefault(case.procedure, [case.procedure_title, 0])[1] += 1
        for area in dict.fromkeys(area_slug(a) for a in case.body_areas):
            label = next(a for a in case.body_areas if area_slug(a) == area)
            areas.setdefault(area, [capitalised(label), 0])[1] += 1
        ages[case.age_range] = ages.get(case.age_range, 0) + 1
        sessions[case.sessions] = sessions.get(case.sessions, 0) + 1
    return Facets(
        procedures=tuple(
            Option(k, v[0], v[1])
            for k, v in sorted(procedures.items(), key=lambda kv: (kv[1][0].lower(), kv[0]))
        ),
        areas=tuple(
            Option(k, v[0], v[1]) for k, v in sorted(areas.items(), key=lambda kv: (kv[1][0].lower(), kv[0]))
        ),
        ages=tuple(
            Option(k, k.replace("-", "–"), n) for k, n in sorted(ages.items(), key=lambda kv: _age_key(kv[0]))
        ),
        sessions=tuple(Option(str(k), sessions_text(k), n) for k, n in sorted(sessions.items())),
    )


def in_area(case: Summary, slug: str) -> bool:
    return any(area_slug(a) == slug for a in case.body_areas)

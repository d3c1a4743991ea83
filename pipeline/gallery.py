"""Before/after gallery rules, as pure functions on plain values.

- :func:`find_dates`: every calendar date finer than a year in a case's raw text. Safe Harbor
  (45 CFR 164.514(b)(2)) counts "all elements of dates (except year)" as identifiers, so a
  gallery says "12 weeks after treatment", never "14 March 2026".
- :func:`find_people`: people's names in every text and file name of a case (titles,
  possessives, first names; see ``pipeline.names``).
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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from pipeline.names import NameHit, find_names, find_names_in_file_name

# Dates in every form they are written in (shared with the publish guard's date-of-birth check).
from pipeline.text_dates import DateHit, find_dates  # noqa: F401 - the gallery's date rule

# -- names ---------------------------------------------------------------------------------


def case_texts(data: dict, folder: str) -> Iterator[tuple[str, str, bool]]:
    """Every text a case publishes or names a file with: (field, text, is a file name).

    ``data`` is the case.yml as read (before validation, so a case that fails another rule is
    still checked); the folder is the case's id and address.
    """
    yield "folder name", folder, True
    for key in ("title", "description"):
        if isinstance(data.get(key), str):
            yield key, data[key], False
    areas = data.get("body_areas")
    for index, area in enumerate(areas if isinstance(areas, list) else []):
        if isinstance(area, str):
            yield f"body_areas.{index}", area, False
    pairs = data.get("pairs")
    for index, pair in enumerate(pairs if isinstance(pairs, list) else []):
        if not isinstance(pair, dict):
            continue
        if isinstance(pair.get("view"), str):
            yield f"pairs.{index}.view", pair["view"], False
        for role in ("before", "after"):
            photo = pair.get(role)
            if not isinstance(photo, dict):
                continue
            for key in ("alt", "label", "src"):
                if isinstance(photo.get(key), str):
                    yield f"pairs.{index}.{role}.{key}", photo[key], key == "src"


def find_people(data: dict, folder: str, allowed: Iterable[str] = ()) -> list[tuple[str, NameHit]]:
    """(field, name) for every person's name in a case's texts and file names."""
    allowed = tuple(allowed)
    found = []
    for field, text, is_file in case_texts(data, folder):
        hits = find_names_in_file_name(text, allowed) if is_file else find_names(text, allowed)
        found.extend((field, hit) for hit in hits)
    return found


NAME_FIX = (
    "remove it: a gallery case never names anyone (the patient, a relative, the provider: the provider "
    "field already links the case to who treated it); for a file or folder, rename it (e.g. "
    "front-before.jpg). If the word is not a name here, write it in lower case or rephrase"
)

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

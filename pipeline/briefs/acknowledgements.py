"""Who has read which brief: ``data/staff/acknowledgements.csv`` and ``data/staff/staff.csv``.

One row per acknowledgement: ``staff_id,brief_id,brief_version,date``. The version is the 12 hex
digits printed on the brief ("version b6d31307a881"); a brief whose content changed has a new
version, so an older acknowledgement no longer counts and that person has to read it again.
Staff ids are team members' ids (``content/team/``) and the ids in ``staff.csv`` (``id,name,role``,
for the front desk and others who are not on the website).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.content.errors import Problem

HEADER = ("staff_id", "brief_id", "brief_version", "date")
STAFF_HEADER = ("id", "name", "role")
VERSION = re.compile(r"^[0-9a-f]{12}$")


@dataclass(frozen=True)
class Acknowledgement:
    staff_id: str
    brief_id: str
    version: str
    date: dt.date
    line: int


def _rows(text: str, path: str, header: tuple[str, ...]) -> tuple[list[tuple[int, dict]], list[Problem]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    names = [n.strip() for n in reader.fieldnames or []]
    missing = [h for h in header if h not in names]
    if missing:
        return [], [
            Problem(
                path,
                "header",
                f"column {', '.join(missing)} is missing",
                f"make the first line: {','.join(header)}",
                1,
            )
        ]
    rows = []
    for row in reader:
        clean = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if any(clean.values()):
            rows.append((reader.line_num, clean))
    return rows, []


def read_staff(text: str, path: str) -> tuple[dict[str, str], list[Problem]]:
    rows, problems = _rows(text, path, STAFF_HEADER)
    staff: dict[str, str] = {}
    for line, row in rows:
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", row["id"]):
            problems.append(
                Problem(path, "id", f"'{row['id']}' is not an id", "write it like maya-front-desk", line)
            )
            continue
        staff[row["id"]] = row["name"] or row["id"]
    return staff, problems


def read(
    text: str, path: str, staff: set[str], briefs: set[str], today: dt.date
) -> tuple[list[Acknowledgement], list[Problem]]:
    rows, problems = _rows(text, path, HEADER)
    out = []
    for line, row in rows:
        wrong = []
        if row["staff_id"] not in staff:
            wrong.append(
                (
                    "staff_id",
                    f"'{row['staff_id']}' is not a team member or in data/staff/staff.csv",
                    "use a team member's id (content/team/) or add the person to data/staff/staff.csv",
                )
            )
        if row["brief_id"] not in briefs:
            wrong.append(
                (
                    "brief_id",
                    f"'{row['brief_id']}' is not a procedure or device",
                    "use the brief's id, as in internal/briefs/<id>/",
                )
            )
        if not VERSION.match(row["brief_version"]):
            wrong.append(
                (
                    "brief_version",
                    f"'{row['brief_version']}' is not a brief version",
                    "copy the 12 characters after 'version' at the top of the brief",
                )
            )
        try:
            day = dt.date.fromisoformat(row["date"])
            if day > today:
                wrong.append(("date", f"{day} is in the future", "write the day it was read"))
        except ValueError:
            wrong.append(("date", f"'{row['date']}' is not a date", "write it as YYYY-MM-DD"))
            day = None
        problems += [Problem(path, column, message, fix, line) for column, message, fix in wrong]
        if not wrong:
            out.append(Acknowledgement(row["staff_id"], row["brief_id"], row["brief_version"], day, line))
    return out, problems


@dataclass
class Status:
    brief_id: str
    version: str
    current: list[str] = field(default_factory=list)  # acknowledged this version
    stale: list[str] = field(default_factory=list)  # acknowledged an earlier version only
    missing: list[str] = field(default_factory=list)  # never acknowledged


def status(
    versions: dict[str, str], staff: list[str], acknowledgements: list[Acknowledgement]
) -> list[Status]:
    """Per brief: who acknowledged its current version, who an older one, who none."""
    out = []
    for brief_id, version in sorted(versions.items()):
        row = Status(brief_id, version)
        mine = [a for a in acknowledgements if a.brief_id == brief_id]
        for person in staff:
            theirs = [a for a in mine if a.staff_id == person]
            if any(a.version == version for a in theirs):
                row.current.append(person)
            elif theirs:
                row.stale.append(person)
            else:
                row.missing.append(person)
        out.append(row)
    return out


def load(
    project: Path,
    team: set[str],
    briefs: set[str],
    today: dt.date,
    acknowledgements: str = "data/staff/acknowledgements.csv",
    staff_list: str = "data/staff/staff.csv",
):
    """(staff id -> name of the non-team staff, acknowledgements, problems) — the I/O edge."""
    project = Path(project)
    staff, problems = {}, []
    listed = project / staff_list
    if listed.is_file():
        staff, problems = read_staff(listed.read_text(encoding="utf-8"), staff_list)
    rows: list[Acknowledgement] = []
    path = project / acknowledgements
    if path.is_file():
        rows, more = read(
            path.read_text(encoding="utf-8"), acknowledgements, team | set(staff), briefs, today
        )
        problems += more
    return staff, rows, problems

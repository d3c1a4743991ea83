"""The referral partners' relationship log: meetings, calls, lunches, thank-you notes and gifts.

One CSV file (``PARTNER_LOG``, default ``data/partner-log.csv``, beside the other practice data),
one row per contact, written in a spreadsheet::

    date,partner,kind,by,note,follow_up
    2026-11-04,hale-derm,lunch,Maya,Lunch with Dr. Hale's front desk,2026-12-02
    2026-11-20,alder-chiro,thank-you,Maya,Card and chocolates,

``partner`` is a code from the partner registry; ``kind`` one of :data:`KINDS`; ``follow_up`` an
optional day to get back in touch, open until the next row for that partner. Every build (and
`inv check`) reads it and stops on a mistake, naming the line and the fix. `inv partners` lists
the follow-ups that are due and the partners who referred someone treated this month but have
not been thanked since the month began, and writes a printable thank-you note for each partner
that names no patient.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from pipeline.partners import PartnerError

KINDS = {
    "meeting": "Meeting",
    "call": "Call",
    "lunch": "Lunch",
    "visit": "Visit",
    "email": "Email",
    "thank-you": "Thank-you note",
    "gift": "Gift",
}
THANKS = frozenset({"thank-you", "gift"})
COLUMNS = ("date", "partner", "kind", "by", "note", "follow_up")
MAX_NOTE = 500


@dataclass(frozen=True)
class Entry:
    line: int
    date: dt.date
    partner: str
    kind: str
    by: str
    note: str
    follow_up: dt.date | None


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_log(text: str, shown: str, codes: Iterable[str]) -> list[Entry]:
    """The log's rows; every mistake at once in one :class:`PartnerError` (file, line, fix)."""
    known = set(codes)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PartnerError(
            f"{shown}: the first line must name the columns {','.join(COLUMNS)} (missing: {', '.join(missing)})."
        )
    at = {name: header.index(name) for name in COLUMNS}
    entries, problems = [], []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = {name: (row[i].strip() if i < len(row) else "") for name, i in at.items()}
        before = len(problems)
        where = f"{shown} line {line}"
        day = _day(cell["date"])
        if day is None:
            problems.append(f"{where}: date {cell['date']!r} is not a day; write it as YYYY-MM-DD.")
        code = cell["partner"].lower()
        if code not in known:
            problems.append(
                f"{where}: partner {cell['partner']!r} is not in the partner registry; use its code "
                f"({', '.join(sorted(known)) or 'add the partner to the registry first'})."
            )
        kind = cell["kind"].lower()
        if kind not in KINDS:
            problems.append(f"{where}: kind {cell['kind']!r} is not one of {', '.join(KINDS)}.")
        follow = None
        if cell["follow_up"]:
            follow = _day(cell["follow_up"])
            if follow is None:
                problems.append(
                    f"{where}: follow_up {cell['follow_up']!r} is not a day; write it as YYYY-MM-DD or leave it empty."
                )
            elif day is not None and follow < day:
                problems.append(f"{where}: follow_up {follow} is before the row's date {day}.")
        if len(cell["note"]) > MAX_NOTE:
            problems.append(f"{where}: keep the note under {MAX_NOTE} characters (it names no patient).")
        if len(problems) == before:
            entries.append(Entry(line, day, code, kind, cell["by"], cell["note"], follow))
    if problems:
        raise PartnerError("The partner log has problems:\n" + "\n".join(f"  - {p}" for p in problems))
    return sorted(entries, key=lambda e: (e.date, e.line))


def read_log(path: Path, shown: str, codes: Iterable[str]) -> list[Entry]:
    """The log file's rows; none if there is no file yet."""
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PartnerError(
            f"{shown}: is not UTF-8 text; save it from the spreadsheet as CSV UTF-8."
        ) from None
    return parse_log(text, shown, codes)


@dataclass(frozen=True)
class FollowUp:
    partner: str
    due: dt.date
    since: Entry  # the row that asked for it


def due_follow_ups(entries: Sequence[Entry], today: dt.date) -> list[FollowUp]:
    """Follow-ups on or before ``today`` with no later row for that partner, earliest first."""
    latest: dict[str, Entry] = {}
    for entry in entries:  # sorted by date: the last row per partner wins
        latest[entry.partner] = entry
    due = [
        FollowUp(e.partner, e.follow_up, e) for e in latest.values() if e.follow_up and e.follow_up <= today
    ]
    return sorted(due, key=lambda f: (f.due, f.partner))


def not_thanked(treated: Mapping[str, int], entries: Sequence[Entry], since: dt.date) -> list[str]:
    """Partners with referrals treated (``treated``: code -> people) and no thank-you or gift since ``since``."""
    thanked = {e.partner for e in entries if e.kind in THANKS and e.date >= since}
    return sorted(code for code, people in treated.items() if people and code not in thanked)


_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
NOTE_TEMPLATE = _ENV.from_string("""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Thank you, {{ partner }} | {{ practice }}</title>
<style>
  body { font: 16px/1.6 Georgia, serif; color: #222; max-width: 34rem; margin: 3rem auto; padding: 0 1.5rem; }
  h1 { font-size: 1.6rem; font-weight: normal; margin-bottom: 2rem; }
  .sign { margin-top: 3rem; }
  @media print { body { margin: 25mm auto; } }
</style>
</head>
<body>
<main>
<h1>Thank you, {{ contact or partner }}</h1>
<p>{% if people %}Thank you for sending {{ "someone" if people == 1 else "people" }} our way{% if month %} in {{ month }}{% endif %}.
  {% else %}Thank you for working with us.{% endif %} The trust you place in us means a great deal to our whole team, and we look after everyone you refer
  as we would look after your own family.</p>
<p>If there is ever anything we can do for you or your patients and clients, we would be glad to hear from you.</p>
<p class="sign">With warm thanks,<br>{{ practice }}</p>
</main>
</body>
</html>
""")


def thank_you_note(practice: str, partner: str, contact: str | None, people: int, month: str | None) -> bytes:
    """A printable note for one partner: its name and the practice's, never a patient's."""
    return NOTE_TEMPLATE.render(
        practice=practice, partner=partner, contact=contact, people=people, month=month
    ).encode("utf-8")


def log_path(settings: Mapping, root: Path | None = None) -> tuple[Path, str]:
    """``PARTNER_LOG`` (relative to the project: the content folder's parent), and how to show it."""
    content = Path(settings.get("PATH") or Path(root or ".") / "content")
    project = Path(root) if root else content.resolve().parent
    path = Path(settings.get("PARTNER_LOG") or "data/partner-log.csv")
    path = path if path.is_absolute() else project / path
    try:
        shown = path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    return path, shown


@dataclass(frozen=True)
class Relationships:
    due: list[FollowUp]
    not_thanked: list[str]  # partner codes
    treated: dict[str, int]  # code -> people treated this month
    names: dict[str, str]
    notes: Path  # the folder of thank-you notes


def relationships_from_settings(
    settings: Mapping, root: Path, today: dt.date, open_store=None
) -> Relationships:
    """`inv partners`: due follow-ups, partners to thank, and a thank-you note for every partner
    still working with the practice (active or paused)."""
    from pipeline.partners import load_registry, read_practice, registry_path
    from pipeline.reports.run import treated_referrals

    path, shown = registry_path(settings)
    registry = load_registry(path, shown)
    log_file, log_shown = log_path(settings, root)
    entries = read_log(log_file, log_shown, [p.code for p in registry.partners])
    treated = treated_referrals(settings, root, today, open_store)
    practice = read_practice(Path(settings.get("PATH") or Path(root) / "content"))["name"]
    internal = Path(settings.get("INTERNAL_PATH") or "internal")
    folder = (internal if internal.is_absolute() else Path(root) / internal) / "partners" / "thank-you"
    folder.mkdir(parents=True, exist_ok=True)
    month = f"{today:%B %Y}"
    for partner in registry.partners:
        if partner.status == "ended":
            continue
        contact = partner.contact.name if partner.contact and partner.contact.name else None
        note = thank_you_note(practice, partner.name, contact, treated.get(partner.code, 0), month)
        partial = folder / f".{partner.code}.html.tmp"
        partial.write_bytes(note)
        partial.replace(folder / f"{partner.code}.html")
    return Relationships(
        due_follow_ups(entries, today),
        not_thanked(treated, entries, today.replace(day=1)),
        treated,
        {p.code: p.name for p in registry.partners},
        folder,
    )

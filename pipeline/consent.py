"""The consent ledger: which marketing authorizations exist, for what, and until when.

The ledger file (setting ``CONSENT_LEDGER``, default ``content/gallery/consent.yml``)
holds ids only, never names or other personal data (45 CFR 164.508 authorizations; see
REFERENCE.md, "Photos and privacy")::

    - id: C-2024-007
      scope: web          # web, social or both
      granted: 2024-03    # year-month
      expires: 2026-05    # year-month, or a date such as 2026-05-31
      revoked: false      # false, true, or the year-month it was revoked

Decisions made here, each because it keeps patients safer:

- ``granted`` and ``revoked`` take a year-month only: the day adds nothing to a decision and
  dates finer than the year are identifiers, so the ledger keeps as few as it can.
- ``expires`` is required (an authorization must state an expiry) and may be a full date,
  because authorizations often end on a precise day. It is the first day the consent no
  longer holds: ``2026-05`` means nothing is published from 1 May 2026; ``2026-05-31``
  means nothing from that day.
- A revocation counts from the moment it is recorded, even if its month is in the future.
- Only the five fields above are allowed. Anything else (a name, an email, a phone number,
  a free-text note) fails the build, so personal data cannot creep into the repository.

``decide`` is pure: give it the ledger, a purpose and today's date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.content.models import ConsentLedger, ConsentRecord
from pipeline.errors import PipelineError

PURPOSES = ("web", "social")
SCOPES = {"web": frozenset({"web"}), "social": frozenset({"social"}), "both": frozenset({"web", "social"})}
FIELDS = tuple(ConsentRecord.model_fields)  # id, scope, granted, expires, revoked
LIST_KEY = next(iter(ConsentLedger.model_fields))  # the ledger may be written `consents: [...]`
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PERSONAL_KEYS = re.compile(
    r"name|mail|phone|tel|mobile|address|birth|dob|patient|ssn|mrn|note|comment", re.IGNORECASE
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# North American formats, international "+..." numbers, or ten digits in a row.
_PHONE = re.compile(r"\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|\+\d[\d\s().-]{7,}|\d{10,}")
_FIX_PII = (
    "The ledger holds consent ids only; keep names and contact details in the practice's "
    "records system and remove this from the file."
)


class ConsentError(PipelineError):
    """A ledger or case problem that blocks publishing; the message names the file and the fix."""


@dataclass(frozen=True)
class Month:
    """A year-month; ``first_day`` is the day it starts."""

    year: int
    month: int

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Consent:
    id: str
    scope: frozenset[str]
    granted: Month
    expires: Month | dt.date
    revoked: Month | bool
    line: int  # where it is in the ledger, for messages


@dataclass(frozen=True)
class Ledger:
    path: str
    records: Mapping[str, Consent]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # why not, for the build's withheld list ("consent C-2024-007 revoked"); "" when allowed


def _first_day(value: Month | dt.date) -> dt.date:
    return value.first_day if isinstance(value, Month) else value


def decide(
    consent_id: str, ledger: Ledger, purpose: str, today: dt.date, *, case: str | None = None
) -> Decision:
    """May material under ``consent_id`` be published for ``purpose`` ("web" or "social") on ``today``?

    An unknown id is not a "no" but a mistake to fix: it raises ``ConsentError`` naming ``case``.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}, not {purpose!r}")
    record = ledger.records.get(consent_id)
    if record is None:
        where = f"{case}: " if case else ""
        raise ConsentError(
            f"{where}consent id {consent_id!r} is not in the consent ledger {ledger.path}. "
            "Check the id against the signed authorization, or add its record to the ledger."
        )
    if record.revoked is not False:
        when = f" {record.revoked}" if isinstance(record.revoked, Month) else ""
        return Decision(False, f"consent {consent_id} revoked{when}")
    if today >= _first_day(record.expires):
        return Decision(False, f"consent {consent_id} expired {record.expires}")
    if today < record.granted.first_day:
        return Decision(False, f"consent {consent_id} granted {record.granted}, not yet in effect")
    if purpose not in record.scope:
        scope = "both" if len(record.scope) == 2 else next(iter(record.scope))
        return Decision(False, f"consent {consent_id} not in scope for {purpose} (scope: {scope})")
    return Decision(True, "")


# -- reading the ledger -----------------------------------------------------------------------


def _month(value: object, key: str, where: str) -> Month:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    match = _MONTH.match(text)
    if isinstance(value, dt.date) or _DAY.match(text):
        raise ConsentError(
            f"{where}: {key} is {text}; write the year and month only, like {text[:7]} "
            "(a day is not needed, and dates finer than the year are identifiers)."
        )
    if not match or not 1 <= int(match[2]) <= 12:
        raise ConsentError(f"{where}: {key} is {value!r}; write it as year-month, like 2024-03.")
    return Month(int(match[1]), int(match[2]))


def _expiry(value: object, where: str) -> Month | dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if _DAY.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    elif _MONTH.match(text) and 1 <= int(text[5:7]) <= 12:
        return Month(int(text[:4]), int(text[5:7]))
    raise ConsentError(
        f"{where}: expires is {value!r}; write the expiry on the authorization as "
        "year-month (2026-05) or a date (2026-05-31)."
    )


def _revoked(value: object, where: str) -> Month | bool:
    text = str(value).strip().lower() if isinstance(value, str) else None
    if value is None or value is False or text in ("", "false"):
        return False  # the editor writes an empty or "false" text for a consent that holds
    if value is True or text == "true":
        return True
    return _month(value, "revoked", where)


def _refuse_personal_data(entry: dict, where: str) -> None:
    for key, value in entry.items():
        if _PERSONAL_KEYS.search(str(key)):
            raise ConsentError(f"{where}: field {key!r} looks like personal data. {_FIX_PII}")
        if isinstance(value, str) and (_EMAIL.search(value) or _PHONE.search(value)):
            raise ConsentError(
                f"{where}: the value of {key!r} looks like an email address or phone number. {_FIX_PII}"
            )


def _record(entry: object, path: str, line: int) -> Consent:
    where = f"{path}, line {line}"
    if not isinstance(entry, dict):
        raise ConsentError(f"{where}: each entry must be a mapping with {', '.join(FIELDS)}.")
    _refuse_personal_data(entry, where)
    unknown = sorted(str(k) for k in entry if k not in FIELDS)
    if unknown:
        raise ConsentError(
            f"{where}: unknown field(s) {', '.join(unknown)}; only {', '.join(FIELDS)} are allowed. "
            "Remove them (the ledger holds nothing else)."
        )
    missing = [k for k in ("id", "scope", "granted", "expires") if entry.get(k) in (None, "")]
    if missing:
        raise ConsentError(f"{where}: missing {', '.join(missing)}. Copy it from the signed authorization.")
    consent_id = str(entry["id"])
    if not _ID.match(consent_id):
        raise ConsentError(
            f"{where}: id {consent_id!r} must be a short code of letters, digits, '.', '_' "
            "or '-' (like C-2024-007), never a name."
        )
    scope = str(entry["scope"]).strip().lower()
    if scope not in SCOPES:
        raise ConsentError(f"{where}: scope is {entry['scope']!r}; use web, social or both.")
    return Consent(
        consent_id,
        SCOPES[scope],
        _month(entry["granted"], "granted", where),
        _expiry(entry["expires"], where),
        _revoked(entry.get("revoked"), where),
        line,
    )


def parse_ledger(text: str, path: str) -> Ledger:
    """Parse ledger YAML (a list of entries, on its own or under ``consents:``); every error names
    ``path`` and the line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        raise ConsentError(
            f"{path}{line}: not valid YAML ({getattr(exc, 'problem', exc)}). "
            "Fix the indentation or quoting there."
        ) from None
    if (
        isinstance(root, yaml.MappingNode)
        and len(root.value) == 1
        and root.value[0][0].value == LIST_KEY
        and not (isinstance(root.value[0][1], yaml.ScalarNode) and root.value[0][1].value)
    ):
        # `consents:` holding the list: the form the content editor writes (it edits a file's fields).
        root = root.value[0][1] if isinstance(root.value[0][1], yaml.SequenceNode) else None
    if root is None:
        return Ledger(path, {})
    if not isinstance(root, yaml.SequenceNode):
        raise ConsentError(
            f"{path}: the ledger must be a list of entries, each starting with '- id: ...' "
            f"(on its own, or under '{LIST_KEY}:')."
        )
    loader = yaml.SafeLoader("")
    records: dict[str, Consent] = {}
    for node in root.value:
        line = node.start_mark.line + 1
        record = _record(loader.construct_object(node, deep=True), path, line)
        if record.id in records:
            raise ConsentError(
                f"{path}, line {line}: id {record.id} is already used on line "
                f"{records[record.id].line}. Each authorization has one entry; merge them."
            )
        records[record.id] = record
    return Ledger(path, records)


def load_ledger(path: str | Path) -> Ledger:
    """Read and parse the ledger file (the I/O edge)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConsentError(
            f"{path}: the consent ledger is missing. Create it (see pipeline/consent.py for the "
            "format) or set CONSENT_LEDGER to where it is."
        ) from None
    except UnicodeDecodeError:
        raise ConsentError(f"{path}: not UTF-8 text. Save it as UTF-8.") from None
    return parse_ledger(text, str(path))

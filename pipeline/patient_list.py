"""The practice's private list of patients' names: checked against the site, never shown.

The list stays outside the repository (an export from the practice software: a CSV with first
and last name columns, or a "name" column, or one name per line). Its path is the
``PUBLISH_GUARD_PATIENT_LIST`` setting (``PRIVATE_PATIENT_LIST`` in the environment). The build
and the deploy stop when any of its names appears anywhere in the site, and say only which
entry ("entry 12"): no name from the list is ever written to a log, a message or a file.

A name is matched as a reader would see it: first and last name in either order ("Jane Doe",
"Doe, Jane", "Jane A. Doe", "JANE DOE", "jane-doe" in an address, "Jane O'Neil" without
accents or apostrophes: "O’Neil", "ONeil"), never a first or a last name alone, which would
stop the build on every "Grace" or "Lee". Entries with a single name are not checked.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.names import plain


class PatientListError(PipelineError):
    """The private patient list cannot be read; the message never quotes it."""


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_HEADERS = {
    "first": {"first", "firstname", "givenname", "forename", "patientfirstname", "clientfirstname", "fname"},
    "middle": {"middle", "middlename", "middleinitial", "mi"},
    "last": {"last", "lastname", "surname", "familyname", "patientlastname", "clientlastname", "lname"},
    "name": {
        "name",
        "fullname",
        "patient",
        "patientname",
        "client",
        "clientname",
        "customer",
        "customername",
    },
    "preferred": {"preferred", "preferredname", "nickname", "knownas"},
}


def _header_key(cell: str) -> str:
    return re.sub(r"[^a-z]", "", cell.casefold())


def words(text: str) -> list[str]:
    """Plain words (see pipeline.names.plain), apostrophes dropped: "O’Neil" -> "oneil"."""
    return [re.sub(r"['’]", "", plain(w)) for w in _WORD.findall(text)]


@dataclass
class PatientList:
    pairs: dict[tuple[str, str], int] = field(default_factory=dict)  # (word, word) -> entry number
    triples: dict[tuple[str, str, str], int] = field(default_factory=dict)
    joined: dict[str, int] = field(default_factory=dict)  # "janedoe" (as in a web address) -> entry
    entries: int = 0
    single: int = 0  # entries with one name only: not checked

    def add(self, entry: int, names: list[str]) -> None:
        names = [n for n in names if len(n) > 1]  # initials are read through, not matched
        if len(names) < 2:
            self.single += 1
            return
        first, last = names[0], names[-1]
        for a, b in ((first, last), (last, first)):
            self.pairs.setdefault((a, b), entry)
            self.joined.setdefault(a + b, entry)
        if len(names) >= 3:
            self.triples.setdefault(tuple(names[:3]), entry)
        for a, b in zip(names, names[1:], strict=False):
            self.pairs.setdefault((a, b), entry)

    def find(self, text: str) -> list[int]:
        """The entry numbers whose names appear in ``text``, sorted."""
        return sorted({entry for entry, _, _ in self.matches(text)})

    def redact(self, text: str) -> str:
        """``text`` with every listed name replaced by "***" (for a path shown in a message)."""
        merged: list[list[int]] = []
        for _, start, end in sorted(self.matches(text), key=lambda m: m[1]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in reversed(merged):
            text = text[:start] + "***" + text[end:]
        return text

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        """(entry, start, end) of every listed name in ``text``."""
        if not self.pairs:
            return []
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        tokens = [words(text[a:b])[0] for a, b in spans]
        found = []
        for index, token in enumerate(tokens):
            start = spans[index][0]
            if len(token) > 5 and token in self.joined:
                found.append((self.joined[token], start, spans[index][1]))
            following = tokens[index + 1 : index + 3]
            if len(following) == 2 and (token, *following) in self.triples:
                found.append((self.triples[(token, *following)], start, spans[index + 2][1]))
            elif len(following) == 2 and len(following[0]) == 1 and (token, following[1]) in self.pairs:
                found.append((self.pairs[(token, following[1])], start, spans[index + 2][1]))  # "Jane A. Doe"
            elif following and (token, following[0]) in self.pairs:
                found.append((self.pairs[(token, following[0])], start, spans[index + 1][1]))
        return found


def parse_patient_list(text: str) -> PatientList:
    """A patient list from a CSV export (with a header naming its columns) or one name per line."""
    text = text.lstrip("\ufeff")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    patients = PatientList()
    if not rows:
        return patients
    columns = _columns(rows[0])
    body = rows[1:] if columns else rows
    for number, row in enumerate(body, start=1):
        patients.entries += 1
        if columns:
            cells = {role: row[i] for role, i in columns.items() if i < len(row)}
            if cells.get("first") or cells.get("last"):
                names = [
                    *words(cells.get("first", "")),
                    *words(cells.get("middle", "")),
                    *words(cells.get("last", "")),
                ]
            else:
                names = words(cells.get("name", ""))
            patients.add(number, names)
            if cells.get("preferred") and (cells.get("last") or names):
                patients.add(
                    number, [*words(cells["preferred"]), *(words(cells.get("last", "")) or names[-1:])]
                )
        else:
            # No header: every cell that is a name (no digits, no "@") is part of it.
            names = [w for cell in row if not re.search(r"[\d@]", cell) for w in words(cell)]
            patients.add(number, names)
    return patients


def _columns(header: list[str]) -> Mapping[str, int]:
    found = {}
    for index, cell in enumerate(header):
        key = _header_key(cell)
        for role, names in _HEADERS.items():
            if key in names and role not in found:
                found[role] = index
    return found if ("first" in found or "last" in found or "name" in found) else {}


def load_patient_list(path: str | Path) -> PatientList:
    """Read the list at ``path``. Errors name the file, never its contents."""
    path = Path(path).expanduser()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PatientListError(
            f"The private patient list {path} (PUBLISH_GUARD_PATIENT_LIST / PRIVATE_PATIENT_LIST) does not exist. "
            "Point the setting at the exported file, or unset it."
        ) from None
    except OSError as exc:
        raise PatientListError(f"The private patient list {path} cannot be read ({exc.strerror}).") from None
    encodings = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return parse_patient_list(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise PatientListError(f"The private patient list {path} is not a text file; export it as CSV (UTF-8).")

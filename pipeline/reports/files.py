"""Writing internal folders: all files at once, or nothing; CSV cells safe for spreadsheets."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from pipeline.csvcells import safe_cell


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
def csv_bytes(header: Iterable[str], rows: Iterable[Iterable], preamble: Iterable[str] = ()) -> bytes:
    """UTF-8 CSV with CRLF line ends (what spreadsheets and ad platforms expect)."""
    out = io.StringIO()
    for line in preamble:
        out.write(line + "\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([safe_cell(v, yes="yes", no="no") for v in row])
    return out.getvalue().encode("utf-8")


def write_tree(target: Path, files: Mapping[str, bytes]) -> None:
    """Make ``target`` hold exactly ``files`` (relative path -> bytes), replacing it in one step.

    Everything is written to a sibling temporary folder first; the old folder is swapped
    out only when that succeeded, so a failure leaves the previous version untouched. The
    folder is private to its owner (mode 0700, from mkdtemp): it may hold a lead list.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.tmp-"))
    try:
        for rel, data in sorted(files.items()):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

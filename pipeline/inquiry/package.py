"""The receiver's AWS Lambda package: one zip with ``pipeline/inquiry`` and what it imports.

Its dependencies (email-validator with dnspython and idna, phonenumbers) are pure Python, so
the files installed in this environment (the pinned versions) are copied as they are, with
no download; boto3 comes with Lambda's Python runtime and stays out. The zip is
deterministic (sorted entries, fixed timestamps and modes): the same sources give the same
bytes, so its content hash names a release (``inquiry-receiver-<hash>.zip``).

infra/site.yaml runs it with handler ``pipeline.inquiry.lambda_handler.handler`` on python3.11.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import os
import zipfile
from pathlib import Path, PurePosixPath

from pipeline.files import write_atomic
from pipeline.inquiry.errors import InquiryError

HANDLER = "pipeline.inquiry.lambda_handler.handler"
DEPENDENCIES = ("email-validator", "dnspython", "idna", "phonenumbers")
SOURCES = (
    "pipeline/__init__.py",
    "pipeline/errors.py",
    "pipeline/csvcells.py",
    "pipeline/files.py",
    "pipeline/inquiry/*.py",
    # The follow-up reminders (pipeline.inbox.reminders.handler) run from the same package.
    "pipeline/business_hours.py",
    "pipeline/inbox/errors.py",
    "pipeline/inbox/events.py",
    "pipeline/inbox/journal.py",
    "pipeline/inbox/index.py",
    "pipeline/inbox/reminders.py",
)
REMINDER_HANDLER = "pipeline.inbox.reminders.handler"
CALENDAR_FILE = "business_hours.json"  # the clinics' opening hours, for the reminders
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest date


def package_entries(project_root: str | os.PathLike) -> dict[str, Path]:
    """Archive name -> file: the receiver's own modules, then its dependencies' files."""
    root = Path(project_root)
    entries: dict[str, Path] = {}
    for pattern in SOURCES:
        for path in sorted(root.glob(pattern)):
            entries[path.relative_to(root).as_posix()] = path
    for name in DEPENDENCIES:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            raise InquiryError(
                f"{name} is not installed here, so it cannot go into the receiver's package: "
                "run `pip install -r requirements.txt` first."
            ) from None
        for file in dist.files or ():
            posix = PurePosixPath(str(file))
            if posix.parts[0] in ("..", "/") or "__pycache__" in posix.parts or posix.suffix == ".pyc":
                continue  # scripts outside site-packages, and bytecode Lambda compiles itself
            entries[posix.as_posix()] = Path(dist.locate_file(file))
    return dict(sorted(entries.items()))


def write_package(
    project_root: str | os.PathLike, folder: str | os.PathLike, calendar: dict | None = None
) -> Path:
    """Write ``inquiry-receiver-<hash>.zip`` into ``folder`` (whole or not at all); return its path.

    ``calendar``: the clinics' hours (:func:`pipeline.inbox.content.calendar_table`), stored as
    ``business_hours.json`` for the reminders."""
    from pipeline.business_hours import table_json

    entries: dict[str, Path | bytes] = dict(package_entries(project_root))
    if calendar is not None:
        entries[CALENDAR_FILE] = table_json(calendar)
        entries = dict(sorted(entries.items()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, path in entries.items():
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path if isinstance(path, bytes) else path.read_bytes(), compresslevel=9)
    data = buffer.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:12]
    return write_atomic(Path(folder) / f"inquiry-receiver-{digest}.zip", data)

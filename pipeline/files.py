"""Writing files and folders whole or not at all, and CSV as spreadsheets and upload tools read it.

- :func:`write_atomic` replaces one file in one step: the bytes go to a temporary file beside
  it, are flushed to disk, get their mode, and are renamed over the target (``rename(2)`` is
  atomic within a file system). A failure at any point leaves the old file and no temporary.
  :func:`place_file` does the same with an existing file (hard-linked, or copied).
- :func:`replacing_folder` is the same for a folder: fill the staging folder it hands out;
  the target is replaced only when that block ends without error. :func:`write_folder` does
  it for a mapping of relative paths to bytes.
- :func:`csv_bytes` is the one CSV writer: UTF-8, CRLF line ends (RFC 4180), cells defused
  against spreadsheet formulas unless the receiving tool must get them exactly as they are.

Standard library only: the inquiry receiver's Lambda package carries this module.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from pipeline.csvcells import safe_cell


def folder_mode(mode: int) -> int:
    """The mode for folders that hold files of ``mode``: searchable by whoever may read the file
    (0o644 -> 0o755, 0o600 -> 0o700)."""
    return mode | (mode & 0o444) >> 2


def make_folders(folder: str | os.PathLike, mode: int = 0o755) -> None:
    """``folder`` and its missing parents, each created with exactly ``mode`` (whatever the umask);
    folders that exist already are left as they are."""
    folder = Path(folder)
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            path.mkdir()
            os.chmod(path, mode)


def write_atomic(path: str | os.PathLike, data: bytes | str, *, mode: int = 0o644) -> Path:
    """Replace ``path`` with ``data`` (a str is written as UTF-8, line ends as given) in one step.

    The file gets ``mode`` whatever the umask; missing folders are created readable to the same
    people (:func:`folder_mode`). Returns the path.
    """
    path = Path(path)
    make_folders(path.parent, folder_mode(mode))
    body = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the rename: a crash leaves old or new, not empty
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def place_file(source: str | os.PathLike, target: str | os.PathLike) -> Path:
    """Replace ``target`` with ``source``'s file in one step: a hard link when both are on one file
    system (no bytes copied), a copy otherwise. A failure leaves the old target and no temporary."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    os.close(fd)
    try:
        os.unlink(tmp)  # link(2) will not replace a file: only the free name is wanted
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target


@contextlib.contextmanager
def replacing_folder(target: str | os.PathLike, *, mode: int | None = None) -> Iterator[Path]:
    """``with replacing_folder(target) as staging:`` fill ``staging``; on leaving the block it becomes
    ``target``, and the previous ``target`` is removed.

    ``staging`` is ``<target>.building`` beside it (emptied first: a crashed run's leftovers go);
    an error in the block removes it and leaves ``target`` untouched. The old folder is moved
    aside to ``<target>.old`` for the swap and moved back if the swap fails. ``mode``: the
    folder's own mode (0o700 for one that holds personal data); default as the umask gives.
    """
    target = Path(target)
    staging = target.with_name(target.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir()
    if mode is not None:
        os.chmod(staging, mode)
    try:
        yield staging
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, target: Path) -> None:
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    moved = target.exists()
    if moved:
        os.replace(target, old)
    try:
        os.replace(staging, target)
    except BaseException:
        if moved:
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_folder(target: str | os.PathLike, files: Mapping[str, bytes], *, mode: int | None = None) -> Path:
    """Make ``target`` hold exactly ``files`` (relative "/"-path -> bytes), replacing it in one step
    (:func:`replacing_folder`). Returns the target."""
    with replacing_folder(target, mode=mode) as staging:
        for rel, data in sorted(files.items()):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return Path(target)


def csv_bytes(
    header: Sequence[str] | None,
    rows: Iterable[Iterable[object]],
    *,
    preamble: Iterable[str] = (),
    guard: bool = True,
    booleans: tuple[str, str] = ("true", "false"),
) -> bytes:
    """A CSV file: ``preamble`` lines as they are, the ``header`` row (None: no header), then ``rows``.

    UTF-8 without a byte-order mark, CRLF line ends, fields quoted only where needed (RFC 4180).
    With ``guard`` (the default) each cell goes through :func:`pipeline.csvcells.safe_cell`:
    None is empty, booleans are ``booleans``, text a spreadsheet would run as a formula gets a
    leading ``'``. ``guard=False`` writes cells exactly as given (None empty), for files another
    tool imports as data: a click id for Google Ads, a post for a scheduling tool.
    """
    out = io.StringIO()
    for line in preamble:
        out.write(line + "\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    yes, no = booleans
    for row in rows:
        writer.writerow([safe_cell(v, yes=yes, no=no) for v in row] if guard else row)
    return out.getvalue().encode("utf-8")

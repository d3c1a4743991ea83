"""The photos of a content folder: which carry metadata (``inv check``, CI) and scrubbing them (``inv scrub``).

The I/O edge of :mod:`.metadata`: reads the files, reports :class:`Problem`s in the form every
content problem takes (file, what, fix), and rewrites a file only after checking that the
picture decodes to exactly the same pixels, through a temporary file and a rename.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.content.errors import Problem
from pipeline.photos import metadata

SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
FIX = "run `inv scrub` to remove it (nothing else in the file changes: the picture stays exactly as it is)"


def photos_in(folder: Path) -> list[Path]:
    """Every picture under ``folder`` this module can read, in a stable order (links are not followed)."""
    return sorted(
        Path(parent, name)
        for parent, _dirs, names in os.walk(folder)
        for name in names
        if name.lower().endswith(SUFFIXES) and not os.path.islink(os.path.join(parent, name))
    )


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def problems(paths: Iterable[Path], root: Path) -> list[Problem]:
    """One problem per picture that carries location or personal metadata."""
    found = []
    for path in paths:
        try:
            report = metadata.inspect(path.read_bytes())
        except metadata.PhotoMetadataError:
            continue  # not a picture it can read: the build names it ("cannot be used")
        if report:
            what = ", ".join(report.found)
            lead = "carries its location (GPS) and other metadata" if report.location else "carries metadata"
            found.append(Problem(_shown(path, root), "file", f"{lead}: {what}", FIX))
    return found


@dataclass(frozen=True)
class Scrubbed:
    path: str
    removed: tuple[str, ...]


def scrub(paths: Iterable[Path], root: Path, dry_run: bool = False) -> tuple[list[Scrubbed], list[Problem]]:
    """Remove the metadata of each picture that has some; (what was removed, files that could not be)."""
    done, refused = [], []
    for path in paths:
        data = path.read_bytes()
        try:
            clean, removed = metadata.scrub_bytes(data)
        except metadata.PhotoMetadataError as exc:
            refused.append(Problem(_shown(path, root), "file", f"cannot be read ({exc})", "export it again"))
            continue
        if not removed:
            continue
        if metadata.pixels(clean) != metadata.pixels(data):  # never: the picture data is copied as it is
            refused.append(
                Problem(
                    _shown(path, root),
                    "file",
                    "would not decode to the same picture without its metadata",
                    "remove the metadata in the photo app (share or export without location) and replace the file",
                )
            )
            continue
        if not dry_run:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".scrub-", suffix=path.suffix)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(clean)
                os.chmod(tmp, path.stat().st_mode & 0o777)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        done.append(Scrubbed(_shown(path, root), tuple(removed)))
    return done, refused


def changed_since(root: Path, folder: Path, since: str) -> list[Path]:
    """The pictures under ``folder`` added or changed since the Git commit ``since`` (all of them when
    ``since`` is empty or all zeros, as GitHub gives for a new branch)."""
    if not since or set(since) == {"0"}:
        return photos_in(folder)
    result = subprocess.run(
        ["git", "diff", "--name-only", "--diff-filter=AMR", "-z", since, "HEAD", "--", str(folder)],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        return photos_in(folder)  # the commit is not here (a shallow clone): check everything
    names = [n for n in result.stdout.decode("utf-8", "replace").split("\0") if n]
    return sorted(root / n for n in names if n.lower().endswith(SUFFIXES) and (root / n).is_file())

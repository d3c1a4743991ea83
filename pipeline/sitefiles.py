"""The built site as the deploy sees it: one walk of the output folder, each regular file read once.

The publish guard scans these bytes and the uploader hashes and uploads the same bytes, so what
is checked is exactly what goes out: nothing is read twice, and a file changed (or swapped for
a link) after the check cannot be uploaded in its place.

The walk never follows a symbolic link. It opens every folder and file relative to its parent's
descriptor with ``O_NOFOLLOW`` (POSIX open(2)), so a link cannot be slipped in between listing a
name and opening it; anything that is not a regular file or a folder (a link, a named pipe, a
socket, a device) is listed in :attr:`SiteTree.refused` instead of being read.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
# O_NONBLOCK: opening a named pipe that slipped in must not wait for a writer.
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class SiteFile:
    key: str  # relative to the site root, "/"-separated
    data: bytes  # the file's bytes, read once


@dataclass(frozen=True)
class Refused:
    key: str
    what: str  # "a symbolic link to /etc/passwd", "a named pipe (FIFO)", ...


@dataclass
class SiteTree:
    root: Path
    files: list[SiteFile] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(f.data) for f in self.files)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    return "not a regular file"


def read_tree(root: str | os.PathLike) -> SiteTree:
    """Every regular file under ``root`` (sorted by key), and everything else it refused.

    Raises FileNotFoundError / NotADirectoryError when ``root`` is not a folder; a ``root`` that
    is itself a symbolic link is refused (key ".").
    """
    tree = SiteTree(Path(root))
    try:
        fd = os.open(tree.root, _DIR_FLAGS)
    except OSError:
        if tree.root.is_symlink():
            tree.refused.append(Refused(".", f"a symbolic link to {os.readlink(tree.root)}"))
            return tree
        raise
    try:
        _walk(fd, "", tree)
    finally:
        os.close(fd)
    tree.files.sort(key=lambda f: f.key)
    tree.refused.sort(key=lambda r: r.key)
    return tree


def _walk(dir_fd: int, prefix: str, tree: SiteTree) -> None:
    with os.scandir(dir_fd) as entries:
        names = sorted(entry.name for entry in entries)
    for name in names:
        key = prefix + name
        try:
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            tree.refused.append(Refused(key, "removed while the site was being read (is a build running?)"))
            continue
        if stat.S_ISLNK(info.st_mode):
            try:
                target = os.readlink(name, dir_fd=dir_fd)
            except OSError:
                target = "?"
            tree.refused.append(Refused(key, f"a symbolic link to {target}"))
        elif stat.S_ISDIR(info.st_mode):
            try:
                child = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
            except OSError as exc:
                tree.refused.append(Refused(key + "/", f"a folder that cannot be opened ({exc.strerror})"))
                continue
            try:
                _walk(child, key + "/", tree)
            finally:
                os.close(child)
        elif stat.S_ISREG(info.st_mode):
            data = _read(name, dir_fd)
            if isinstance(data, str):
                tree.refused.append(Refused(key, data))
            else:
                tree.files.append(SiteFile(key, data))
        else:
            tree.refused.append(Refused(key, _kind(info.st_mode)))


def _read(name: str, dir_fd: int) -> bytes | str:
    """The file's bytes, or why it was not read (it became a link or a pipe after it was listed)."""
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        return "a symbolic link" if exc.errno == getattr(os, "ELOOP", 40) else f"unreadable ({exc.strerror})"
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            return _kind(mode)
        return handle.read()


def find_links(root: str | os.PathLike) -> list[Path]:
    """Every symbolic link under ``root`` (files and folders; links are not followed), sorted."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if path.is_symlink():
                found.append(path)
    return sorted(found)

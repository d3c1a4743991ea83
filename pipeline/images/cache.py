"""The content-addressed image cache, kept outside ``output/`` (default ``cache/images/``).

Layout::

    objects/ab/<sha256>.<ext>   one encoded derivative; the key covers source bytes + spec + watermark
    records/ab/<sha256>.json    per source + spec: the derivatives it has, so a rebuild decodes nothing
    sources.json                stat memo: (path digest, size, mtime) -> source sha256, an optimisation only

Everything is written to a temporary file and renamed, so an interrupted build leaves no
half-written entry. No original file name is stored: paths are kept only as digests. Entries are
readable by everyone (files 0644, folders 0755, whatever the umask): derivatives are hard-linked
into the site, which a web server running as another user must be able to read.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pipeline.files import write_atomic

_CHUNK = 1 << 20


def digest_json(value: object) -> str:
    """sha256 of canonical JSON: the one way every key here is made."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class ImageCache:
    """A cache directory. Safe to share between worker processes: entries are immutable once renamed."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)
        self._memo: dict[str, list] | None = None
        self._memo_dirty = False

    def object_path(self, key: str, ext: str) -> Path:
        return self.root / "objects" / key[:2] / f"{key}{ext}"

    def has_object(self, key: str, ext: str) -> bool:
        return self.object_path(key, ext).is_file()

    def put_object(self, key: str, ext: str, data: bytes) -> Path:
        path = self.object_path(key, ext)
        write_atomic(path, data)
        return path

    def _record_path(self, key: str) -> Path:
        return self.root / "records" / key[:2] / f"{key}.json"

    def read_record(self, key: str) -> dict | None:
        try:
            return json.loads(self._record_path(key).read_bytes())
        except (OSError, ValueError):
            return None  # missing or damaged: the record is rebuilt

    def write_record(self, key: str, record: dict) -> None:
        write_atomic(self._record_path(key), json.dumps(record, sort_keys=True, indent=1).encode())

    # -- source digests -------------------------------------------------------------------

    def source_digest(self, path: Path) -> str:
        """sha256 of the file's bytes, remembered by (path digest, size, mtime_ns, inode).

        A fresh checkout changes mtimes, so the memo misses and the bytes are hashed again:
        keys stay content-derived and the cached derivatives are still found.
        """
        return self.source_digests([path])[Path(path)]

    def source_digests(self, paths, workers: int = 1) -> dict[Path, str]:
        """:meth:`source_digest` of many files: what the memo knows at once, the rest hashed on
        ``workers`` threads (hashlib and file reads release the GIL, so a fresh checkout's full
        re-hash uses every core)."""
        self._load_memo()
        found: dict[Path, str] = {}
        missing: list[tuple[Path, str, list]] = []
        for path in dict.fromkeys(Path(p) for p in paths):
            stat = path.stat()
            where = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:32]
            fingerprint = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
            known = self._memo.get(where)
            if known and known[:3] == fingerprint:
                found[path] = known[3]
            else:
                missing.append((path, where, fingerprint))
        if len(missing) > 1 and workers > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=min(workers, len(missing))) as pool:
                digests = list(pool.map(file_digest, [path for path, _, _ in missing]))
        else:
            digests = [file_digest(path) for path, _, _ in missing]
        for (path, where, fingerprint), digest in zip(missing, digests, strict=False):
            found[path] = digest
            self._memo[where] = [*fingerprint, digest]
            self._memo_dirty = True
        return found

    def _load_memo(self) -> None:
        if self._memo is None:
            try:
                self._memo = json.loads((self.root / "sources.json").read_bytes())
            except (OSError, ValueError):
                self._memo = {}

    def save_memo(self) -> None:
        if self._memo is not None and self._memo_dirty:
            write_atomic(self.root / "sources.json", json.dumps(self._memo, sort_keys=True).encode())
            self._memo_dirty = False

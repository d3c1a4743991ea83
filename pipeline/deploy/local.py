"""List the local build: each file's key, SHA-256 of the exact bytes to upload, and headers."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.deploy.compress import gzip_bytes
from pipeline.deploy.errors import DeployError
from pipeline.deploy.rules import HeaderRule, Headers, headers_for


@dataclass(frozen=True)
class LocalFile:
    key: str  # path relative to the site root, "/"-separated (no S3 prefix)
    path: Path | None  # None for generated objects (redirect objects)
    sha256: str  # of the bytes that will be uploaded (after gzip, if any)
    size: int  # of those bytes
    headers: Headers
    redirect: str | None = None  # S3 website redirect location, for redirect objects


def list_local(root: Path, rules: Iterable[HeaderRule], gzip_text: bool = False) -> dict[str, LocalFile]:
    """Every file under ``root`` as a :class:`LocalFile`, keyed and sorted by key."""
    root = Path(root)
    if not root.is_dir():
        raise DeployError(f"The build folder {root} does not exist; build the site first (inv build).")
    rules = tuple(rules)
    files: dict[str, LocalFile] = {}
    for path in sorted(_walk(root)):
        key = path.relative_to(root).as_posix()
        headers = headers_for(key, rules, gzip_text)
        body = body_of(path, headers)
        files[key] = LocalFile(key, path, hashlib.sha256(body).hexdigest(), len(body), headers)
    if not files:
        raise DeployError(
            f"The build folder {root} is empty; refusing to deploy an empty site. Run the build again."
        )
    return files


def body_of(path: Path, headers: Headers) -> bytes:
    """The exact bytes uploaded for ``path``: the file, gzipped when the headers say so."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DeployError(f"Cannot read {path}: {exc.strerror}. Rebuild the site and deploy again.") from None
    if headers.content_encoding == "gzip" and not data.startswith(b"\x1f\x8b"):
        return gzip_bytes(data)
    return data


def _walk(root: Path):
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_file():
                yield path

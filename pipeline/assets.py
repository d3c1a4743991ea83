"""Fingerprinted asset names: a file's name carries a hash of its bytes, so it can be
cached for a year (``immutable``) and a changed file gets a new URL."""

from __future__ import annotations

import hashlib
import posixpath

HASH_LENGTH = 10  # the deploy's cache rules recognise name.<10+ hex>.ext as fingerprinted


def fingerprint(name: str, data: bytes) -> str:
    """``css/site.css`` + bytes -> ``css/site.3f2a9c1e0b.css``."""
    stem, ext = posixpath.splitext(name)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:HASH_LENGTH]}{ext}"

"""List the local build: each file's key, SHA-256 of the exact bytes to upload, and headers.

The build is read once (``pipeline.sitefiles.read_tree``: no link followed, every regular file
read once); each LocalFile carries the bytes it uploads, so what the publish guard scanned is
what is hashed and sent, with nothing read again in between.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.deploy.compress import gzip_bytes
from pipeline.deploy.errors import DeployError
from pipeline.deploy.rules import HeaderRule, Headers, headers_for
from pipeline.sitefiles import SiteTree, read_tree


@dataclass(frozen=True)
class LocalFile:
    key: str  # path relative to the site root, "/"-separated (no S3 prefix)
    path: Path | None  # None for generated objects (redirect objects)
    sha256: str  # of the bytes that will be uploaded (after gzip, if any)
    size: int  # of those bytes
    headers: Headers
    redirect: str | None = None  # S3 website redirect location, for redirect objects
    body: bytes | None = None  # the bytes to upload (None: an empty redirect object)


def list_local(
    site: Path | SiteTree, rules: Iterable[HeaderRule], gzip_text: bool = False
) -> dict[str, LocalFile]:
    """Every file of the build (a folder, or the tree the publish guard read) as a :class:`LocalFile`,
    keyed and sorted by key. A link or special file in it stops the deploy."""
    tree = site if isinstance(site, SiteTree) else read_build(Path(site))
    if tree.refused:
        shown = "; ".join(f"{r.key}: {r.what}" for r in tree.refused[:10])
        raise DeployError(
            f"The build folder {tree.root} holds {len(tree.refused)} link(s) or special file(s) the deploy will "
            f"not follow or upload ({shown}). Remove them and build again."
        )
    rules = tuple(rules)
    files: dict[str, LocalFile] = {}
    for file in tree.files:
        headers = headers_for(file.key, rules, gzip_text)
        body = body_of(file.data, headers)
        files[file.key] = LocalFile(
            file.key, tree.root / file.key, hashlib.sha256(body).hexdigest(), len(body), headers, body=body
        )
    if not files:
        raise DeployError(
            f"The build folder {tree.root} is empty; refusing to deploy an empty site. Run the build again."
        )
    return files


def read_build(root: Path) -> SiteTree:
    if not root.is_dir() and not root.is_symlink():
        raise DeployError(f"The build folder {root} does not exist; build the site first (inv build).")
    return read_tree(root)


def body_of(data: bytes, headers: Headers) -> bytes:
    """The exact bytes uploaded for a file: as built, gzipped when the headers say so."""
    if headers.content_encoding == "gzip" and not data.startswith(b"\x1f\x8b"):
        return gzip_bytes(data)
    return data

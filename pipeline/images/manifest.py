"""The internal image manifest: which published files came from which source.

Sources appear by content hash only, never by name. It is written under ``internal/``
(never deployed) and is what the consent manifest builds on: the gallery tags each source
with its case and consent id.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from pipeline.files import write_atomic
from pipeline.images.process import ProcessedImage

MANIFEST_VERSION = 1


def image_manifest(
    images: Iterable[ProcessedImage], tags: Mapping[str, Mapping[str, str]] | None = None
) -> dict:
    """{"version", "sources": [{"source": sha256, "outputs": [...], **tags}]}, sorted, deterministic.

    ``tags`` maps a source hash to extra fields (e.g. {"consent": "C-2024-007", "case": "..."}).
    """
    tags = tags or {}
    merged: dict[str, set[str]] = {}
    for image in images:
        merged.setdefault(image.source_hash, set()).update(d.name for d in image.derivatives)
    sources = []
    for source_hash in sorted(merged):
        extra = dict(tags.get(source_hash, {}))
        clash = {"source", "outputs"} & extra.keys()
        if clash:
            raise ValueError(f"tags may not replace {sorted(clash)}")
        sources.append({"source": source_hash, "outputs": sorted(merged[source_hash]), **extra})
    return {"version": MANIFEST_VERSION, "sources": sources}


def write_manifest(path: str | os.PathLike, manifest: Mapping) -> None:
    """Write ``manifest`` as stable JSON, atomically."""
    write_atomic(
        Path(path), (json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()
    )

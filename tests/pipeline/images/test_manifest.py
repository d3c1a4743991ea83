"""The internal manifest ties outputs to sources by hash only, in a stable order."""

from __future__ import annotations

import json

from pipeline.images import ImageConfig, ImageJob, image_manifest, process_images, write_manifest
from tests.pipeline.images.conftest import ORIGINAL_STEM, photo


def test_manifest_lists_outputs_per_source_hash(tmp_path):
    paths = []
    for i in range(2):
        path = tmp_path / f"{ORIGINAL_STEM}-{i}.jpg"
        photo(seed=i).save(path, quality=90)
        paths.append(path)
    config = ImageConfig(widths=(100,), formats=("webp", "jpeg"))
    report = process_images([ImageJob(p) for p in paths], config, tmp_path / "cache", progress=False)
    first = report.images[0]
    manifest = image_manifest(reversed(report.images), tags={first.source_hash: {"consent": "C-2024-007"}})
    assert [s["source"] for s in manifest["sources"]] == sorted(i.source_hash for i in report.images)
    entry = next(s for s in manifest["sources"] if s["source"] == first.source_hash)
    assert entry["outputs"] == sorted(d.name for d in first.derivatives) and entry["consent"] == "C-2024-007"

    target = tmp_path / "internal" / "image-manifest.json"
    write_manifest(target, manifest)
    text = target.read_text()
    assert ORIGINAL_STEM not in text and json.loads(text) == manifest
    write_manifest(target, image_manifest(report.images, tags={first.source_hash: {"consent": "C-2024-007"}}))
    assert target.read_text() == text  # same content, same bytes

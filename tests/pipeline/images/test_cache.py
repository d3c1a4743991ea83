"""The content-addressed cache: rebuilds encode nothing; only what changed is encoded again."""

from __future__ import annotations

import os
import shutil

from pipeline.images import ImageConfig, ImageJob, process_images, publish
from pipeline.watermark import WatermarkSpec
from tests.pipeline.images.conftest import photo

CONFIG = ImageConfig(widths=(96, 200), formats=("webp", "jpeg"))


def sources(folder, count=3):
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"photo-{i}.jpg"
        photo(seed=i).save(path, quality=90)
        paths.append(path)
    return paths


def test_second_run_encodes_nothing(tmp_path):
    jobs = [ImageJob(p) for p in sources(tmp_path / "src")]
    first = process_images(jobs, CONFIG, tmp_path / "cache", workers=2, progress=False)
    assert (first.encoded, first.cached, first.decoded) == (12, 0, 3)
    second = process_images(jobs, CONFIG, tmp_path / "cache", workers=2, progress=False)
    assert (second.encoded, second.cached, second.decoded) == (0, 12, 0)
    assert second.images == first.images


def test_restored_cache_on_a_fresh_checkout_encodes_nothing(tmp_path):
    """New paths and new mtimes (a clean clone) with the cache folder restored, as CI does."""
    paths = sources(tmp_path / "src")
    first = process_images([ImageJob(p) for p in paths], CONFIG, tmp_path / "cache", progress=False)
    clone = tmp_path / "clone"
    clone.mkdir()
    for path in paths:
        shutil.copyfile(path, clone / path.name)  # fresh mtimes and inodes
    shutil.copytree(tmp_path / "cache", clone / "cache")
    again = process_images([ImageJob(clone / p.name) for p in paths], CONFIG, clone / "cache", progress=False)
    assert (again.encoded, again.cached) == (0, 12)
    assert again.images == first.images


def test_changing_the_watermark_reencodes_exactly_the_watermarked_images(tmp_path):
    marked_paths = sources(tmp_path / "gallery", 2)
    plain_paths = sources(tmp_path / "pages", 3)[2:]  # one unmarked photo (seed 2)

    def jobs(text):
        spec = WatermarkSpec(text=text)
        return [ImageJob(p, watermark=spec) for p in marked_paths] + [ImageJob(p) for p in plain_paths]

    first = process_images(jobs("Aurora"), CONFIG, tmp_path / "cache", progress=False)
    assert first.encoded == 12
    changed = process_images(jobs("Aurora Aesthetics"), CONFIG, tmp_path / "cache", progress=False)
    assert (changed.encoded, changed.cached, changed.decoded) == (8, 4, 2)  # 2 marked photos x 4 derivatives
    assert changed.images[2] == first.images[2]
    assert {d.name for d in changed.images[0].derivatives}.isdisjoint(
        d.name for d in first.images[0].derivatives
    )


def test_adding_a_width_encodes_only_the_new_width_when_the_plan_is_unchanged(tmp_path):
    (path,) = sources(tmp_path / "src", 1)
    process_images([ImageJob(path)], CONFIG, tmp_path / "cache", progress=False)
    wider = ImageConfig(widths=(96, 150, 200), formats=("webp", "jpeg"))
    report = process_images([ImageJob(path)], wider, tmp_path / "cache", progress=False)
    assert (report.encoded, report.cached) == (2, 4)


def test_publish_links_from_the_cache_and_is_idempotent(tmp_path):
    jobs = [ImageJob(p) for p in sources(tmp_path / "src", 2)]
    report = process_images(jobs, CONFIG, tmp_path / "cache", progress=False)
    assert publish(report.images, tmp_path / "output", tmp_path / "cache") == 8
    assert publish(report.images, tmp_path / "output", tmp_path / "cache") == 0
    some = report.images[0].derivatives[0]
    output_file = tmp_path / "output" / some.name
    assert (
        output_file.stat().st_ino
        == next((tmp_path / "cache" / "objects").rglob(f"{some.key}*")).stat().st_ino
    )
    shutil.rmtree(tmp_path / "output")  # Pelican deletes output/ on a full build
    assert publish(report.images, tmp_path / "output", tmp_path / "cache") == 8
    assert not [p for p in (tmp_path / "output").rglob(".tmp-*")]


def test_damaged_cache_entries_are_rebuilt(tmp_path):
    jobs = [ImageJob(p) for p in sources(tmp_path / "src", 1)]
    process_images(jobs, CONFIG, tmp_path / "cache", progress=False)
    victim = next((tmp_path / "cache" / "objects").rglob("*.webp"))
    os.remove(victim)
    for record in (tmp_path / "cache" / "records").rglob("*.json"):
        record.write_text("{not json")
    report = process_images(jobs, CONFIG, tmp_path / "cache", progress=False)
    assert (report.encoded, report.cached) == (1, 3)
    assert victim.is_file()

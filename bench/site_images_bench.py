"""The image stage of a real site build: the demo practice, cold cache then warm.

    .venv/bin/python bench/site_images_bench.py              # the demo practice (content/)
    .venv/bin/python bench/site_images_bench.py --content DIR

Builds with publishconf.py into a temporary folder with an empty image cache, then twice more
with the cache kept (what a rebuild, or CI with the cache restored, does). Prints the whole
build time, the image stage (hashing, cache look-ups, encoding; from plugins/images) and the
hard-linking of derivatives into output/media/, against the issue's anchors: a no-change
rebuild re-encodes 0 images and its image stage takes <= 0.5 s (for 400 photos). Unless
--no-record, the figures replace the "Image stage of a site build" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import runner  # noqa: E402
from bench.results import record  # noqa: E402
from sitebuild import build_of  # noqa: E402

HEADING = "## Image stage of a site build (issue 4)"
ANCHOR_SECONDS = 0.5  # no-change rebuild, 400 photos (issue 4)


def run(content: Path, work: Path) -> dict:
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(work / "out"),
        "INTERNAL_PATH": str(work / "internal"),
        "IMAGE_CACHE_PATH": str(work / "cache"),
    }
    start = time.perf_counter()
    settings = runner.build("publishconf.py", overrides)
    total = time.perf_counter() - start
    images = build_of(settings).images
    shutil.rmtree(work / "relink", ignore_errors=True)
    start = time.perf_counter()
    placed = images.publish(work / "relink")
    link = time.perf_counter() - start
    return {
        "build": total,
        "stage": images.seconds,
        "link": link,
        "placed": placed,
        "sources": len(images.used),
        "encoded": images.encoded,
        "cached": images.cached,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="site-images-bench-") as tmp:
        runs = [
            (name, run(Path(args.content).resolve(), Path(tmp))) for name in ("cold", "warm", "warm again")
        ]
    lines = [
        f"Command: `.venv/bin/python bench/site_images_bench.py` ({platform.python_version()}, "
        f"{len(os.sched_getaffinity(0))} cores)",
        "",
        "| build | whole build | image stage | linking into output/media | published sources / files | encoded | from cache |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in runs:
        lines.append(
            f"| {name} | {r['build']:.2f} s | {r['stage']:.2f} s | {r['link'] * 1000:.0f} ms | "
            f"{r['sources']} / {r['placed']} | {r['encoded']} | {r['cached']} |"
        )
    warm = runs[-1][1]
    lines += [
        "",
        f"No-change rebuild: {warm['encoded']} re-encodes (anchor 0); image stage {warm['stage']:.3f} s "
        f"+ linking {warm['link']:.3f} s for {warm['sources']} photos = "
        f"{(warm['stage'] + warm['link']) / ANCHOR_SECONDS:.3f}x the 0.5 s anchor (which is for 400 photos).",
    ]
    print("\n".join(lines))
    if not args.no_record:
        record("site-images-bench", "\n".join([HEADING, "", *lines]))
    return 0 if warm["encoded"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

"""Before/after pairs with different shapes: a warning, and both on one canvas, never cropped."""

from __future__ import annotations

import logging

from PIL import Image

from pipeline.images import ImageConfig, ImageJob, pair_canvas, plan_pair, process_images


def test_same_shape_needs_no_canvas():
    assert plan_pair((4000, 3000), (2000, 1500)) == plan_pair((4000, 3000), (4004, 3000))
    assert plan_pair((4000, 3000), (2000, 1500)).canvas is None
    assert plan_pair((4000, 3000), (2000, 1500)).warning is None


def test_different_shapes_warn_and_pick_the_wider_ratio():
    plan = plan_pair((3000, 4000), (4000, 3000), names=("case-3/front-before.jpg", "case-3/front-after.jpg"))
    assert plan.canvas == (4, 3)
    assert "case-3/front-before.jpg" in plan.warning and "case-3/front-after.jpg" in plan.warning
    assert "same framing" in plan.warning


def test_pair_canvas_pads_both_to_the_same_size(caplog):
    before = Image.new("RGB", (300, 400), (200, 0, 0))
    after = Image.new("RGB", (800, 600), (0, 0, 200))
    with caplog.at_level(logging.WARNING):
        pair = pair_canvas(before, after, names=("before.jpg", "after.jpg"))
    assert pair.warning and "before.jpg" in caplog.text
    assert pair.before.size == pair.after.size == (533, 400)
    # The portrait photo is centred with plain borders at the sides, nothing cut off.
    assert pair.before.getpixel((5, 200)) == (255, 255, 255)
    assert pair.before.getpixel((266, 5))[0] > 150 and pair.before.getpixel((266, 395))[0] > 150
    assert pair.after.getpixel((266, 200))[2] > 150


def test_pipeline_jobs_share_the_canvas(tmp_path):
    before, after = tmp_path / "b.png", tmp_path / "a.png"
    Image.new("RGB", (300, 400), (200, 0, 0)).save(before)
    Image.new("RGB", (800, 600), (0, 0, 200)).save(after)
    plan = plan_pair((300, 400), (800, 600))
    config = ImageConfig(widths=(200, 400), formats=("jpeg",))
    b, a = process_images(
        [ImageJob(before, canvas=plan.canvas), ImageJob(after, canvas=plan.canvas)],
        config,
        tmp_path / "cache",
        progress=False,
    ).images
    assert [(d.width, d.height) for d in b.derivatives] == [(d.width, d.height) for d in a.derivatives]
    assert [(d.width, d.height) for d in a.derivatives] == [(200, 150), (400, 300)]


def test_upright_size_reads_the_rotated_header(tmp_path):
    from pipeline.images import upright_size
    from tests.pipeline.images.conftest import save_with_metadata

    path = save_with_metadata(Image.new("RGB", (400, 300)), tmp_path / "r.jpg", "jpeg", orientation=6)
    assert upright_size(path) == (300, 400)

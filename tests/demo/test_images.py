"""The committed demo images are exactly what the committed generator draws."""

from __future__ import annotations

from PIL import Image

from demo.images import generate
from tests.support.sitefactory import ROOT


def test_generator_reproduces_the_committed_images(tmp_path):
    written = generate(tmp_path)
    assert len(written) >= 20
    for path in written:
        rel = path.relative_to(tmp_path)
        committed = ROOT / "content" / rel
        assert committed.exists(), f"{rel} is generated but not committed"
        assert committed.read_bytes() == path.read_bytes(), f"content/{rel} is stale: re-run demo.images"
        with Image.open(path) as image:
            assert not image.getexif() and "icc_profile" not in image.info and "xmp" not in image.info

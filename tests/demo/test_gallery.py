"""The committed demo gallery photos are exactly what the committed generator draws."""

from __future__ import annotations

from demo.gallery import PHOTOS, generate
from tests.support.sitefactory import ROOT

GALLERY = ROOT / "content" / "gallery"


def test_generator_reproduces_the_committed_photos(tmp_path):
    written = generate(tmp_path)
    assert len(written) == len(PHOTOS) >= 12
    for path in written:
        rel = path.relative_to(tmp_path)
        committed = ROOT / "content" / rel
        assert committed.exists(), f"{rel} is generated but not committed"
        assert committed.read_bytes() == path.read_bytes(), f"content/{rel} is stale: re-run demo.gallery"


def test_every_photo_belongs_to_a_case_and_the_gallery_stays_small():
    for relative in PHOTOS:
        case = (ROOT / "content" / relative).parent
        assert (case / "case.yml").read_text().count((ROOT / "content" / relative).name) == 1, relative
    total = sum(p.stat().st_size for p in GALLERY.rglob("*") if p.is_file())
    assert total < 1_000_000, f"the demo gallery is {total} bytes; keep it under 1 MB"

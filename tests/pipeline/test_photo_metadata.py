"""Location and personal metadata found in and removed from originals, losslessly: the picture
decodes to the same pixels, the compressed data is the same bytes, and other tools (Pillow's EXIF
reader, ExifTool's specification of the segments) find nothing left."""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from demo.gallery import PHOTOS, encode, render
from pipeline.editor.server import scrub_assets
from pipeline.photos import files, metadata

ROOT = Path(__file__).resolve().parents[2]
GPS_IFD = 0x8825


def _phone_photo(suffix: str) -> bytes:
    """A photo as a phone writes it: GPS EXIF, XMP, IPTC, a comment (the demo's generator)."""
    rel, shot = next((rel, shot) for rel, shot in PHOTOS.items() if shot.metadata and rel.endswith(suffix))
    return encode(render(shot, 7), suffix, True)


def _with_exif(kind: str) -> bytes:
    image = Image.new("RGB", (40, 30), (200, 120, 90))
    exif = Image.Exif()
    exif[0x013B] = "Dr. Jane Example"  # Artist
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (45.0, 31.0, 12.0)})
    buffer = io.BytesIO()
    image.save(buffer, kind, exif=exif.tobytes(), **({"lossless": True} if kind == "WEBP" else {}))
    return buffer.getvalue()


def _gps_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(GPS_IFD))


@pytest.mark.parametrize("suffix", [".jpg", ".heic"])
def test_phone_photos_lose_location_and_keep_every_pixel(suffix):
    data = _phone_photo(suffix)
    report = metadata.inspect(data)
    assert report.location and _gps_of(data)
    clean, removed = metadata.scrub_bytes(data)
    assert removed and not metadata.inspect(clean) and not _gps_of(clean)
    assert b"http://ns.adobe.com/xap" not in clean.replace(b" ", b"") or suffix == ".heic"
    assert metadata.pixels(clean) == metadata.pixels(data)
    if suffix == ".jpg":  # the compressed picture (from the start of scan) is the same bytes
        assert clean[clean.index(b"\xff\xda") :] == data[data.index(b"\xff\xda") :]
        assert b"Photoshop 3.0" not in clean and b"Demo exam room" not in clean
    assert metadata.scrub_bytes(clean)[1] == []  # a clean file is left as it is


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_png_and_webp_lose_their_exif(kind):
    data = _with_exif(kind)
    assert metadata.inspect(data).location and _gps_of(data)
    clean, _ = metadata.scrub_bytes(data)
    assert not metadata.inspect(clean) and not _gps_of(clean)
    assert metadata.pixels(clean) == metadata.pixels(data)


def test_what_the_editor_uploads_is_cleaned_before_it_is_saved():
    data = _phone_photo(".jpg")
    payload = {
        "action": "persistMedia",
        "params": {
            "asset": {"path": "content/images/blog/x.jpg", "content": base64.b64encode(data).decode()}
        },
    }
    payload["params"]["asset"]["encoding"] = "base64"
    cleaned, removed = scrub_assets(payload)
    saved = base64.b64decode(cleaned["params"]["asset"]["content"])
    assert removed and not metadata.inspect(saved) and metadata.pixels(saved) == metadata.pixels(data)


def _inv(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_inv_scrub_check_reports_and_inv_scrub_fixes(tmp_path):
    content = tmp_path / "content"
    photo = content / "gallery" / "case-01" / "front-before.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(_phone_photo(".jpg"))
    (content / "images").mkdir()
    (content / "images" / "clean.png").write_bytes(_clean_png())
    before = metadata.pixels(photo.read_bytes())

    found = _inv("scrub", "--check", "--content", str(content))
    assert found.returncode == 1
    assert "front-before.jpg" in found.stderr and "location" in found.stderr and "inv scrub" in found.stderr
    assert "clean.png" not in found.stderr and "Traceback" not in found.stderr

    fixed = _inv("scrub", "--content", str(content))
    assert fixed.returncode == 0, fixed.stderr
    assert "front-before.jpg" in fixed.stdout
    assert not metadata.inspect(photo.read_bytes()) and metadata.pixels(photo.read_bytes()) == before
    assert _inv("scrub", "--check", "--content", str(content)).returncode == 0


def _clean_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_check_since_a_commit_sees_only_what_changed(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    old = tmp_path / "content" / "images" / "old.jpg"
    old.parent.mkdir(parents=True)
    old.write_bytes(_phone_photo(".jpg"))
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "old"], check=True)
    first = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    new = old.with_name("new.jpg")
    new.write_bytes(_phone_photo(".jpg"))
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "new"], check=True)
    changed = files.changed_since(tmp_path, tmp_path / "content", first)
    assert changed == [new]
    assert [p.path for p in files.problems(changed, tmp_path)] == ["content/images/new.jpg"]


def test_inv_check_names_an_original_that_keeps_its_location(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "images" / "blog" / "from-my-phone.jpg").write_bytes(_phone_photo(".jpg"))
    env = {**os.environ, "SITE_INTERNAL_PATH": str(tmp_path / "internal")}
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    line = next(line for line in result.stderr.splitlines() if "from-my-phone.jpg" in line)
    assert "GPS" in line and "inv scrub" in line

"""The publish guard blocks each kind of leak, on real files (real JPEG/PNG/WebP/AVIF via Pillow)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from pipeline.publish_guard import PublishGuardError, check_output, scan_output
from tests.pipeline.deploy.sitegen import make_site

OWN = {"emails": ["hello@glowmedspa.com"], "phones": ["(212) 555-0100"]}


def image(path: Path, fmt: str = "JPEG", **save) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (24, 24), (200, 150, 150)).save(path, fmt, **save)
    return path


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (40.0, 44.0, 12.0)
    return exif


def iptc_jpeg(path: Path) -> Path:
    image(path)
    data = path.read_bytes()
    payload = b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00\x00\x00\x00\x0c" + b"\x1c\x02\x50\x00\x08Jane Doe"
    path.write_bytes(data[:2] + b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload + data[2:])
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def page(status: str = "published", body: str = "") -> str:
    return f'<!doctype html><html><head><meta name="content-status" content="{status}"></head><body>{body}</body></html>'


@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "output"
    make_site(root, pages=4, images=2)
    image(root / "theme" / "images" / "logo.png", "PNG")
    image(root / "apple-touch-icon.png", "PNG")
    write(
        root / "contact" / "index.html",
        page(
            body=(
                '<a href="mailto:hello@glowmedspa.com">hello@glowmedspa.com</a> <a href="tel:+12125550100">(212) 555-0100</a>'
                ' <img srcset="/theme/logo@2x.png 2x"> <input placeholder="you@example.com">'
            )
        ),
    )
    write(root / "specials" / "old" / "index.html", page("expired"))
    write(
        root / "search.json",
        json.dumps([{"url": "/contact/", "title": "Contact", "telephone": "212-555-0100"}]),
    )
    write(root / "manifest.json", '{"name": "Glow"}')
    return root


def findings(root: Path) -> set[tuple[str, str]]:
    return {(f.path, f.kind) for f in scan_output(root, OWN["emails"], OWN["phones"])}


def test_a_clean_site_passes(site):
    assert scan_output(site, OWN["emails"], OWN["phones"]) == []
    check_output(site, OWN["emails"], OWN["phones"])


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda r: image(r / "media" / "3f2a9c1e0b77-800w.jpg", exif=gps_exif()), "EXIF with GPS"),
        (lambda r: image(r / "media" / "3f2a9c1e0b77-800w.webp", "WEBP", exif=gps_exif()), "EXIF with GPS"),
        (lambda r: image(r / "media" / "3f2a9c1e0b77-800w.avif", "AVIF", exif=gps_exif()), "EXIF with GPS"),
        (
            lambda r: image(
                r / "media" / "3f2a9c1e0b77-800w.jpg", xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'
            ),
            "XMP",
        ),
        (lambda r: iptc_jpeg(r / "media" / "3f2a9c1e0b77-800w.jpg"), "IPTC"),
        (
            lambda r: image(r / "theme" / "images" / "hero.png", "PNG", pnginfo=_png_text()),
            "text chunks (Author)",
        ),
        (lambda r: image(r / "media" / "3f2a9c1e0b77-800w.jpg", comment=b"Jane Doe, week 6"), "comment"),
        (
            lambda r: write(
                r / "theme" / "images" / "icon.svg",
                '<svg xmlns="http://www.w3.org/2000/svg" sodipodi:docname="jane-doe.svg"></svg>',
            ),
            "SVG editor",
        ),
    ],
)
def test_image_metadata_is_blocked(site, make, expected):
    path = make(site)
    found = scan_output(site, OWN["emails"], OWN["phones"])
    rel = path.relative_to(site).as_posix()
    assert [(f.path, f.kind) for f in found] == [(rel, "metadata")]
    assert expected in found[0].detail


def _png_text():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Doe")
    return info


@pytest.mark.parametrize(
    "rel",
    [
        "images/before-after-jane.jpg",  # copied straight from content/
        "media/before-after.webp",  # in media/ but not a content-hash name
        "media/3f2a9c1e0b77/IMG_4032.jpg",  # camera file name
        "theme/images/PXL_20260412_101500.jpg",  # camera file name, even in the theme
    ],
)
def test_original_photos_are_blocked(site, rel):
    image(site / rel)
    assert findings(site) == {(rel, "original")}


@pytest.mark.parametrize(
    "rel, content",
    [
        ("specials/spring-peel/index.html", page("draft")),
        ("specials/summer-glow/index.html", page("scheduled")),
        ("drafts/new-laser.html", page("published")),
    ],
)
def test_drafts_and_unpublished_specials_are_blocked(site, rel, content):
    write(site / rel, content)
    assert findings(site) == {(rel, "unpublished")}


@pytest.mark.parametrize(
    "rel, content",
    [
        ("consent-manifest.json", "{}"),
        ("tracking-manifest.json", "{}"),
        ("redirects.json", "{}"),
        ("theme/image-manifest.json", "{}"),
        ("internal/social/2026-04.json", "[]"),
        ("internal/reports/weekly.html", page()),
        ("internal/partners/dr-lee.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("data/inquiries/today.json", "[]"),
        ("reports/weekly/index.html", '<html><head><meta name="artefact" content="internal"></head></html>'),
        ("data/leads.json", json.dumps({"items": [{"name": "Jane", "email": "jane.doe@gmail.com"}]})),
    ],
)
def test_internal_files_are_blocked(site, rel, content):
    write(site / rel, content)
    assert (rel, "internal") in findings(site)


@pytest.mark.parametrize(
    "rel",
    [
        "internal/inquiries/2026-04.jsonl",
        "exports/instagram.csv",
        "theme/js/site.js.map",
        ".DS_Store",
        "downloads/consent.docx",
        "media/original.heic",
    ],
)
def test_files_outside_the_allowlist_are_blocked(site, rel):
    write(site / rel, "x")
    assert (rel, "type") in findings(site)


def test_pagefind_output_is_allowed(site):
    for rel in (
        "pagefind/pagefind-ui.css",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
        "pagefind/pagefind.en_1a2b3c.pf_meta",
        "pagefind/index/en_1a2b3c.pf_index",
        "pagefind/filter/en_1a2b3c.pf_filter",
        "pagefind/pagefind-highlight.js",
    ):
        write(site / rel, "{}")
    assert findings(site) == set()


@pytest.mark.parametrize(
    "body, detail",
    [
        ("Call Jane at (917) 555-0142 for her results", "phone number (917) 555-0142"),
        ('<a href="tel:+19175550142">text her</a>', "phone number +19175550142"),
        ("Patient: jane.doe@gmail.com", "email address jane.doe@gmail.com"),
        ("jane&#46;doe&#64;gmail&#46;com", "email address jane.doe@gmail.com"),
        ("Reach our London partner on +44 20 7946 0958", "phone number +44 20 7946 0958"),
        ("Jane, mobile 9175550142", "phone number 9175550142"),
        ("Jane (917)555-0142", "phone number (917)555-0142"),
        ("Jane: 1-917-555-0142", "phone number 1-917-555-0142"),
        ("Our Zurich partner: +41446681800", "phone number +41446681800"),
    ],
)
def test_personal_data_is_blocked_but_the_practice_own_is_not(site, body, detail):
    write(
        site / "blog" / "results" / "index.html",
        page(body=body + " Book: hello@glowmedspa.com, 212.555.0100"),
    )
    found = scan_output(site, OWN["emails"], OWN["phones"])
    assert [(f.path, f.kind, f.detail) for f in found] == [
        ("blog/results/index.html", "personal-data", detail)
    ]


def test_the_practice_own_number_in_any_format_and_number_lookalikes_pass(site):
    """phonenumbers decides on each candidate: the practice's number however it is written, and digit
    runs that are no phone number (hash file names, dates, prices, an impossible +1 number) pass."""
    body = (
        "Call +1 (212) 555-0100, 2125550100 or (212)555-0100. "
        '<img src="/media/382d2995575721c7-480.jpg" srcset="/media/5f6661263490c5e4-800.jpg 800w"> '
        "Updated 2026-03-14; from $1,200 to $12,000; order 20260314; +1 123 456 7890; 37.0000, -122.0000"
    )
    write(site / "contact" / "index.html", page(body=body))
    assert findings(site) == set()


def test_message_lists_every_finding_with_the_fix(site):
    write(site / "drafts" / "x.html", page("draft"))
    image(site / "images" / "IMG_0001.jpg", exif=gps_exif())
    with pytest.raises(PublishGuardError) as err:
        check_output(site, OWN["emails"], OWN["phones"])
    message = str(err.value)
    assert str(site) in message and "Nothing was uploaded" in message
    assert "drafts/x.html: draft or unpublished: under drafts/" in message
    assert "images/IMG_0001.jpg: image metadata: EXIF with GPS" in message
    assert "images/IMG_0001.jpg: original photo: camera-style file name" in message
    assert "How to fix:" in message and "image pipeline" in message


@pytest.mark.s3
def test_deploy_site_runs_the_guard_before_any_upload(site, moto_s3, tmp_path):
    from pipeline.deploy.run import deploy_site

    bucket = moto_s3.new_bucket("guard")
    write(site / "thanks" / "index.html", page(body="Thanks, jane.doe@gmail.com!"))
    settings = {"S3_BUCKET": bucket, "OUTPUT_PATH": str(site), "INTERNAL_PATH": str(tmp_path / "internal")}
    with pytest.raises(PublishGuardError, match="jane.doe@gmail.com"):
        deploy_site(settings, root=tmp_path, contacts=OWN, clients=lambda s, r=None: moto_s3.client(s))
    assert moto_s3.client().list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0

    (site / "thanks" / "index.html").unlink()
    result = deploy_site(settings, root=tmp_path, contacts=OWN, clients=lambda s, r=None: moto_s3.client(s))
    assert result.outcome.ok and result.plan.count("upload") > 0


def test_a_report_pdf_copied_into_the_site_is_blocked(site, tmp_path):
    """The real monthly report's PDF carries the internal marker in its metadata; the guard refuses
    it copied alone into a build, under any name, and lets an ordinary PDF through."""
    import io

    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from pipeline.reports.run import report_from_settings
    from tests.pipeline.reports.conftest import write_scenario

    folder, _ = report_from_settings(write_scenario(tmp_path / "practice"), "month", "2026-11-30",
                                     tmp_path / "practice")
    report = (folder / "report.pdf").read_bytes()
    assert b"/Keywords (artefact=internal)" in report  # the PDF's Info dictionary

    ordinary = io.BytesIO()
    with PdfPages(ordinary, metadata={"Title": "Price list"}) as pages:
        figure = plt.figure()
        pages.savefig(figure)
        plt.close(figure)
    (site / "downloads").mkdir()
    (site / "downloads" / "q4-summary.pdf").write_bytes(report)
    (site / "downloads" / "price-list.pdf").write_bytes(ordinary.getvalue())
    assert findings(site) == {("downloads/q4-summary.pdf", "internal")}
    with pytest.raises(PublishGuardError, match="q4-summary.pdf: internal file: a PDF marked as an internal"):
        check_output(site, OWN["emails"], OWN["phones"])

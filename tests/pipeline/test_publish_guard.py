"""The publish guard blocks each kind of leak, on real files (real JPEG/PNG/WebP/AVIF via Pillow,
real PDFs, real links, named pipes and sockets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from pipeline.publish_guard import PublishGuardError, check_output, scan_output
from tests.pipeline.deploy.sitegen import make_site

# The practice's own contacts are on a reserved .example domain, like the demo's: the guard must
# still catch every other address, on any domain, a .example one too.
OWN = {"emails": ["hello@glow-aesthetics.example"], "phones": ["(212) 555-0100"]}


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
                '<a href="mailto:hello@glow-aesthetics.example">hello@glow-aesthetics.example</a> '
                '<a href="tel:+12125550100">(212) 555-0100</a>'
                ' <img srcset="/theme/logo@2x.png 2x"> <input type="email" placeholder="Your email address">'
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
        # Other people's email addresses, on any domain: a reserved .example one too.
        ("Patient: jane.doe@gmail.com", "an email address (j***@gmail.com)"),
        ("Write to jane@glow.example for her photos", "an email address (j***@glow.example)"),
        ("Ask nurse@glow-aesthetics.example.org", "an email address (n***@glow-aesthetics.example.org)"),
        ('<input type="email" placeholder="you@example.com">', "an email address (y***@example.com)"),
        ("jane&#46;doe&#64;gmail&#46;com", "an email address (j***@gmail.com)"),
        ('<a href="mailto:jane%40gmail.com">mail</a>', "an email address (j***@gmail.com)"),
        ("jane [at] gmail [dot] com", "an email address (j***@gmail.com)"),
        ("jane(at)gmail.com", "an email address (j***@gmail.com)"),
        ("<span>jane</span>@<span>gmail.com</span>", "an email address (j***@gmail.com)"),
        # Phone numbers however they are written.
        ("Call Jane at (917) 555-0142 for her results", "a phone number (***-***-0142)"),
        ('<a href="tel:+19175550142">text her</a>', "a phone number (***-***-0142)"),
        ("Reach our London partner on +44 20 7946 0958", "a phone number (***-***-0958)"),
        ("Jane, mobile 9175550142", "a phone number (***-***-0142)"),
        ("Jane (917)555-0142", "a phone number (***-***-0142)"),
        ("Jane: 1-917-555-0142", "a phone number (***-***-0142)"),
        ("Our Zurich partner: +41446681800", "a phone number (***-***-1800)"),
        ("Jane: 917/555/0142", "a phone number (***-***-0142)"),
        ("Jane: 917.555.0142", "a phone number (***-***-0142)"),
        ("Jane: 917&nbsp;555&nbsp;0142", "a phone number (***-***-0142)"),
        ("Jane: 917\u2011555\u20110142", "a phone number (***-***-0142)"),  # non-breaking hyphens
        ("Jane: 917\u2013555\u20130142", "a phone number (***-***-0142)"),  # en dashes
        ("Jane: 917&#8209;555&#8209;0142", "a phone number (***-***-0142)"),
        (
            "Jane: \uff19\uff11\uff17-\uff15\uff15\uff15-\uff10\uff11\uff14\uff12",
            "a phone number (***-***-0142)",
        ),
        ("Jane: 917\u200b555\u200b0142", "a phone number (***-***-0142)"),  # zero-width spaces
        ("Call 917-555-<em>0142</em>", "a phone number (***-***-0142)"),  # split by a tag
        ("Call <b>917</b>-<i>555</i>-<span>0142</span>", "a phone number (***-***-0142)"),
        # Other identifiers.
        ("SSN 123-45-6789 on file", "a US Social Security number (***-**-6789)"),
        ("her social security number: 123456789", "a US Social Security number (***-**-6789)"),
        ("DOB: 03/14/1980", "a date of birth (after 'DOB')"),
        ("Jane, born on March 14, 1980, says", "a date of birth (after 'born on')"),
        ("Date of birth 1980-03-14", "a date of birth (after 'Date of birth')"),
        ("MRN: 00123456", "a medical record number (after 'MRN')"),
        ("medical record # 4456221", "a medical record number (after 'medical record')"),
    ],
)
def test_personal_data_is_blocked_but_the_practice_own_is_not(site, body, detail):
    write(
        site / "blog" / "results" / "index.html",
        page(body=body + " Book: hello@glow-aesthetics.example, 212.555.0100"),
    )
    found = scan_output(site, OWN["emails"], OWN["phones"])
    assert [(f.path, f.kind, f.detail) for f in found] == [
        ("blog/results/index.html", "personal-data", detail)
    ]


@pytest.mark.parametrize(
    "rel, text",
    [
        (
            "feeds/all.atom.xml",
            '<feed><entry><content type="html">Call 917-555-&lt;em&gt;0142&lt;/em&gt;</content></entry></feed>',
        ),
        ("feeds/all.rss.xml", "<rss><item><description>jane@gmail.com</description></item></rss>"),
        ("search/data.json", json.dumps([{"url": "/x/", "text": "Call 917.555.0142 for results"}])),
        ("theme/css/site.css", 'footer::after { content: "Call 917-555-0142"; }'),
        ("theme/js/site.js", 'const help = "Text Jane on 917 555 0142";'),
        ("theme/js/contact.js", "const to = 'jane@gmail.com';"),
        ("humans.txt", "Team: jane.doe@gmail.com"),
        ("theme/images/badge.svg", '<svg xmlns="http://www.w3.org/2000/svg"><text>917-555-0142</text></svg>'),
        (
            "events/open-house/open-house.ics",
            "BEGIN:VCALENDAR\r\nDESCRIPTION:RSVP to jane@gmail.com\r\nEND:VCALENDAR\r\n",
        ),
        ("site.webmanifest", json.dumps({"name": "Glow", "description": "Text 917-555-0142"})),
    ],
)
def test_every_published_text_type_is_scanned(site, rel, text):
    write(site / rel, text)
    found = [(f.path, f.kind) for f in scan_output(site, OWN["emails"], OWN["phones"])]
    assert found == [(rel, "personal-data")]


def test_code_and_calendars_do_not_raise_false_alarms(site):
    """Numeric constants in scripts and event UIDs (RFC 5545 writes them like addresses) are not
    personal data; the practice's own contacts in scripts and calendars pass."""
    write(site / "theme" / "js" / "site.js", "const max = 2125550199; const t = 9175550142 * 2; // timings\n")
    write(
        site / "events" / "x.ics",
        "BEGIN:VEVENT\r\nUID:open-house@glow-aesthetics.example\r\n"
        "ORGANIZER:mailto:hello@glow-aesthetics.example\r\nEND:VEVENT\r\n",
    )
    assert findings(site) == set()


def _pdf(text: str = "", **metadata) -> bytes:
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page_ = writer.add_blank_page(300, 200)
    if text:
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page_[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode())
        page_[NameObject("/Contents")] = writer._add_object(stream)
    if metadata:
        writer.add_metadata({f"/{k}": v for k, v in metadata.items()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "pdf, detail",
    [
        (lambda: _pdf("Call Jane on 917-555-0142"), "a phone number (***-***-0142)"),
        (lambda: _pdf("Price list", Author="jane.doe@gmail.com"), "an email address (j***@gmail.com)"),
        (lambda: _pdf("Consent", Subject="Patient DOB: 1980-03-14"), "a date of birth (after 'DOB')"),
    ],
)
def test_pdf_text_and_metadata_are_scanned(site, pdf, detail):
    (site / "downloads").mkdir()
    (site / "downloads" / "price-list.pdf").write_bytes(pdf())
    (site / "downloads" / "clean.pdf").write_bytes(_pdf("Our prices, from $12 a unit", Title="Price list"))
    found = scan_output(site, OWN["emails"], OWN["phones"])
    assert [(f.path, f.kind, f.detail) for f in found] == [
        ("downloads/price-list.pdf", "personal-data", detail)
    ]


@pytest.mark.parametrize(
    "rel",
    [
        "Internal/notes.txt",
        "INTERNAL/notes.txt",
        "\uff49\uff4e\uff54\uff45\uff52\uff4e\uff41\uff4c/notes.txt",  # full-width letters
        "internal./notes.txt",
        "Inquiries/2026.json",
        "Drafts/new-laser.html",
        "Consent-Manifest.JSON",
        "theme/Tracking_Manifest.json",
    ],
)
def test_paths_are_compared_case_insensitively_after_unicode_normalisation(site, rel):
    write(site / rel, "[]")
    kinds = {kind for path, kind in findings(site) if path == rel}
    assert kinds & {"internal", "unpublished"}, (rel, findings(site))


@pytest.mark.parametrize(
    "content, what",
    [
        (  # an inquiry record under another name, even with its contact fields emptied
            {
                "id": "c61b",
                "name": None,
                "email": None,
                "phone": None,
                "form_page": "/",
                "received_at": "2026-07-01",
            },
            "shaped like inquiries",
        ),
        (
            [{"Full Name": "Jane Doe", "E-mail": "jane@gmail.com", "Mobile": "917-555-0142"}],
            "shaped like inquiries",
        ),
        (
            {
                "version": 1,
                "as_of": "2026-11-22",
                "ledger": "content/gallery/consent.yml",
                "sources": [
                    {
                        "source": "ab" * 32,
                        "outputs": ["media/x.jpg"],
                        "uses": [{"case": "a", "consent": "C-1"}],
                    }
                ],
                "withheld": [],
            },
            "a consent manifest",
        ),
        (
            [
                {
                    "id": "C-2025-003",
                    "scope": "web",
                    "granted": "2025-04",
                    "expires": "2028-04",
                    "revoked": False,
                }
            ],
            "a consent ledger entry",
        ),
        ({"version": 1, "sources": [{"source": "ab" * 32, "outputs": ["x-480.jpg"]}]}, "an image manifest"),
    ],
)
def test_internal_json_is_recognised_by_its_content_under_any_name(site, content, what):
    write(site / "assets" / "data.json", json.dumps(content))
    found = [f for f in scan_output(site, OWN["emails"], OWN["phones"]) if f.path == "assets/data.json"]
    assert any(f.kind == "internal" and what in f.detail for f in found), found


def test_links_and_special_files_are_refused_and_never_read(site, tmp_path):
    import os
    import socket

    secret = tmp_path / "secret.txt"
    secret.write_text("token=abc jane.doe@gmail.com")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text(page(body="jane.doe@gmail.com"))
    (site / "theme" / "token.txt").symlink_to(secret)
    (site / "passwd.txt").symlink_to("/etc/passwd")
    (site / "blog").mkdir(exist_ok=True)
    (site / "blog" / "linked").symlink_to(elsewhere, target_is_directory=True)
    os.mkfifo(site / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(site / "live.sock"))
    try:
        found = {(f.path, f.kind, f.detail) for f in scan_output(site, OWN["emails"], OWN["phones"])}
    finally:
        sock.close()
    assert ("theme/token.txt", "link", f"a symbolic link to {secret}") in found
    assert ("passwd.txt", "link", "a symbolic link to /etc/passwd") in found
    assert ("blog/linked", "link", f"a symbolic link to {elsewhere}") in found
    assert ("pipe.txt", "link", "a named pipe (FIFO)") in found
    assert ("live.sock", "link", "a socket") in found
    assert not [f for f in found if f[1] == "personal-data"], "a link's target was read"


def test_a_name_from_the_private_patient_list_is_found_and_never_shown(site, tmp_path):
    from pipeline.patient_list import load_patient_list

    listed = tmp_path / "patients.csv"
    listed.write_text(
        "Patient First Name,Patient Last Name,DOB\nMaria,Alvarez-Soto,1980-03-14\nJane,Doe,\nGrace,,\n"
    )
    patients = load_patient_list(listed)
    write(site / "blog" / "story" / "index.html", page(body="<p>DOE, <b>JANE</b> loved her results</p>"))
    write(site / "gallery" / "maria-alvarez-soto" / "index.html", page(body="Softer lines"))
    write(site / "blog" / "grace" / "index.html", page(body="Grace and poise; Jane Austen; Doe season"))
    (site / "downloads").mkdir()
    (site / "downloads" / "story.pdf").write_bytes(_pdf("Results for Jane Doe"))
    found = [
        f
        for f in scan_output(site, OWN["emails"], OWN["phones"], patients=patients)
        if f.kind == "patient-name"
    ]
    assert [(f.path, f.detail) for f in found] == [
        ("blog/story/index.html", "a name from the private patient list (entry 2)"),
        ("downloads/story.pdf", "a name from the private patient list (entry 2)"),
        ("gallery/***/index.html", "a name from the private patient list (entry 1)"),
    ]
    with pytest.raises(PublishGuardError) as stopped:
        check_output(site, OWN["emails"], OWN["phones"], patients=patients)
    message = str(stopped.value)
    assert "entry 2" in message
    assert not any(name in message.lower() for name in ("jane", "maria", "alvarez", "doe"))


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
    with pytest.raises(
        PublishGuardError, match=r"thanks/index.html: personal data: an email address \(j\*\*\*@gmail.com\)"
    ):
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

    folder, _ = report_from_settings(
        write_scenario(tmp_path / "practice"), "month", "2026-11-30", tmp_path / "practice"
    )
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

"""No original ever reaches output/: every way a body can name a picture goes through the image pipeline.

Photos in JPEG, PNG, WebP and HEIC, each carrying GPS EXIF, XMP and IPTC and named after a
"patient", are written into posts as ``{static}``, ``{attach}``, a path relative to the post,
a site path and raw ``<img>``. The built site is then read by tools that are not ours (exifread,
pypdf) and scanned byte by byte for every metadata marker; no file may carry one, nor the
original file name. Every file and folder is readable by a web server running as another user,
even when the build ran under a umask that makes files private. The theme cannot carry a
picture either, and only allowed static files (a PDF, stripped of its author) are copied.
"""

from __future__ import annotations

import io
import os
import re
import stat
from pathlib import Path

import exifread
import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.content.errors import ContentError
from tests.pipeline.images.conftest import SECRET, photo, save_with_metadata
from tests.support.sitefactory import FILES, ROOT, SiteFactory

PATIENT = "jane-doe"
MARKERS = (b"Exif", b"EXIF", b"eXIf", b"http://ns.adobe.com/xap", b"Photoshop 3.0", SECRET.encode())
FORMATS = {"jpeg": "jpg", "png": "png", "webp": "webp", "heic": "heic"}
RASTER = {".jpg", ".jpeg", ".png", ".webp", ".avif", ".heic", ".gif"}
POST = FILES["blog/botox-myths.md"]

# How Pelican users write a picture, each pointing at a photo full of metadata.
BODIES = {
    "static-link": "Intro.\n\n![A treatment room]({static}/images/blog/jane-doe-room.jpg)\n",
    "attach-link": "Intro.\n\n![A calm corner]({attach}../images/blog/jane-doe-corner.png)\n",
    "relative-path": "Intro.\n\n![A window seat](../images/blog/jane-doe-window.webp)\n",
    "site-path": "Intro.\n\n![A reception desk](/images/blog/jane-doe-desk.heic)\n",
    "raw-img": 'Intro.\n\n<div class="figure"><img src="/images/blog/jane-doe-room.jpg" alt="The room again"></div>\n\n'
    'Inline <img src="{static}/images/blog/jane-doe-window.webp" alt="The window, inline"> too.\n',
    "with-a-pdf": "Our [price list]({attach}/files/prices.pdf) and a picture:\n\n"
    "![A chair]({static}/images/blog/jane-doe-corner.png)\n",
}
SOURCES = {
    "jane-doe-room": "jpeg",
    "jane-doe-corner": "png",
    "jane-doe-window": "webp",
    "jane-doe-desk": "heic",
}


def _pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": SECRET, "/Creator": f"{SECRET} Word", "/Title": "Prices"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _site(tmp_path: Path) -> SiteFactory:
    site = SiteFactory(tmp_path / "site").write_all()
    for seed, (stem, fmt) in enumerate(SOURCES.items()):
        save_with_metadata(
            photo((360, 240), seed), site.content / "images/blog" / f"{stem}.{FORMATS[fmt]}", fmt
        )
    (site.content / "files").mkdir()
    (site.content / "files/prices.pdf").write_bytes(_pdf_with_author())
    for name, body in BODIES.items():
        site.write(f"blog/{name}.md", {**POST, "title": f"Pictures: {name}"}, body=body)
    return site


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("originals")
    site = _site(tmp_path)
    cache = tmp_path / "image-cache"
    old = os.umask(0o077)  # a coordinator's private umask: nothing may come out private anyway
    try:
        site.build(IMAGE_CACHE_PATH=str(cache), IMAGE_WIDTHS=(160, 320), SEARCH_INDEX=False)
    finally:
        os.umask(old)
    return site, cache


def test_the_sources_really_carry_metadata_and_a_patient_name(built):
    site, _ = built
    for stem, fmt in SOURCES.items():
        data = (site.content / "images/blog" / f"{stem}.{FORMATS[fmt]}").read_bytes()
        assert SECRET.encode() in data and b"http://ns.adobe.com/xap" in data
    assert SECRET.encode() in (site.content / "files/prices.pdf").read_bytes()


@pytest.mark.parametrize("name", list(BODIES))
def test_every_way_of_writing_a_picture_becomes_a_pipeline_picture(built, name):
    site, _ = built
    html = (site.output / f"blog/{name}/index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    assert "<picture" in article
    assert "/media/" in article
    assert PATIENT not in article and "{static}" not in article and "{attach}" not in article


def test_no_output_file_carries_metadata_or_an_original_name(built):
    site, _ = built
    files = _files(site.output)
    pictures = [p for p in files if p.suffix.lower() in RASTER]
    assert len(pictures) > 20
    for path in files:
        relative = path.relative_to(site.output).as_posix()
        assert PATIENT not in relative, relative
        data = path.read_bytes()
        assert PATIENT.encode() not in data, relative
        if path.suffix.lower() in RASTER:
            assert exifread.process_file(io.BytesIO(data), details=True) == {}, relative
            for marker in MARKERS:
                assert marker not in data, (relative, marker)
            assert re.fullmatch(r"media/(social/)?[0-9a-f]{16}-\d+(x\d+)?\.(avif|webp|jpg)", relative), (
                relative
            )


def test_the_pdf_is_published_without_its_metadata(built):
    site, _ = built
    (pdf,) = [p for p in _files(site.output) if p.suffix == ".pdf"]
    data = pdf.read_bytes()
    assert SECRET.encode() not in data and b"/Author" not in data and b"/Creator" not in data
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1 and not reader.metadata
    assert "/Metadata" not in reader.trailer["/Root"]


def test_every_output_file_and_cached_image_is_readable_by_everyone(built):
    site, cache = built
    for root in (site.output, cache):
        for path in [root, *root.rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))


def test_a_theme_picture_or_a_picture_in_theme_css_stops_the_build(tmp_path):
    import shutil

    site = SiteFactory(tmp_path / "site").write_all()
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "static/images").mkdir()
    save_with_metadata(photo((60, 40)), theme / "static/images/jane-doe-hero.jpg", "jpeg")
    css = theme / "static/css/site.css"
    css.write_text(
        css.read_text() + '\n.hero {\n  background: url("../images/jane-doe-hero.jpg") no-repeat;\n}\n'
        '.band { background-image: image-set("../images/band.webp" 1x); }\n'
    )
    line = (
        css.read_text().splitlines().index('  background: url("../images/jane-doe-hero.jpg") no-repeat;') + 1
    )
    with pytest.raises(ContentError) as caught:
        site.build(THEME=str(theme), SEARCH_INDEX=False)
    problems = [str(p) for p in caught.value.problems]
    assert any(
        p.startswith("../theme/static/images/jane-doe-hero.jpg:file: is a picture in the theme")
        for p in problems
    ), problems
    assert any(
        p.startswith("../theme/static/css/site.css:url: names the picture '../images/jane-doe-hero.jpg'")
        and p.endswith(f"(line {line})")
        for p in problems
    ), problems
    assert any("'../images/band.webp'" in p for p in problems), problems
    assert not site.output.exists()


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            "[Intake form]({attach}/files/intake.docx)",
            "would copy content/files/intake.docx to the site, and .docx files",
        ),
        ("[Full size]({static}/images/blog/botox-myths.jpg)", "would copy the original picture"),
        (
            (
                '<picture><source srcset="/images/blog/botox-myths.jpg"><img src="/images/blog/botox-myths.jpg" alt="x">'
                "</picture>"
            ),
            "the text has a <picture> element",
        ),
        ('<p style="background: url(/images/blog/botox-myths.jpg)">Hi</p>', "a picture in a style attribute"),
        ("![A room](data:image/jpeg;base64,/9j/4AAQ)", "written into the text (a data: address)"),
    ],
    ids=["docx", "static-image-link", "picture", "style-url", "data-uri"],
)
def test_what_the_pipeline_cannot_take_stops_the_build_with_the_line(tmp_path, body, words):
    site = SiteFactory(tmp_path).write_all()
    (site.content / "files").mkdir()
    (site.content / "files/intake.docx").write_bytes(b"PK\x03\x04 a document")
    path = site.write("blog/botox-myths.md", POST, body=f"Intro.\n\nMore.\n\n{body}\n")
    line = path.read_text().splitlines().index(body) + 1
    with pytest.raises(ContentError) as caught:
        site.build(SEARCH_INDEX=False)
    problems = [str(p) for p in caught.value.problems]
    assert any(
        p.startswith("content/blog/botox-myths.md:body: ") and words in p and p.endswith(f"(line {line})")
        for p in problems
    ), problems
    assert not site.output.exists()


def test_static_paths_copy_only_allowed_types_and_never_a_picture(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    downloads = site.content / "downloads"
    downloads.mkdir()
    (downloads / "aftercare.pdf").write_bytes(_pdf_with_author())
    (downloads / "notes.docx").write_bytes(b"PK\x03\x04")
    save_with_metadata(photo((60, 40)), downloads / "jane-doe-raw.png", "png")
    with pytest.raises(ContentError) as caught:
        site.build(STATIC_PATHS=["downloads"], SEARCH_INDEX=False)
    problems = {p.path: str(p) for p in caught.value.problems}
    assert (
        "is listed in STATIC_PATHS and would copy content/downloads/notes.docx"
        in problems["content/downloads/notes.docx"]
    )
    assert "would copy the original picture" in problems["content/downloads/jane-doe-raw.png"]
    assert "content/downloads/aftercare.pdf" not in problems
    (downloads / "notes.docx").unlink()
    (downloads / "jane-doe-raw.png").unlink()
    site.build(STATIC_PATHS=["downloads"], SEARCH_INDEX=False)
    published = (site.output / "downloads/aftercare.pdf").read_bytes()
    assert SECRET.encode() not in published and b"/Author" not in published

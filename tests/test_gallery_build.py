"""Real Pelican builds of a practice with a before/after gallery: consent, privacy, pages, cache."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import logging
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

import runner
from pipeline.consent import decide, load_ledger
from pipeline.content.errors import ContentError
from pipeline.images import ImageJob, process_images
from plugins.images import read_image_settings
from plugins.watermark import read_watermark_settings
from sitebuild import build_of
from tests.support.gallery import (
    CASES,
    FORBIDDEN_BYTES,
    LEDGER,
    PATIENT,
    GallerySite,
    exif_tags,
    metadata_found,
    photo,
    sha256,
)
from tests.support.html import links, page

SITEURL = "https://test-aesthetics.example"
AS_OF = dt.date(2026, 11, 22)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".heic"}
TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt", ".js", ".css", ".ics", ".atom", ".rss", ""}


@contextmanager
def captured(name: str = "plugins"):
    """Log records of our plugins during a build (what the coordinator sees in the terminal)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def messages(records) -> str:
    return "\n".join(r.getMessage() for r in records)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> GallerySite:
    """The gallery practice, written once; tests change copies of it."""
    return GallerySite(tmp_path_factory.mktemp("gallery-template")).write_all()


@pytest.fixture
def fresh(template, tmp_path) -> GallerySite:
    return GallerySite(tmp_path).copy_from(template)


@pytest.fixture(scope="module")
def published(tmp_path_factory, template):
    site = GallerySite(tmp_path_factory.mktemp("gallery")).copy_from(template)
    with captured() as records:
        site.build("publishconf.py", SITEURL=SITEURL)
    return site, records


def manifest(site) -> dict:
    return json.loads((site.root / "internal" / "consent-manifest.json").read_text())


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def media_urls(doc, scope: str = "//figure[@data-ba]") -> set[str]:
    """Every image file the before/after figures of a page point to (src and srcset of <img> and <source>)."""
    found = set()
    for value in doc.xpath(f"{scope}//img/@src | {scope}//img/@srcset | {scope}//source/@srcset"):
        found.update(part.strip().split(" ")[0] for part in value.split(","))
    return {url.removeprefix(SITEURL + "/") for url in found}


# -- consent ------------------------------------------------------------------------------


def test_cases_with_consent_are_published_and_the_revoked_one_is_not(published):
    site, _ = published
    out = site.output
    for case_id in ("botox-front-01", "hydra-glow-02", "rhino-profile-03"):
        assert (out / "gallery" / case_id / "index.html").is_file(), case_id
    assert not (out / "gallery" / "botox-revoked-04").exists()
    cards = {h for h in links(page(out, "/gallery/")) if re.search(r"/gallery/[a-z0-9-]+/$", h)}
    assert {h.removeprefix(SITEURL) for h in cards} == {
        "/gallery/botox-front-01/",
        "/gallery/hydra-glow-02/",
        "/gallery/rhino-profile-03/",
    }
    for path in files(out):
        if path.suffix in (".html", ".xml", ".json"):
            text = path.read_text(errors="replace")
            assert "botox-revoked-04" not in text and "Withheld case" not in text, path


def test_the_build_says_which_case_was_withheld_and_why(published):
    _, records = published
    text = messages(records)
    assert "content/gallery/botox-revoked-04/case.yml" in text
    assert "consent C-REVOKED revoked 2026-02" in text
    assert all(r.levelno == logging.WARNING for r in records if "withheld" in r.getMessage())


def _derivative_names(site, case_id: str, tmp_path) -> set[str]:
    """What the pipeline names this case's photos' derivatives under the build's own settings."""
    settings = runner.load_settings("publishconf.py", site.settings(SITEURL=SITEURL))
    config, _, _ = read_image_settings(settings)
    spec, _ = read_watermark_settings(settings)
    jobs = [ImageJob(p, watermark=spec) for p in site.photo_paths(case_id)]
    report = process_images(jobs, config, tmp_path / "cache", progress=False)
    return {d.name for image in report.images for d in image.derivatives}


def test_withheld_photos_are_absent_from_the_output(published, tmp_path):
    site, _ = published
    on_site = {p.relative_to(site.output).as_posix() for p in files(site.output / "media")}
    assert (
        _derivative_names(site, "botox-front-01", tmp_path) <= on_site
    )  # the control: names match the build's
    assert not _derivative_names(site, "botox-revoked-04", tmp_path) & on_site
    sources = {entry["source"] for entry in manifest(site)["sources"]}
    assert not {sha256(p) for p in site.photo_paths("botox-revoked-04")} & sources


def test_a_photo_in_two_cases_lists_both_uses_and_consents(tmp_path, template):
    """The consent manifest keeps every case a published photo appears in, each with its consent."""
    site = GallerySite(tmp_path).copy_from(template)
    twin = copy.deepcopy(CASES["botox-front-01"])
    twin.update(consent=CASES["hydra-glow-02"]["consent"], title="The same photos, another write-up")
    site.write_case("botox-twin-09", twin, photos=False)
    for path in site.photo_paths("botox-front-01"):
        shutil.copy(path, site.gallery / "botox-twin-09" / path.name)
    site.build("publishconf.py", SITEURL=SITEURL)
    by_source = {entry["source"]: entry for entry in manifest(site)["sources"]}
    for path in site.photo_paths("botox-front-01"):
        assert by_source[sha256(path)]["uses"] == [
            {"case": "botox-front-01", "consent": CASES["botox-front-01"]["consent"]},
            {"case": "botox-twin-09", "consent": CASES["hydra-glow-02"]["consent"]},
        ]


def test_every_published_gallery_photo_traces_to_a_valid_consent(published):
    site, _ = published
    data = manifest(site)
    ledger = load_ledger(site.gallery / "consent.yml")
    by_source = {entry["source"]: entry for entry in data["sources"]}
    listed = {name for entry in data["sources"] for name in entry["outputs"]}
    for case_id in ("botox-front-01", "hydra-glow-02", "rhino-profile-03"):
        for path in site.photo_paths(case_id):
            [use] = by_source[sha256(path)]["uses"]
            assert use == {"case": case_id, "consent": CASES[case_id]["consent"]}
            assert decide(use["consent"], ledger, "web", AS_OF).allowed
        gallery_media = media_urls(page(site.output, f"/gallery/{case_id}/"))
        assert gallery_media and gallery_media <= listed, case_id
    for name in listed:
        assert (site.output / name).is_file(), name
    assert data["withheld"] == [{"case": "botox-revoked-04", "reason": "consent C-REVOKED revoked 2026-02"}]
    assert not (site.output / "consent-manifest.json").exists()  # internal, never deployed


@pytest.mark.parametrize(
    "consent, reason",
    [
        ("C-EXPIRED", "consent C-EXPIRED expired 2026-06"),
        ("C-SOCIAL", "consent C-SOCIAL not in scope for web (scope: social)"),
        ("C-FUTURE", "consent C-FUTURE granted 2027-01, not yet in effect"),
    ],
)
def test_expired_out_of_scope_or_future_consent_withholds_the_case(fresh, consent, reason):
    site = fresh
    site.edit_case("hydra-glow-02", consent=consent)
    with captured() as records:
        site.build()
    assert not (site.output / "gallery" / "hydra-glow-02").exists()
    assert "/gallery/hydra-glow-02/" not in "".join(links(page(site.output, "/procedures/hydrafacial/")))
    assert "content/gallery/hydra-glow-02/case.yml" in messages(records) and reason in messages(records)
    assert {"case": "hydra-glow-02", "reason": reason} in manifest(site)["withheld"]


def test_unknown_consent_id_fails_the_build_naming_the_case(fresh):
    site = fresh
    site.edit_case("hydra-glow-02", consent="C-NOPE")
    with pytest.raises(ContentError) as error:
        site.build()
    message = str(error.value)
    assert "content/gallery/hydra-glow-02/case.yml:consent:" in message
    assert "'C-NOPE' is not in the consent ledger content/gallery/consent.yml" in message
    assert not site.output.exists()


def test_revoking_consent_unpublishes_on_the_next_build(fresh):
    site = fresh
    site.build()
    case_page = site.output / "gallery" / "hydra-glow-02" / "index.html"
    assert case_page.is_file()
    before = media_urls(page(site.output, "/gallery/hydra-glow-02/"))
    ledger = [dict(e, revoked="2026-11") if e["id"] == "C-OK-2" else e for e in LEDGER]
    site.write_ledger(ledger)  # only the ledger changes; the case folder is untouched
    site.build()
    assert not case_page.exists()
    remaining = {p.relative_to(site.output).as_posix() for p in files(site.output)}
    assert before and not before & remaining


def test_a_missing_ledger_is_a_clear_error(fresh):
    site = fresh
    (site.gallery / "consent.yml").unlink()
    with pytest.raises(ContentError, match="content/gallery/consent.yml:file: the consent ledger is missing"):
        site.check()


# -- privacy of the output ----------------------------------------------------------------


def test_the_sources_really_carry_metadata_and_a_name(published):
    site, _ = published
    for path in site.photo_paths("botox-front-01"):
        data = path.read_bytes()
        jpeg_markers = [
            m for m in FORBIDDEN_BYTES if m not in (b"EXIF", b"eXIf")
        ]  # those are WebP's and PNG's
        assert all(marker in data for marker in jpeg_markers) and PATIENT in path.name
        assert any(tag.startswith("GPS") for tag in exif_tags(data))


def test_no_metadata_in_any_output_image(published):
    site, _ = published
    images = [p for p in files(site.output) if p.suffix.lower() in IMAGE_SUFFIXES]
    assert len(images) > 50
    assert {p.suffix for p in images} >= {".jpg", ".webp", ".avif"}
    for path in images:
        assert metadata_found(path.read_bytes()) == [], path


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "AVIF", "PNG"])
def test_the_metadata_check_sees_metadata_in_every_format(tmp_path, fmt):
    """The check above can fail: a derivative that kept its EXIF (GPS) or XMP, in any format, is seen
    (exifread alone reads nothing from WebP, whose EXIF chunk is "EXIF", nor PNG's "eXIf")."""
    from tests.pipeline.images.conftest import gps_exif

    image = photo((64, 48), 3)
    for extra in ({"exif": gps_exif()}, {"xmp": b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'}):
        if fmt == "PNG" and "xmp" in extra:
            continue  # Pillow writes no XMP into PNG
        buffer = io.BytesIO()
        image.save(buffer, fmt, **extra)
        assert metadata_found(buffer.getvalue()), (fmt, extra)
    clean = io.BytesIO()
    image.save(clean, fmt)
    assert metadata_found(clean.getvalue()) == []


def test_no_original_file_name_or_original_file_leaves_the_build(published):
    site, _ = published
    assert not (site.output / "images").exists()
    originals = {p.name for p in site.content.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES}
    assert len(originals) > 10 and any(PATIENT in name for name in originals)
    for path in files(site.output):
        rel = path.relative_to(site.output).as_posix()
        assert PATIENT not in rel and path.name not in originals, rel
        if path.suffix in TEXT_SUFFIXES:
            text = path.read_text(errors="replace")
            assert PATIENT not in text, rel
            assert not [name for name in originals if name in text], rel
    for path in files(site.output / "media"):
        assert re.fullmatch(r"[0-9a-f]{16}-\d+(x\d+)?\.(avif|webp|jpg)", path.name), path.name


def test_every_image_is_a_picture_with_dimensions_lazy_but_the_first(published):
    site, _ = published
    doc = page(site.output, "/gallery/botox-front-01/")
    pictures = doc.xpath("//main//figure[@data-ba]//picture")
    assert len(pictures) == 2
    for picture in pictures:
        types = picture.xpath(".//source/@type")  # lxml nests <source>s: it parses HTML4
        assert types == ["image/avif", "image/webp"]
        img = picture.xpath(".//img")[0]
        assert int(img.get("width")) > 0 and int(img.get("height")) > 0 and img.get("srcset")
        assert img.get("src").startswith(f"{SITEURL}/media/") and img.get("src").endswith(".jpg")
    first = pictures[0].xpath(".//img")[0]
    assert first.get("fetchpriority") == "high" and first.get("loading") is None
    cards = page(site.output, "/gallery/").xpath("//main//img")
    assert all(img.get("fetchpriority") == "high" for img in cards[:2])  # the first card's pair
    assert len(cards) > 2 and all(img.get("loading") == "lazy" for img in cards[2:])
    home = page(site.output, "/")
    assert home.xpath("//img") and all(img.xpath("ancestor::picture") for img in home.xpath("//img"))


def test_a_pair_of_different_shapes_is_padded_to_one_canvas_with_a_warning(published):
    site, records = published
    assert "content/gallery/rhino-profile-03/case.yml" in messages(records)
    assert "different shapes" in messages(records)
    doc = page(site.output, "/gallery/rhino-profile-03/")
    front = doc.xpath("//figure[@data-ba]")[1].xpath(".//img")
    ratios = {round(int(i.get("width")) / int(i.get("height")), 3) for i in front}
    assert len(ratios) == 1, ratios


# -- pages ---------------------------------------------------------------------------------


def test_filter_pages_work_without_javascript(published):
    site, _ = published

    def cases_on(url: str) -> set[str]:
        return {h.removeprefix(SITEURL) for h in links(page(site.output, url), "//ul[@data-gallery-list]")}

    assert cases_on("/gallery/procedures/botox/") == {"/gallery/botox-front-01/"}
    assert cases_on("/gallery/procedures/rhinoplasty/") == {"/gallery/rhino-profile-03/"}
    assert cases_on("/gallery/areas/crows-feet/") == {"/gallery/botox-front-01/"}
    assert cases_on("/gallery/areas/face/") == {"/gallery/hydra-glow-02/"}
    index = page(site.output, "/gallery/")
    browse = links(index, "//nav[contains(@class, 'gallery-browse')]")
    assert (
        f"{SITEURL}/gallery/procedures/hydrafacial/" in browse and f"{SITEURL}/gallery/areas/nose/" in browse
    )
    item = index.xpath("//li[@data-case][.//a[contains(@href, 'botox-front-01')]]")[0]
    assert (
        item.get("data-procedure"),
        item.get("data-areas"),
        item.get("data-age"),
        item.get("data-sessions"),
    ) == ("botox", "forehead crows-feet", "40-49", "1")
    assert index.xpath("//form[@data-gallery-filters][@hidden]//select[@name='age']")


def test_procedure_pages_list_their_cases(published):
    site, _ = published
    botox = links(page(site.output, "/procedures/botox/"))
    assert f"{SITEURL}/gallery/botox-front-01/" in botox
    assert f"{SITEURL}/gallery/procedures/botox/" in botox
    assert not any("revoked" in h or "hydra-glow" in h for h in botox)
    assert f"{SITEURL}/gallery/hydra-glow-02/" in links(page(site.output, "/procedures/hydrafacial/"))


def test_case_page_shows_the_facts_disclaimer_and_labels(published):
    site, _ = published
    doc = page(site.output, "/gallery/botox-front-01/")
    text = " ".join(doc.xpath("//main//text()"))
    for expected in (
        "Softer frown lines",
        "1 session",
        "2 weeks after treatment",
        "40–49",
        "Fitzpatrick III",
        "Kim Park",
        "Front — before",
        "Front — 2 weeks after",
    ):
        assert expected in text, expected
    assert f"{SITEURL}/team/kim-park/" in links(doc) and f"{SITEURL}/procedures/botox/" in links(doc)
    configured = runner.load_settings("publishconf.py", site.settings())["GALLERY_DISCLAIMER"]
    practice = yaml.safe_load((site.content / "practice.yml").read_text())
    assert (configured or practice.get("disclaimer") or "Individual results vary.") in text


def test_sensitive_case_keeps_its_photos_behind_a_control(published):
    site, _ = published
    doc = page(site.output, "/gallery/rhino-profile-03/")
    gate = doc.xpath("//details[contains(@class, 'sensitive-gate')]")
    assert gate and gate[0].get("open") is None
    assert len(gate[0].xpath(".//figure[@data-ba]")) == 2 and gate[0].xpath("./summary")
    card = page(site.output, "/gallery/").xpath(
        "//li[@data-case][.//a[contains(@href, 'rhino-profile-03')]]"
    )[0]
    assert not card.xpath(".//img")


def test_gallery_disclaimer_setting(fresh):
    site = fresh
    site.build(GALLERY_DISCLAIMER="Results shown are one patient's; yours will differ.")
    for url in ("/gallery/", "/gallery/botox-front-01/", "/procedures/botox/"):
        assert (
            "Results shown are one patient's; yours will differ." in page(site.output, url).text_content()
        ), url


# -- content mistakes ----------------------------------------------------------------------

CASE_FILE = "content/gallery/botox-front-01/case.yml"


def _check_fails(site) -> str:
    with pytest.raises(ContentError) as error:
        site.check()
    return str(error.value)


@pytest.mark.parametrize(
    "change, field, found",
    [
        ({"description": "Treated on March 14, 2026 in our clinic."}, "description", "March 14, 2026"),
        ({"description": "Seen again on 03/14/2026."}, "description", "03/14/2026"),
        ({"description": "Photographed 14.03.2026."}, "description", "14.03.2026"),
        ({"description": "Before photo from March 2026."}, "description", "March 2026"),
        ({"description": "Treated on the 14th of March."}, "description", "14th of March"),
        ({"time_since_treatment": "2026-03-14"}, "time_since_treatment", "2026-03-14"),
        ({"title": "Results from spring 2026"}, "title", "spring 2026"),
    ],
)
def test_any_calendar_date_in_a_case_is_rejected(fresh, change, field, found):
    site = fresh
    site.edit_case("botox-front-01", **change)
    message = _check_fails(site)
    assert f"{CASE_FILE}:{field}: '{found}' is a calendar date — remove it" in message
    assert "HIPAA" in message and "(line " in message


def test_dates_in_labels_and_comments_are_rejected_too(fresh):
    site = fresh
    pairs = [dict(CASES["botox-front-01"]["pairs"][0])]
    pairs[0]["after"] = dict(pairs[0]["after"], label="Front — 2026-05-02")
    path = site.edit_case("botox-front-01", pairs=pairs)
    path.write_text("# photos taken 5/2/2026\n" + path.read_text())
    message = _check_fails(site)
    assert "'2026-05-02' is a calendar date" in message and "pairs.0.after.label" in message
    assert "'5/2/2026' is a calendar date" in message and "(line 1)" in message


def _with_photo(change: dict, role: str = "before") -> dict:
    pair = dict(CASES["botox-front-01"]["pairs"][0])
    return {"pairs": [{**pair, role: {**pair[role], **change}}]}


@pytest.mark.parametrize(
    "change, field, found",
    [
        ({"title": "Softer frown lines after Christmas Eve 2025"}, "title", "Christmas Eve 2025"),
        ({"description": "Frown lines, treated 3/14, softened in one visit."}, "description", "3/14"),
        ({"description": "Photographed 20260314 in the clinic."}, "description", "20260314"),
        ({"description": "Second visit on 14-Mar-2026."}, "description", "14-Mar-2026"),
        ({"description": "Treated before Valentine's Day 2026."}, "description", "Valentine's Day 2026"),
        ({"description": "One session in Q1 2026."}, "description", "Q1 2026"),
        ({"description": "Seen again on the 14th."}, "description", "the 14th"),
        ({"description": "Full result by late 2025."}, "description", "late 2025"),
        ({"body_areas": ["forehead", "summer 2025"]}, "body_areas.1", "summer 2025"),
        (
            {"pairs": [{**CASES["botox-front-01"]["pairs"][0], "view": "Front, March 2nd"}]},
            "pairs.0.view",
            "March 2nd",
        ),
        (_with_photo({"alt": "Forehead on 2026–03–14, before"}), "pairs.0.before.alt", "2026-03-14"),
        (_with_photo({"label": "After ３／１４"}, "after"), "pairs.0.after.label", "3/14"),
        (_with_photo({"src": "IMG_20260314_1015.jpg"}), "pairs.0.before.src", "20260314"),
    ],
)
def test_every_form_of_a_date_in_every_field_is_rejected(fresh, change, field, found):
    """Dates as people write them (compact, day-month-year with a month name, holidays, quarters,
    ordinal days, Unicode dashes and full-width digits), in each text field and a photo's file name."""
    fresh.edit_case("botox-front-01", **change)
    message = _check_fails(fresh)
    assert f"{CASE_FILE}:{field}: '{found}' is a calendar date — remove it" in message, message


@pytest.mark.parametrize(
    "change, field, found",
    [
        ({"title": "Jane's softer frown lines"}, "title", "Jane's"),
        (
            {"description": "Mrs. Alvarez had her frown lines softened in one visit."},
            "description",
            "Mrs. Alvarez",
        ),
        ({"description": "Frown lines softened for Priya in one visit."}, "description", "Priya"),
        ({"description": "Grace Kim's frown lines, softened."}, "description", "Grace Kim's"),
        ({"body_areas": ["forehead", "Jennifer's brow"]}, "body_areas.1", "Jennifer's"),
        (
            {"pairs": [{**CASES["botox-front-01"]["pairs"][0], "view": "Front (Dr Chen)"}]},
            "pairs.0.view",
            "Dr Chen",
        ),
        (_with_photo({"alt": "Ashley before treatment"}), "pairs.0.before.alt", "Ashley"),
        (_with_photo({"label": "Will's after photo"}, "after"), "pairs.0.after.label", "Will's"),
        (_with_photo({"src": "maria-lopez-before.jpg"}), "pairs.0.before.src", "maria"),
    ],
)
def test_a_person_named_in_any_field_is_rejected(fresh, change, field, found):
    fresh.edit_case("botox-front-01", **change)
    message = _check_fails(fresh)
    assert f"{CASE_FILE}:{field}: '{found}' looks like a person's name" in message, message
    assert "never names anyone" in message


def test_a_folder_named_after_a_patient_or_a_date_is_rejected(fresh):
    for folder, why in (("jane-doe-botox", "'jane' looks like a person's name"), ("botox-20260314", "")):
        case = fresh.gallery / "botox-front-01"
        case.rename(fresh.gallery / folder)
        message = _check_fails(fresh)
        assert f"content/gallery/{folder}/case.yml:folder name: '{folder}' cannot be a case id" in message
        assert why in message and "never a patient's name or a date" in message
        (fresh.gallery / folder).rename(case)


def test_ordinary_case_text_that_looks_like_names_or_dates_passes(fresh):
    """Words that are also names ("Grace", "May", "Mark", "Will", "Summer", "Hope"), eponyms
    ("crow's feet", "Cupid's bow"), treatments, fractions and relative times are not identifiers."""
    fresh.edit_case(
        "botox-front-01",
        title="A Summer-Ready Forehead With Grace",
        description=(
            "Will it look natural? Mark the lines at rest: crow's feet and Cupid's bow stay soft. May results "
            "vary; Hope and Joy are not promises. A 1/2 syringe, 3-4 sessions, 10/10, 12 weeks after, in 2026."
        ),
        body_areas=["forehead", "crow's feet"],
    )
    fresh.check()


def test_a_year_alone_and_relative_durations_are_fine(fresh):
    site = fresh
    site.edit_case("botox-front-01", description="Our 2026 favourite: 1 session, 2 weeks later, 10/10.")
    site.check()


@pytest.mark.parametrize(
    "change, field, text",
    [
        (
            {"time_since_treatment": "a while"},
            "time_since_treatment",
            "'a while' is not a time since treatment",
        ),
        ({"procedure": "botx"}, "procedure", "'botx' is not a procedure — did you mean 'botox'?"),
        ({"provider": "dr-who"}, "provider", "'dr-who' is not a team member"),
        ({"age_range": "42"}, "age_range", "'42' is not an age range"),
        ({"consent": None}, "consent", "is missing"),
    ],
)
def test_case_field_mistakes_name_the_file_and_field(fresh, change, field, text):
    site = fresh
    site.edit_case("botox-front-01", **change)
    message = _check_fails(site)
    assert f"{CASE_FILE}:{field}: {text}" in message


@pytest.mark.parametrize(
    "photo_change, field, text",
    [
        ({"alt": None}, "pairs.0.before.alt", "is missing"),
        ({"alt": ""}, "pairs.0.before.alt", "is empty"),
        (
            {"src": f"{PATIENT}-front-befor.jpg"},
            "pairs.0.before.src",
            f"'{PATIENT}-front-befor.jpg' is not in the case's folder — did you mean '{PATIENT}-front-before.jpg'?",
        ),
        (
            {"src": "../botox-front-01/x.jpg"},
            "pairs.0.before.src",
            "'../botox-front-01/x.jpg' is not a file name in the case's folder",
        ),
    ],
)
def test_every_photo_needs_alt_text_and_an_existing_file(fresh, photo_change, field, text):
    site = fresh
    pair = dict(CASES["botox-front-01"]["pairs"][0])
    before = dict(pair["before"])
    for key, value in photo_change.items():
        if value is None:
            before.pop(key)
        else:
            before[key] = value
    site.edit_case("botox-front-01", pairs=[{**pair, "before": before}])
    assert f"{CASE_FILE}:{field}: {text}" in _check_fails(site)


def test_a_damaged_photo_is_named(fresh):
    site = fresh
    (site.gallery / "botox-front-01" / f"{PATIENT}-front-after.jpg").write_bytes(b"not a photo at all")
    message = _check_fails(site)
    # The case file and the field that names the photo, the photo as the coordinator knows it, and the fix.
    assert (
        f"{CASE_FILE}:pairs.0.after.src: the photo content/gallery/botox-front-01/{PATIENT}-front-after.jpg "
        "cannot be used: not an image that can be read" in message
    )
    assert "export it again" in message and "(line " in message


def test_a_gallery_photo_cannot_be_used_elsewhere(fresh):
    site = fresh
    site.edit(
        "blog/botox-myths.md",
        cover={"src": f"gallery/botox-revoked-04/{PATIENT}-revoked-after.jpg", "alt": "A result"},
    )
    message = _check_fails(site)
    assert (
        "content/blog/botox-myths.md:cover.src:" in message
        and "is a patient photo from the gallery" in message
    )


def test_a_folder_of_photos_without_case_file_is_reported(fresh):
    site = fresh
    (site.gallery / "botox-front-01" / "case.yml").unlink()
    assert f"{CASE_FILE}:file: is missing" in _check_fails(site)


def test_two_gallery_builds_are_byte_identical(template, tmp_path):
    """Each build in its own process (different hash seeds, a second apart): the same bytes."""
    from tests.support.determinism import differences, run_twice

    for name in ("a", "b"):
        GallerySite(tmp_path / name).copy_from(template)
    run_twice(
        "from tests.support.gallery import GallerySite\n"
        f"GallerySite({str(tmp_path)!r} + '/' + RUN).build('publishconf.py', SITEURL={SITEURL!r})"
    )
    trees = []
    for name in ("a", "b"):
        site = GallerySite(tmp_path / name)
        trees.append({p.relative_to(site.output).as_posix(): p.read_bytes() for p in files(site.output)})
        trees[-1]["consent-manifest.json"] = (site.root / "internal" / "consent-manifest.json").read_bytes()
    assert len(trees[0]) > 20
    assert differences(trees[0], trees[1]) == []


# -- the image cache ----------------------------------------------------------------------


def _objects(cache: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (cache / "objects").rglob("*") if p.is_file()}


def test_rebuilds_reencode_nothing_and_a_new_watermark_only_the_gallery(fresh, tmp_path):
    site = fresh
    cache = tmp_path / "image-cache"
    # The image pipeline's cache objects alone: the social images a build publishes (their own
    # watermarked composites, in the same cache) are tested in tests/test_social_export.py.
    first = build_of(site.build(IMAGE_CACHE_PATH=str(cache), SOCIAL_PUBLIC_IMAGES=False)).images
    assert first.encoded > 0 and first.cached == 0
    objects = _objects(cache)

    second = build_of(site.build(IMAGE_CACHE_PATH=str(cache), SOCIAL_PUBLIC_IMAGES=False)).images
    assert second is not first
    assert second.encoded == 0 and second.cached == first.encoded
    assert _objects(cache) == objects

    third = build_of(
        site.build(IMAGE_CACHE_PATH=str(cache), WATERMARK_TEXT="Another mark", SOCIAL_PUBLIC_IMAGES=False)
    ).images

    def keys(gallery: bool) -> set[str]:
        return {
            d.key
            for request, image in third.done.items()
            if (request.kind == "gallery") == gallery
            for d in image.derivatives
        }

    marked, others = keys(True), keys(False)
    assert marked and others and not marked & others
    assert third.encoded == len(marked) and third.cached == len(others)
    assert len(_objects(cache)) == len(objects) + len(marked)


# -- the demo practice's gallery ----------------------------------------------------------

DEMO = Path(__file__).resolve().parents[1] / "content"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo-gallery")
    with captured() as records:
        runner.build(
            "publishconf.py",
            {
                "OUTPUT_PATH": str(root / "output"),
                "INTERNAL_PATH": str(root / "internal"),
                "SITEURL": SITEURL,
                "PATH": str(DEMO),
            },
        )
    return root, records


def test_demo_gallery_has_six_cases_over_three_procedures_and_one_withheld(demo):
    root, records = demo
    data = json.loads((root / "internal" / "consent-manifest.json").read_text())
    published = {use["case"] for entry in data["sources"] for use in entry["uses"]}
    procedures = {
        yaml.safe_load((DEMO / "gallery" / c / "case.yml").read_text())["procedure"] for c in published
    }
    assert len(published) >= 6 and len(procedures) >= 3
    assert [w["case"] for w in data["withheld"]] == ["botox-forehead-03"]
    assert "revoked" in data["withheld"][0]["reason"] and "botox-forehead-03" in messages(records)
    assert not (root / "output" / "gallery" / "botox-forehead-03").exists()


def test_demo_photos_are_drawn_with_metadata_committed_without_and_none_reaches_the_site(demo):
    """The demo's phone-like photos lose their GPS, XMP and IPTC before they are committed (as `inv
    scrub` leaves them), pixel for pixel; the site never has any."""
    from demo.gallery import PHOTOS, as_committed, encode, render
    from pipeline.photos.metadata import inspect, pixels

    root, _ = demo
    photos = sorted((DEMO / "gallery").rglob("*-*.*"))
    assert not [p for p in photos if inspect(p.read_bytes())]
    tagged = [(rel, shot) for rel, shot in PHOTOS.items() if shot.metadata]
    assert {Path(rel).suffix for rel, _ in tagged} >= {".jpg", ".heic"}
    for rel, shot in tagged[:2]:
        drawn = encode(render(shot, 1), Path(rel).suffix, True)
        assert inspect(drawn).location and any(tag.startswith("GPS") for tag in exif_tags(drawn))
        assert pixels(as_committed(drawn)) == pixels(drawn) and not inspect(as_committed(drawn))
    names = {p.name for p in photos} | {p.name for p in (DEMO / "images").rglob("*.*")}
    output = root / "output"
    images = [p for p in files(output) if p.suffix.lower() in IMAGE_SUFFIXES]
    assert len(images) > 100
    for path in images:
        data = path.read_bytes()
        assert exif_tags(data) == {} and not any(m in data for m in FORBIDDEN_BYTES[:3]), path
    for path in files(output):
        assert path.name not in names, path
        if path.suffix in (".html", ".xml", ".json"):
            text = path.read_text(errors="replace")
            assert not [n for n in names if n in text], path

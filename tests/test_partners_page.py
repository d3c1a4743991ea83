"""The public "Our partners" page, from a real Pelican build of the test practice."""

from __future__ import annotations

import pytest

from pipeline import partners, publish_guard
from pipeline.personal_data import Contacts
from plugins.content_model import practice_contacts
from tests.support import html
from tests.support.sitefactory import PARTNERS, SiteFactory

SECRETS = [
    text
    for p in PARTNERS["partners"]
    for text in (
        p["contact"]["name"],
        p["contact"]["email"],
        p["contact"]["phone"],
        p["contact"]["phone"][-8:],
    )
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = SiteFactory(tmp_path_factory.mktemp("partners-site")).write_all()
    site.write_partners()
    settings = site.build(SEARCH_INDEX=False, PARTNER_PUBLIC_PAGE=True)
    return site, settings


def test_lists_only_partners_who_agreed(built):
    site, _ = built
    doc = html.page(site.output, "/partners/")
    names = [h.text_content().strip() for h in doc.xpath("//main//h3")]
    assert names == ["Elm Row Dermatology", "Oak Row Pilates"]  # not the unlisted studio, not the ended one
    text = doc.text_content()
    assert "Quiet Hour Yoga" not in text and "Old Mill Chiropractic" not in text
    assert "https://elm-derm.example" in html.links(doc)
    assert doc.xpath("//h1")[0].text_content() == "Our partners"
    assert html.meta(doc, "content-status") == "published"


def test_never_shows_internal_contacts(built):
    site, _ = built
    for path in site.output.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            leaked = [s for s in SECRETS if s in text]
            assert not leaked, f"{path.relative_to(site.output)} shows {leaked}"


def test_the_publish_guard_passes_the_page(built):
    site, settings = built
    contacts = practice_contacts(settings)
    page = site.output / "partners" / "index.html"
    own = Contacts.of(contacts["emails"], contacts["phones"])
    assert publish_guard.scan_file("partners/index.html", page.read_bytes(), own) == []


def test_no_page_unless_switched_on(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    site.write_partners()
    site.build(SEARCH_INDEX=False, PARTNER_PUBLIC_PAGE=False)
    assert not (site.output / "partners").exists()


def test_a_bad_registry_stops_the_build(tmp_path):
    """A real build (not only the check) stops with the file, field and fix, and writes nothing: a
    first build leaves no output folder, and a later one leaves the last good site as it was."""
    site = SiteFactory(tmp_path).write_all()
    good = dict(PARTNERS)
    site.write_partners(good)
    data = {"partners": [dict(PARTNERS["partners"][0], kind="dentist")]}
    site.write_partners(data)
    with pytest.raises(
        partners.PartnerError, match=r"content/partners.yml:partners.0.kind: 'dentist' is not allowed"
    ):
        site.build(PARTNER_PUBLIC_PAGE=True, SEARCH_INDEX=False)
    assert not site.output.exists(), "a failed first build leaves no half-written site"
    site.write_partners(good)
    site.build(PARTNER_PUBLIC_PAGE=True, SEARCH_INDEX=False)
    before = {p.relative_to(site.output): p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    assert before
    site.write_partners(data)
    with pytest.raises(partners.PartnerError, match=r"partners.0.kind: 'dentist' is not allowed"):
        site.build(PARTNER_PUBLIC_PAGE=True, SEARCH_INDEX=False)
    after = {p.relative_to(site.output): p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    assert after == before, "the last good site stays as it was"

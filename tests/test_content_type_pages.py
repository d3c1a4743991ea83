"""The pages of every content type, from a real Pelican build of a small practice: each template renders,
drafts and scheduled posts stay off, cross-links and JSON-LD are right, two builds give the same bytes."""

from __future__ import annotations

import pytest

from tests.support.html import jsonld_nodes, links, meta, node_of_type, page
from tests.support.sitefactory import SiteFactory

SITEURL = "https://test-aesthetics.example"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The fixture practice built with the public settings."""
    site = SiteFactory(tmp_path_factory.mktemp("published")).write_all()
    site.build("publishconf.py", SITEURL=SITEURL)
    return site.output


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """The same practice built with the local settings (drafts previewed)."""
    site = SiteFactory(tmp_path_factory.mktemp("preview")).write_all()
    site.build()
    return site.output


PAGES = [
    "/",
    "/blog/",
    "/blog/botox-myths/",
    "/procedures/",
    "/procedures/botox/",
    "/team/",
    "/team/dr-lee/",
    "/contact/",
    "/locations/north/",
    "/privacy/",
    "/blog/category/injectables/",
    "/blog/tag/botox/",
    "/blog/archives/",
    "/blog/tags/",
    "/blog/categories/",
    "/404.html",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_template_renders_a_complete_page(published, url):
    doc = page(published, url)
    assert doc.xpath("//main"), f"{url} has no <main>"
    assert len(doc.xpath("//h1")) == 1, f"{url} should have exactly one h1"
    assert doc.xpath("//title/text()")[0].strip()
    if url != "/404.html":
        assert doc.xpath('//link[@rel="canonical"]/@href')[0].startswith(SITEURL)


def test_scheduled_and_draft_posts_are_not_published(published):
    assert not (published / "blog/next-year").exists()
    assert not (published / "blog/unfinished").exists()
    assert not (published / "drafts").exists()
    listed = links(page(published, "/blog/"))
    assert f"{SITEURL}/blog/botox-myths/" in listed
    assert not any("next-year" in href or "unfinished" in href for href in listed)


def test_preview_build_shows_drafts_marked_noindex(preview):
    draft = page(preview, "/drafts/unfinished/")
    assert meta(draft, "content-status") == "draft"
    assert "noindex" in meta(draft, "robots")
    scheduled = page(preview, "/drafts/next-year/")
    assert meta(scheduled, "content-status") == "scheduled"
    assert meta(page(preview, "/blog/botox-myths/"), "content-status") == "published"


def test_as_of_date_publishes_a_scheduled_post(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    site.build("publishconf.py", AS_OF_DATE="2099-01-01")
    assert (site.output / "blog/next-year/index.html").exists()


def test_procedure_page_lists_posts_providers_and_related(published):
    found = links(page(published, "/procedures/botox/"))
    assert {f"{SITEURL}/blog/botox-myths/", f"{SITEURL}/blog/facial-season/"} <= found
    assert {f"{SITEURL}/team/dr-lee/", f"{SITEURL}/team/kim-park/"} <= found
    assert f"{SITEURL}/procedures/hydrafacial/" in found
    assert f"{SITEURL}/blog/nose-questions/" not in found


def test_related_procedures_are_linked_both_ways(published):
    assert f"{SITEURL}/procedures/botox/" in links(page(published, "/procedures/hydrafacial/"))


def test_team_page_lists_the_procedures_they_perform(published):
    found = links(page(published, "/team/kim-park/"))
    assert {f"{SITEURL}/procedures/botox/", f"{SITEURL}/procedures/hydrafacial/"} <= found
    assert f"{SITEURL}/procedures/rhinoplasty/" not in found


def test_post_links_to_its_author_and_procedures(published):
    found = links(page(published, "/blog/facial-season/"))
    assert {
        f"{SITEURL}/team/kim-park/",
        f"{SITEURL}/procedures/hydrafacial/",
        f"{SITEURL}/procedures/botox/",
    } <= found


def test_practice_and_clinics_json_ld(published):
    nodes = jsonld_nodes(page(published, "/"))
    practice = next(n for n in nodes if n["@id"] == f"{SITEURL}/#practice")
    # The practice is an organisation; its clinics, each a MedicalClinic with an address (a LocalBusiness
    # needs one for Google), are its departments.
    assert practice["@type"] == "MedicalOrganization" and "address" not in practice
    assert practice["name"] == "Test Aesthetics"
    assert practice["medicalSpecialty"] == [
        "https://schema.org/PlasticSurgery",
        "https://schema.org/Dermatology",
    ]
    clinics = {n["@id"]: n for n in nodes if n["@id"].endswith("#clinic")}
    assert set(clinics) == {f"{SITEURL}/locations/north/#clinic", f"{SITEURL}/locations/south/#clinic"}
    assert [r["@id"] for r in practice["department"]] == sorted(clinics)
    north = clinics[f"{SITEURL}/locations/north/#clinic"]
    assert north["@type"] == "MedicalClinic"
    assert north["telephone"] == "(555) 555-0101"
    assert north["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "1 Elm Row",
        "addressLocality": "Brightwater",
        "addressRegion": "CA",
        "postalCode": "95999",
        "addressCountry": "US",
    }
    assert north["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Monday"],
            "opens": "09:00",
            "closes": "17:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Saturday"],
            "opens": "10:00",
            "closes": "14:00",
        },
    ]
    assert north["geo"] == {"@type": "GeoCoordinates", "latitude": 1.0, "longitude": 2.0}
    # Services at a clinic are those its team performs: only Dr. Lee works north.
    assert sorted(s["name"] for s in north["availableService"]) == ["Botox", "Rhinoplasty"]
    assert north["parentOrganization"] == {"@id": f"{SITEURL}/#practice"}


def test_location_page_json_ld(published):
    clinic = node_of_type(page(published, "/locations/south/"), "MedicalClinic")
    assert sorted(s["name"] for s in clinic["availableService"]) == ["Botox", "HydraFacial", "Rhinoplasty"]


def test_procedure_json_ld(published):
    botox = node_of_type(page(published, "/procedures/botox/"), "MedicalProcedure")
    assert botox["name"] == "Botox"
    assert botox["procedureType"] == "https://schema.org/PercutaneousProcedure"
    assert botox["bodyLocation"] == "forehead, crow's feet"
    assert botox["url"] == f"{SITEURL}/procedures/botox/"
    surgery = node_of_type(page(published, "/procedures/rhinoplasty/"), "SurgicalProcedure")
    assert surgery["howPerformed"] == "Under general anaesthesia."


def test_team_json_ld(published):
    doctor = node_of_type(page(published, "/team/dr-lee/"), "IndividualPhysician")
    assert (
        doctor["@type"] == ["Person", "IndividualPhysician"]
        and doctor["jobTitle"]
        and doctor["honorificSuffix"]
    )
    assert doctor["isAcceptingNewPatients"] is True and doctor["worksFor"] == {"@id": f"{SITEURL}/#practice"}
    assert [r["@id"] for r in doctor["practicesAt"]] == [
        f"{SITEURL}/locations/north/#clinic",
        f"{SITEURL}/locations/south/#clinic",
    ]
    nurse = node_of_type(page(published, "/team/kim-park/"), "Person")
    assert nurse["worksFor"] == {"@id": f"{SITEURL}/#practice"}
    assert [r["@id"] for r in nurse["workLocation"]] == [f"{SITEURL}/locations/south/#clinic"]
    assert "practicesAt" not in nurse


def test_blog_posting_json_ld(published):
    post = node_of_type(page(published, "/blog/botox-myths/"), "BlogPosting")
    assert post["headline"] == "Five myths about Botox"
    assert post["datePublished"].startswith("2026-03-14T00:00:00")
    assert post["author"]["@id"] == f"{SITEURL}/team/kim-park/#person"
    assert post["publisher"] == {"@id": f"{SITEURL}/#practice"}
    # A published JPEG derivative (content-hash name), never the original file or its name.
    image = post["image"]
    assert image.startswith(f"{SITEURL}/media/") and image.endswith(".jpg") and "botox-myths" not in image
    assert (published / image.removeprefix(SITEURL + "/")).is_file()
    assert post["about"] == [{"@id": f"{SITEURL}/procedures/botox/#procedure", "name": "Botox"}]


def test_stylesheet_is_fingerprinted(published):
    href = page(published, "/").xpath('//link[@rel="stylesheet"]/@href')[0]
    name = href.rsplit("/", 1)[1]
    assert name.startswith("site.") and name.endswith(".css") and len(name.split(".")[1]) == 10
    assert (published / href.removeprefix(SITEURL + "/")).exists()


def test_two_builds_are_byte_identical(tmp_path):
    """Two builds, each in its own process (different hash seeds, a second apart), give the same bytes."""
    from tests.support.determinism import differences, run_twice, tree

    run_twice(
        "from tests.support.sitefactory import SiteFactory\n"
        f"SiteFactory({str(tmp_path)!r} + '/' + RUN).write_all().build('publishconf.py', SITEURL={SITEURL!r})"
    )
    first, second = tree(tmp_path / "a" / "output"), tree(tmp_path / "b" / "output")
    assert len(first) > 20 and any(name.startswith("media/social/") for name in first)
    assert differences(first, second) == []

"""The partner registry, tracked links, QR codes and referral cards (pipeline/partners.py)."""

from __future__ import annotations

import io
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from PIL import Image

from pipeline import partners, publish_guard
from tests.support.sitefactory import PARTNERS, SiteFactory

SITE = "https://www.test-aesthetics.example"


def registry(data=None) -> partners.Registry:
    return partners.parse_registry(yaml.safe_dump(data or PARTNERS, sort_keys=False), "content/partners.yml")


def broken(change) -> str:
    data = yaml.safe_load(yaml.safe_dump(PARTNERS))
    change(data["partners"])
    with pytest.raises(partners.PartnerError) as caught:
        registry(data)
    return str(caught.value)


def test_registry_reads_every_field():
    reg = registry()
    assert reg.codes == ["elm-derm", "oak-pilates", "quiet-yoga", "old-chiro"]
    elm = reg.get("ELM-DERM")  # codes match whatever their case
    assert (elm.kind_label, elm.address.city, elm.since.isoformat(), elm.listed) == (
        "Dermatologist",
        "Brightwater",
        "2025-01-10",
        True,
    )
    assert [p.code for p in reg.partners if p.listed] == [
        "elm-derm",
        "oak-pilates",
    ]  # not quiet-yoga, not old-chiro


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            lambda p: p[1].update(code="elm-derm"),
            "content/partners.yml:partners.1.code: 'elm-derm' is used by another partner — give each partner its own code",
        ),
        (
            lambda p: p[0].update(kind="dentist"),
            "content/partners.yml:partners.0.kind: 'dentist' is not allowed — use one of",
        ),
        (
            lambda p: p[0].update(code="Elm Derm!"),
            "content/partners.yml:partners.0.code: 'elm derm!' is not in the expected form",
        ),
        (lambda p: p[2]["contact"].pop("name"), "content/partners.yml:partners.2.contact.name: is missing"),
        (lambda p: p[0].update(website="http://elm.example"), "content/partners.yml:partners.0.website:"),
        (
            lambda p: p[0].update(since="last spring"),
            "content/partners.yml:partners.0.since: 'last spring' is not a date",
        ),
        (
            lambda p: p[3].update(status="gone"),
            "content/partners.yml:partners.3.status: 'gone' is not allowed",
        ),
        (
            lambda p: p[1].update(landing="contact"),
            "content/partners.yml:partners.1.landing: 'contact' is not a page",
        ),
        (
            lambda p: p[0].update(phone="(555) 555-0100"),
            "content/partners.yml:partners.0.phone: is not a known field — remove it",
        ),
    ],
)
def test_registry_mistakes_name_the_field_and_fix(change, expected):
    message = broken(change)
    assert expected in message, message


def test_registry_yaml_errors_give_the_line():
    with pytest.raises(
        partners.PartnerError, match=r"content/partners.yml:file: the YAML cannot be read.*\(line \d\)"
    ):
        partners.parse_registry("partners:\n  - code: a\n    name: [unclosed\n", "content/partners.yml")


def test_tracked_link_carries_only_code_and_campaign():
    elm = registry().get("elm-derm")
    link = partners.tracked_link(SITE, elm, "referral-partners", "/")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.test-aesthetics.example", "/")
    assert parse_qs(parts.query) == {
        "ref": ["elm-derm"],
        "utm_source": ["elm-derm"],
        "utm_medium": ["referral"],
        "utm_campaign": ["referral-partners"],
    }
    oak = registry().get("oak-pilates").model_copy(update={"landing": "/contact/?utm_source=old&x=1"})
    assert partners.tracked_link(SITE, oak, "c", "/", content="card") == (
        f"{SITE}/contact/?x=1&ref=oak-pilates&utm_source=oak-pilates&utm_medium=referral&utm_campaign=c"
        "&utm_content=card"
    )
    with pytest.raises(partners.PartnerError, match="set SITEURL in publishconf.py"):
        partners.tracked_link("", elm, "c")


def test_qr_code_decodes_to_the_tracked_link():
    link = partners.tracked_link(SITE, registry().get("elm-derm"), "referral-partners", content="card")
    qr = partners.qr_code(link)
    png = partners.qr_png(qr)
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        try:
            import zxingcpp
        except ImportError:  # pragma: no cover - zxing-cpp is in requirements-dev.txt
            zxingcpp = None
        if zxingcpp is not None:
            found = zxingcpp.read_barcodes(image.convert("L"))
            assert [r.text for r in found] == [link]
        else:  # segno's own matrix round trip: the PNG's modules are the code's modules
            scale, border = 10, 4
            grey = image.convert("L")
            matrix = [
                [
                    grey.getpixel(((x + border) * scale + 5, (y + border) * scale + 5)) < 128
                    for x in range(qr.symbol_size(scale=1, border=0)[0])
                ]
                for y in range(qr.symbol_size(scale=1, border=0)[1])
            ]
            assert matrix == [[bool(v) for v in row] for row in qr.matrix]
    svg = partners.qr_svg(qr, "Referral from Elm Row Dermatology").decode()
    assert svg.startswith("<svg") and "<title>Referral from Elm Row Dermatology</title>" in svg
    assert svg.count("<path") == 1


def test_kit_files(tmp_path):
    site = SiteFactory(tmp_path / "site").write_all()
    site.write_partners()
    settings = {"PATH": str(site.content), "SITEURL": SITE, "INTERNAL_PATH": str(tmp_path / "internal")}
    folder, count = partners.kit_from_settings(settings, tmp_path)
    assert (folder, count) == (tmp_path / "internal" / "partners", 4)
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names == [
        "elm-derm/card.html",
        "elm-derm/qr.png",
        "elm-derm/qr.svg",
        "index.html",
        "links.csv",
        "oak-pilates/card.html",
        "oak-pilates/qr.png",
        "oak-pilates/qr.svg",
        "old-chiro/card.html",
        "old-chiro/qr.png",
        "old-chiro/qr.svg",
        "quiet-yoga/card.html",
        "quiet-yoga/qr.png",
        "quiet-yoga/qr.svg",
    ]
    card = (folder / "elm-derm" / "card.html").read_text()
    assert '<meta name="artefact" content="internal">' in card
    assert card.count('class="card"') == partners.CARDS_PER_SHEET
    assert "Elm Row Dermatology" in card and "Test Aesthetics" in card and "(555) 555-0100" in card
    assert "data:image/png;base64," in card  # the practice's logo travels with the card
    for secret in ("Dr. Ines Quarry", "ines@elm-derm.example", "555-0181"):
        assert secret not in card  # the partner's own contact never goes on a card
    index = (folder / "index.html").read_text()
    assert '<meta name="artefact" content="internal">' in index and "ines@elm-derm.example" in index
    links = (folder / "links.csv").read_text().splitlines()
    assert links[0] == "code,name,kind,status,listed_publicly,tracked_link,card_qr_link"
    assert links[1].startswith("elm-derm,Elm Row Dermatology,Dermatologist,active,yes,https://")
    assert "ines@" not in "".join(links)
    # Same registry, same bytes.
    again, _ = partners.kit_from_settings({**settings, "INTERNAL_PATH": str(tmp_path / "again")}, tmp_path)
    assert all((again / n).read_bytes() == (folder / n).read_bytes() for n in names)


def test_the_guard_blocks_cards_and_contact_sheet_in_a_site(tmp_path):
    site = SiteFactory(tmp_path / "site").write_all()
    site.write_partners()
    folder, _ = partners.kit_from_settings(
        {"PATH": str(site.content), "SITEURL": SITE, "INTERNAL_PATH": str(tmp_path / "internal")}, tmp_path
    )
    output = tmp_path / "output"
    output.mkdir()
    shutil.copy(folder / "elm-derm" / "card.html", output / "referral-card.html")
    shutil.copy(folder / "index.html", output / "partners.html")
    findings = publish_guard.scan_output(output)
    assert {(f.path, f.kind) for f in findings} >= {
        ("referral-card.html", "internal"),
        ("partners.html", "internal"),
    }
    # The contact sheet's phone numbers and email addresses are caught too (masked), .example ones as well.
    caught = {f.detail for f in findings if f.path == "partners.html" and f.kind == "personal-data"}
    assert {"a phone number (***-***-0181)", "an email address (i***@elm-derm.example)"} <= caught


def test_missing_or_empty_registry(tmp_path):
    settings = {"PATH": str(tmp_path), "SITEURL": SITE, "INTERNAL_PATH": str(tmp_path / "internal")}
    with pytest.raises(partners.PartnerError, match="partners.yml: the partner registry does not exist"):
        partners.kit_from_settings(settings, tmp_path)
    (tmp_path / "partners.yml").write_text("partners: []\n")
    with pytest.raises(partners.PartnerError, match="lists no partners"):
        partners.kit_from_settings(settings, tmp_path)
    assert not (tmp_path / "internal").exists()


def test_public_listing_has_no_contact():
    listing = partners.public_listing(registry())
    assert [p["name"] for p in listing] == ["Elm Row Dermatology", "Oak Row Pilates"]
    assert all(
        set(p) == {"name", "kind", "kind_label", "city", "region", "website", "blurb"} for p in listing
    )


def test_unknown_partner_setting():
    with pytest.raises(partners.PartnerError, match="PARTNER_PUBLIC: did you mean PARTNER_PUBLIC_PAGE"):
        partners.check_settings({"PARTNER_PUBLIC": True})


def test_the_demo_registry_is_valid():
    from pathlib import Path

    demo = partners.load_registry(Path(__file__).resolve().parents[2] / "content" / "partners.yml")
    assert len(demo.partners) >= 5
    assert {p.kind for p in demo.partners} >= {
        "dermatologist",
        "chiropractor",
        "physical-therapist",
        "yoga-studio",
        "pilates-studio",
        "wellness-centre",
    }
    for p in demo.partners:
        assert "555-01" in p.contact.phone and p.contact.email.endswith(".example")

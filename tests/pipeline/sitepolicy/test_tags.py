"""Declared tags and the site's own hosts: settings cannot quietly open the door."""

from __future__ import annotations

import pytest

from pipeline.sitepolicy.errors import SitePolicyError
from pipeline.sitepolicy.tags import FIRST_PARTY, Tag, first_party, parse_tags, same_site

SITE = "https://www.aurora.example"
API = {
    "name": "Inquiry API",
    "host": "forms.example-cloud.com",
    "pages": "first-party",
    "purpose": "receives the inquiry forms (the practice's own AWS account)",
}


def test_the_sites_own_hosts_need_no_declaration():
    declared = first_party(SITE, "/api/inquiry", ["cdn.aurora.example", "aurora.example"], ())
    assert declared.hosts == {"www.aurora.example", "cdn.aurora.example", "aurora.example"}
    assert declared.notices == ()
    assert same_site("static.aurora.example", "www.aurora.example")
    assert not same_site("aurora.example.evil.example", "www.aurora.example")
    assert not same_site("evilaurora.example", "www.aurora.example")


@pytest.mark.parametrize(
    "listed, receiver, host",
    [
        (["cdn.example-cdn.com"], "/api/inquiry", "cdn.example-cdn.com"),
        (["CDN.Example-CDN.com"], "/api/inquiry", "cdn.example-cdn.com"),
        (["bücher.example"], "/api/inquiry", "xn--bcher-kva.example"),  # IDN, as browsers send it
        ([], "https://forms.example-cloud.com/inquiry", "forms.example-cloud.com"),
        ([], "https://api.aurora.example/inquiry", "api.aurora.example"),  # same site, another origin
        ([], "http://www.aurora.example/api/inquiry", "www.aurora.example"),  # another scheme
        ([], "https:\\\\forms.example-cloud.com\\inquiry", "forms.example-cloud.com"),
    ],
)
def test_another_host_is_refused_unless_declared_with_its_purpose(listed, receiver, host):
    with pytest.raises(SitePolicyError) as caught:
        first_party(SITE, receiver, listed, ())
    message = str(caught.value)
    assert f"names {host}" in message and '"pages": "first-party", "purpose":' in message
    declaration = parse_tags([{**API, "host": host}])
    declared = first_party(SITE, receiver, listed, declaration)
    assert host in declared.hosts
    [notice] = declared.notices
    assert host in notice and "receives the inquiry forms" in notice


def test_a_first_party_declaration_needs_a_purpose_and_a_tag_declares_what_it_loads():
    with pytest.raises(SitePolicyError, match="without a purpose"):
        parse_tags([{**API, "purpose": " "}])
    [tag] = parse_tags([API])
    assert tag.first_party and tag.pages == FIRST_PARTY and tag.allows("/contact/")
    [video] = parse_tags(
        [
            {
                "name": "Video",
                "host": "*.youtube-nocookie.com",
                "pages": ["/blog/*"],
                "loads": ["frame"],
                "purpose": "video player",
            }
        ]
    )
    assert video.loads == ("frame",) and video.sources() == (
        "https://youtube-nocookie.com",
        "https://*.youtube-nocookie.com",
    )
    with pytest.raises(SitePolicyError, match="has loads"):
        parse_tags([{"name": "Video", "host": "youtube-nocookie.com", "loads": ["everything"]}])
    assert parse_tags([{"name": "P", "host": "plausible.io"}]) == (Tag("P", "plausible.io"),)

"""The Content-Security-Policy: one function for the pages' <meta>, `inv serve` and CloudFront."""

from __future__ import annotations

import io

from cfnlint.decode import cfn_yaml

from pipeline.sitepolicy import csp, html
from pipeline.sitepolicy.firewall import Policy
from pipeline.sitepolicy.tags import parse_tags
from tests.support.sitefactory import ROOT

PLAUSIBLE = {"name": "Plausible", "host": "plausible.io", "pages": "no-forms", "purpose": "page counts"}
VIDEO = {
    "name": "Video",
    "host": "*.youtube-nocookie.com",
    "pages": ["/blog/*"],
    "loads": ["frame"],
    "purpose": "the practice's videos",
}
RECEIVER = {
    "name": "Inquiry API",
    "host": "forms.example-cloud.com",
    "pages": "first-party",
    "purpose": "receives the inquiry forms",
}


def policy(**changes) -> Policy:
    values = dict(
        first_party=frozenset({"www.aurora.example", "forms.example-cloud.com"}),
        receiver_url="https://forms.example-cloud.com/inquiry",
        thank_you_path="/thank-you/",
        tags=parse_tags([PLAUSIBLE, VIDEO, RECEIVER]),
        site_url="https://www.aurora.example",
    )
    values.update(changes)
    return Policy(**values)


def test_the_default_policy_is_strict():
    parsed = csp.parse(csp.content_security_policy(csp.Sources()))
    assert parsed["default-src"] == {"'self'"}
    assert parsed["script-src"] == {"'self'", "'wasm-unsafe-eval'"}  # Pagefind runs WebAssembly
    assert parsed["style-src"] == {"'self'"} and parsed["img-src"] == {"'self'", "data:"}
    assert parsed["connect-src"] == {"'self'"} and parsed["form-action"] == {"'self'"}
    assert parsed["frame-src"] == {"'none'"} and parsed["object-src"] == {"'none'"}
    assert parsed["base-uri"] == {"'none'"} and "upgrade-insecure-requests" in parsed
    assert "frame-ancestors" not in parsed  # ignored in a <meta>: the header carries it
    assert csp.parse(csp.content_security_policy(csp.Sources(), header=True))["frame-ancestors"] == {"'none'"}


def test_declared_tags_open_only_what_they_load_on_the_pages_they_may_load_on():
    rules = policy()
    blog = csp.parse(rules.page_policy("/blog/post/", protected=False))
    assert "https://plausible.io" in blog["script-src"] and "https://plausible.io" in blog["connect-src"]
    assert "https://plausible.io" not in blog["frame-src"]
    assert blog["frame-src"] == {"https://youtube-nocookie.com", "https://*.youtube-nocookie.com"}
    about = csp.parse(rules.page_policy("/about/", protected=False))
    assert about["frame-src"] == {"'none'"} and "https://plausible.io" in about["script-src"]
    for page in (
        rules.page_policy("/contact/", protected=True),
        rules.page_policy("/blog/x/", protected=True),
    ):
        parsed = csp.parse(page)
        assert not any("plausible" in s or "youtube" in s for v in parsed.values() for s in v), page
        # The receiver on another origin, declared first-party: forms and fetches may reach it.
        assert "https://forms.example-cloud.com" in parsed["form-action"]
        assert "https://forms.example-cloud.com" in parsed["connect-src"]
    header = csp.parse(rules.header_policy())
    assert (
        "https://plausible.io" in header["script-src"]
        and "https://*.youtube-nocookie.com" in header["frame-src"]
    )


def test_inline_scripts_run_only_with_their_hash_and_both_readers_agree():
    page = (
        '<!doctype html><html><head><meta charset="utf-8"><script>console.log("a")</script>'
        '<script type="application/ld+json">{"@type": "Thing"}</script><script src="/s.js"></script>'
        "</head><body><script type=module>\nimport x from '/x.js';\n</script></body></html>"
    )
    hashes = csp.inline_script_hashes(page)
    assert len(hashes) == 2 and all(h.startswith("'sha256-") for h in hashes)
    with_meta = csp.with_meta(page, csp.content_security_policy(csp.Sources(), script_hashes=hashes))
    scan = html.scan(with_meta)
    assert scan.script_hashes == hashes and scan.csp_first
    assert with_meta.index('http-equiv="Content-Security-Policy"') < with_meta.index("<script")
    assert set(hashes) <= csp.parse(scan.csp[0])["script-src"]


def test_cloudfront_sends_the_same_policy_and_headers():
    template = cfn_yaml.load(str(ROOT / "infra" / "site.yaml"))
    default = template["Parameters"]["ContentSecurityPolicy"]["Default"]
    # The public site as this repository ships it: no declared tags, no inline scripts, https.
    assert default == csp.content_security_policy(csp.Sources(https=True), header=True)
    config = template["Resources"]["SecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    security, custom = config["SecurityHeadersConfig"], config["CustomHeadersConfig"]["Items"]
    assert security["ContentSecurityPolicy"]["ContentSecurityPolicy"] == {"Ref": "ContentSecurityPolicy"}
    sent = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": security["FrameOptions"]["FrameOption"],
        "Referrer-Policy": security["ReferrerPolicy"]["ReferrerPolicy"],
        **{item["Header"]: item["Value"] for item in custom},
    }
    assert sent == dict(csp.OTHER_HEADERS)


def test_inv_serve_sends_the_headers_the_build_wrote(tmp_path):
    from pipeline.inquiry import build_receiver, make_app

    (tmp_path / "security-headers.json").write_text(
        '{"Content-Security-Policy": "default-src \'self\'; x-test"}'
    )
    headers = csp.served_headers(tmp_path)
    assert headers == [("Content-Security-Policy", "default-src 'self'; x-test")]
    assert dict(csp.served_headers(tmp_path / "none"))["X-Frame-Options"] == "DENY"  # before any build
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>hi</p>")
    app = make_app(
        build_receiver({"INQUIRY_STORE": str(tmp_path / "store")}),
        tmp_path / "site",
        headers=csp.served_headers(tmp_path / "none"),
    )
    for path in ("/", "/missing", "/api/inquiry"):
        sent = {}
        app(
            {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()},
            lambda status, headers, sent=sent: sent.update(headers),
        )
        assert "frame-ancestors 'none'" in sent["Content-Security-Policy"], path
        assert sent["X-Content-Type-Options"] == "nosniff", path

"""Reading built pages with an HTML5 parser: forms, scripts, everything fetched from elsewhere."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.inquiry import fields as F
from pipeline.sitepolicy import html as pages
from pipeline.sitepolicy import tracking

PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="/theme/css/site.css">
<link rel="canonical" href="https://other.example/canonical/">
<link rel="preconnect" href="https://fonts.gstatic.com">
<script src="/theme/js/site.js" defer></script>
<script type="application/ld+json">{"sameAs": ["https://social.example/aurora"]}</script>
<script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)} gtag('event','generate_lead');
 var s=document.createElement('script'); s.src='https://www.googletagmanager.com/gtag/js?id=G-1';</script>
<style>.hero{background:url("https://cdn.example/bg.jpg")}</style>
</head><body>
<a href="https://www.openstreetmap.org/?mlat=1">Map</a>
<a href="/procedures/?utm_source=news&amp;utm_campaign=spring">Treatments</a>
<a href="https://partner.example/" ping="https://ping.example/p">Partner</a>
<img src="https://pixel.example/p.gif" srcset="/a.jpg 1x, https://img.example/b.jpg 2x" alt="">
<noscript><img src="https://www.facebook.com/tr?id=1&ev=PageView" alt=""></noscript>
<iframe src="https://www.youtube-nocookie.com/embed/x" title="v"></iframe>
<div style="background-image:url(/local.png)"></div>
<form id="inquiry-form" data-inquiry action="/api/inquiry" method="post">
  <input type="hidden" name="form" value="procedure">
  <input name="name"><select name="interest"><option>Botox</option></select>
  <input name="ft_utm_source" type="hidden" value="">
  <button type="submit">Send</button>
</form>
<form action="https://newsletter.example/subscribe" method="post"><input name="email"></form>
</body></html>"""


def test_scan_finds_forms_scripts_fetches_and_tracking_links():
    scan = pages.scan(PAGE)
    [form] = scan.forms
    assert (form.id, form.preset, form.action, form.method) == (
        "inquiry-form",
        "procedure",
        "/api/inquiry",
        "post",
    )
    assert form.fields == ("form", "name", "interest", "ft_utm_source")
    assert scan.scripts == ["/theme/js/site.js"]
    assert scan.inline_scripts == {"application/ld+json": 1, "text/javascript": 1}
    fetched = {(f.kind, f.url) for f in scan.fetches}
    assert ("linked resource", "https://fonts.gstatic.com") in fetched  # preconnect opens a connection
    assert not any("other.example" in url for _, url in fetched)  # rel=canonical fetches nothing
    assert not any("social.example" in url for _, url in fetched)  # JSON-LD is not run
    assert not any("openstreetmap" in url for _, url in fetched)  # a plain link is no request
    assert not any(url.startswith("/") for _, url in fetched)  # the site's own files are not listed
    for expected in [
        ("address in an inline script", "https://www.googletagmanager.com/gtag/js?id=G-1"),
        ("CSS resource", "https://cdn.example/bg.jpg"),
        ("ping beacon", "https://ping.example/p"),
        ("pixel or image", "https://pixel.example/p.gif"),
        ("pixel or image", "https://img.example/b.jpg"),
        ("pixel or image", "https://www.facebook.com/tr?id=1&ev=PageView"),
        ("iframe", "https://www.youtube-nocookie.com/embed/x"),
        ("form post", "https://newsletter.example/subscribe"),
    ]:
        assert expected in fetched, expected
    assert scan.tracking_urls == ["/procedures/?utm_source=news&utm_campaign=spring"]
    assert any(
        call.startswith("gtag(){dataLayer.push(") or "gtag('event'" in call for call in scan.tracker_calls
    )


def test_a_page_without_tracking_links_is_read_as_closely_for_what_it_fetches():
    page = (
        '<html><head><link rel="stylesheet" href="https://www.aurora.example/theme/site.css">'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">'
        '<script src="https://www.aurora.example/theme/site.js"></script></head><body>'
        '<a href="/procedures/">Treatments</a>'
        '<picture><source srcset="https://www.aurora.example/m/a.avif 1x, https://cdn.example/b.avif 2x">'
        '<img src="/m/a.jpg" alt=""></picture>'
        '<IMG SRC="https://www.facebook.com/tr?id=1" alt="">'
        '<iframe src="//maps.example/embed" title="map"></iframe></body></html>'
    )
    scan = pages.scan(page, {"www.aurora.example"})
    assert scan.scripts == ["https://www.aurora.example/theme/site.js"]
    assert [(f.kind, f.url) for f in scan.fetches] == [
        ("stylesheet", "https://fonts.googleapis.com/css2?family=Inter"),
        ("pixel or image", "https://cdn.example/b.avif"),
        ("pixel or image", "https://www.facebook.com/tr?id=1"),
        ("iframe", "//maps.example/embed"),
    ]
    assert scan.tracking_urls == []


def test_the_quick_tracking_check_sees_every_parameter_however_it_is_written():
    for name in F.TRACKING_PARAMS:
        for link in (f"/?{name}=x", f"/?a=1&{name}=x", f"/?a=1&amp;{name}=x"):
            assert tracking.tracking_hint(f'<a href="{link}">x</a>'), link
    assert not tracking.tracking_hint('<a href="/team/" class="ref">ref=1 utm</a>')


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \t\n,()xyw1/:.\u00a0", max_size=40))
def test_srcset_lists_split_alike_fast_and_character_by_character(value):
    """The quick split of a srcset agrees with the HTML Standard's algorithm, step by step."""
    from pipeline.sitepolicy.urls import _srcset_urls_slowly, srcset_urls

    assert srcset_urls(value) == _srcset_urls_slowly(value)


def test_srcset_candidates_as_the_html_standard_reads_them():
    from pipeline.sitepolicy.urls import srcset_urls

    assert srcset_urls("a.jpg 1x,https://evil.example/b.jpg 2x") == ["a.jpg", "https://evil.example/b.jpg"]
    assert srcset_urls("https://evil.example/a,b.jpg 1x") == ["https://evil.example/a,b.jpg"]
    assert srcset_urls(",,a.jpg,,b.jpg 2x") == ["a.jpg,,b.jpg"]  # a URL runs to the next space
    assert srcset_urls(",,a.jpg,, b.jpg 2x") == ["a.jpg", "b.jpg"]
    assert srcset_urls("a.jpg (x, y) 1x, b.jpg") == ["a.jpg", "b.jpg"]

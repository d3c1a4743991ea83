"""<picture> markup: sources in order, exact sizes, lazy except the first image, escaped alt."""

from __future__ import annotations

from html.parser import HTMLParser

from pipeline.images import Derivative, ProcessedImage, picture_html


def image() -> ProcessedImage:
    derivatives = tuple(
        Derivative(fmt, w, h, f"media/{fmt[0] * 16}-{w}.{ext}", fmt * 16)
        for w, h in ((480, 360), (800, 600))
        for fmt, ext in (("jpeg", "jpg"), ("webp", "webp"), ("avif", "avif"))
    )
    return ProcessedImage("ab" * 32, 800, 600, derivatives)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(markup):
    parser = Tags()
    parser.feed(markup)
    return parser.tags


def test_picture_lists_avif_then_webp_then_the_jpeg_img():
    tags = parse(picture_html(image(), alt="Front, 12 weeks after", sizes="(min-width: 60em) 50vw, 100vw"))
    assert [t for t, _ in tags] == ["picture", "source", "source", "img"]
    avif, webp, img = tags[1][1], tags[2][1], tags[3][1]
    assert avif["type"] == "image/avif" and webp["type"] == "image/webp"
    assert avif["srcset"] == "/media/aaaaaaaaaaaaaaaa-480.avif 480w, /media/aaaaaaaaaaaaaaaa-800.avif 800w"
    assert avif["sizes"] == webp["sizes"] == img["sizes"] == "(min-width: 60em) 50vw, 100vw"
    assert img["src"] == "/media/jjjjjjjjjjjjjjjj-800.jpg"
    assert img["srcset"].endswith("-800.jpg 800w")
    assert (img["width"], img["height"]) == ("800", "600")
    assert img["loading"] == "lazy" and img["decoding"] == "async" and "fetchpriority" not in img
    assert img["alt"] == "Front, 12 weeks after"


def test_the_first_image_loads_eagerly_with_high_priority():
    img = parse(picture_html(image(), alt="x", eager=True))[-1][1]
    assert img["fetchpriority"] == "high" and "loading" not in img


def test_alt_and_attributes_are_escaped():
    markup = picture_html(
        image(),
        alt='"><script>alert(1)</script>',
        base_url="https://example.com/site",
        css_class="case photo",
    )
    assert "<script>" not in markup
    img = parse(markup)[-1][1]
    assert img["alt"] == '"><script>alert(1)</script>'
    assert img["src"] == "https://example.com/site/media/jjjjjjjjjjjjjjjj-800.jpg"
    assert img["class"] == "case photo"

"""The [[inquiry-form]] line: what it asks for, and what the coordinator is told when it is wrong."""

from __future__ import annotations

import markdown
import pytest

from pipeline.content import form_marker as markers
from pipeline.content.form_marker import FormRequest, MarkerError


@pytest.mark.parametrize(
    "args, expected",
    [
        ("", FormRequest("contact")),
        ("contact", FormRequest("contact")),
        ("procedure=botox", FormRequest("procedure", "botox")),
        ("special=december-glow", FormRequest("special", "december-glow")),
        ("event=winter-open-house", FormRequest("event", "winter-open-house")),
        (
            'procedure=botox heading="Ask us about Botox"',
            FormRequest("procedure", "botox", "Ask us about Botox"),
        ),
        ("  Procedure=botox  ", FormRequest("procedure", "botox")),
    ],
)
def test_parse(args, expected):
    assert markers.parse(args) == expected


@pytest.mark.parametrize(
    "args, says",
    [
        ("procedure=botox special=glow", "one thing"),
        ("treatment=botox", "'treatment' is not an inquiry form option"),
        ("botox", "not KEY=VALUE"),
        ("procedure=", "has no value"),
        ('heading="unclosed', "unclosed quote"),
        ("procedure=a procedure=b", "given twice"),
    ],
)
def test_mistakes_say_what_to_fix(args, says):
    with pytest.raises(MarkerError) as caught:
        markers.parse(args)
    assert says in str(caught.value) and " — " in str(caught.value)


def test_placeholder_round_trips_and_is_a_safe_comment():
    args = 'procedure=botox heading="Ask -->us<!--"'
    text = markers.placeholder(args)
    assert text.startswith("<!--inquiry-form ") and text.endswith("-->")
    assert "--" not in text[4:-3] and ">" not in text[4:-3]
    match = markers.PLACEHOLDER.fullmatch(text)
    assert markers.placeholder_args(match) == args


def test_markdown_extension_leaves_code_alone():
    md = markdown.Markdown(
        extensions=["markdown.extensions.extra", "plugins.inquiry_tags.markdown:InquiryFormExtension"]
    )
    html = md.convert(
        "Intro.\n[[inquiry-form procedure=botox]]\n\n```\n[[inquiry-form]]\n```\n\n"
        "Inline `[[inquiry-form]]` too.\n\n    [[inquiry-form]]\n"
    )
    found = [markers.placeholder_args(m) for m in markers.PLACEHOLDER.finditer(html)]
    assert found == ["procedure=botox"]
    assert "<p>Intro.</p>" in html  # the line before stays a paragraph of its own
    assert html.count("[[inquiry-form]]") == 3  # fenced, inline and indented code keep the text

"""Captions: built per network, checked against each network's rules, never cut short."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from pipeline.social import captions_for
from pipeline.social.errors import SocialError
from pipeline.social.links import campaign_id, campaign_problem
from pipeline.social.networks import NETWORKS
from pipeline.social.text import weighted_length
from tests.pipeline.social.conftest import item


def test_caption_has_title_summary_call_to_action_and_tracked_link():
    caption = captions_for(item(hashtags=(("social.hashtags.0", "#MedSpa"),)), "facebook")
    assert caption.text.startswith("Five myths about Botox\n\nWhat it can and cannot do.")
    assert f"Read more: {caption.link}" in caption.text and caption.text.endswith("#MedSpa")
    query = parse_qs(urlsplit(caption.link).query)
    assert query == {"utm_source": ["facebook"], "utm_medium": ["social"], "utm_campaign": ["post-20260314-27f564"]}
    assert urlsplit(caption.link).path == "/blog/botox-myths/"


def test_no_treatment_name_in_any_url_parameter():
    """The page path may name the treatment; the UTM parameters never do (REFERENCE.md, tracking)."""
    campaign = campaign_id("post", "botox-myths", None)
    for network in NETWORKS:
        link = captions_for(item(campaign=campaign), network).link
        params = " ".join(v for values in parse_qs(urlsplit(link).query).values() for v in values)
        assert "botox" not in params.lower() and "myths" not in params.lower()


def test_campaign_written_in_front_matter_may_not_name_a_treatment_or_condition():
    assert campaign_problem("holiday-2026") is None
    assert "names a condition ('rosacea')" in campaign_problem("rosacea-week")
    assert "names the id" in campaign_problem("botox-week", {"botox": "the id of procedure 'Botox'"})
    assert "not a campaign id" in campaign_problem("Holiday Sale!")


def test_instagram_and_gbp_keep_the_link_out_of_the_text():
    insta = captions_for(item(), "instagram")
    assert "http" not in insta.text and insta.text.endswith("Read more. Link in bio.")
    assert "http" not in captions_for(item(), "gbp").text
    assert "utm_source=google-business-profile" in captions_for(item(), "gbp").link


@pytest.mark.parametrize("network", ["instagram", "linkedin", "gbp"])
def test_over_the_limit_is_an_error_naming_file_field_and_rule(network):
    limit = NETWORKS[network].max_chars
    long = "A" * limit
    with pytest.raises(SocialError) as failure:
        captions_for(item(summary=long), network)
    message = str(failure.value)
    assert "content/blog/botox-myths.md:summary:" in message and "(line 4)" in message
    assert f"{NETWORKS[network].label} allows {limit:,}" in message and "never cut short" in message


def test_a_caption_just_at_the_limit_passes_untouched():
    net = NETWORKS["linkedin"]
    overhead = len(captions_for(item(summary="x"), "linkedin").text) - 1
    summary = "y" * (net.max_chars - overhead)
    caption = captions_for(item(summary=summary), "linkedin")
    assert caption.length == net.max_chars and summary in caption.text


def test_x_counts_weighted_characters_with_urls_as_23_and_emoji_as_2():
    base = captions_for(item(title="T"), "x")
    assert base.length == weighted_length(base.text) == 1 + 2 + len("Read more: ") + 23
    room = 280 - base.length
    emoji_title = "T" + "😀" * (room // 2)  # fills the 280 exactly (or one short)
    fits = captions_for(item(title=emoji_title), "x")
    assert fits.length <= 280 and fits.length >= 279
    with pytest.raises(SocialError, match=r"the X caption is 28[12] characters \(weighted: every link counts 23"):
        captions_for(item(title=emoji_title + "😀"), "x")


def test_x_override_caption_is_checked_and_named():
    own = {"x": "Short and sweet 🌟", "default": "Long form"}
    assert captions_for(item(caption=own), "x").text.startswith("Short and sweet 🌟")
    assert captions_for(item(caption=own), "linkedin").text.startswith("Long form")
    with pytest.raises(SocialError, match=r"botox-myths.md:social.caption.x: the X caption is \d+ characters"):
        captions_for(item(caption={"x": "word " * 60}), "x")


def test_instagram_allows_five_hashtags_and_not_six():
    five = tuple((f"social.hashtags.{i}", f"#tag{i}") for i in range(5))
    assert len(captions_for(item(hashtags=five), "instagram").hashtags) == 5
    six = (*five, ("social.hashtags.5", "#tag5"))
    with pytest.raises(SocialError) as failure:
        captions_for(item(hashtags=six), "instagram")
    assert "social.hashtags.0: the Instagram caption has 6 hashtags" in str(failure.value)
    assert "allows at most 5" in str(failure.value)
    assert len(captions_for(item(hashtags=six), "linkedin").hashtags) == 6  # no limit there


def test_hashtags_in_the_caption_text_count_too():
    own = "New #MedSpa #GlowUp #Botox #Skin #Care #Winter news"
    with pytest.raises(SocialError, match="has 6 hashtags"):
        captions_for(item(caption=own), "instagram")


def test_gbp_rejects_a_phone_number_and_names_where_it_is():
    with pytest.raises(SocialError) as failure:
        captions_for(item(summary="Call (555) 555-0142 to book."), "gbp")
    message = str(failure.value)
    assert "content/blog/botox-myths.md:summary: '(555) 555-0142' is a phone number" in message
    assert "Google Business Profile rejects posts containing one" in message
    # Other networks take it; a GBP-only caption without it fixes the post.
    assert "(555) 555-0142" in captions_for(item(summary="Call (555) 555-0142 to book."), "facebook").text
    fixed = item(summary="Call (555) 555-0142 to book.", caption={"gbp": "Book online, any time."})
    assert captions_for(fixed, "gbp").text.startswith("Book online")


def test_gbp_captions_carry_no_hashtags():
    assert captions_for(item(hashtags=(("social.hashtags.0", "#MedSpa"),)), "gbp").hashtags == ()

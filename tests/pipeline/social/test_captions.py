"""Captions: built per network, checked against each network's rules; automatic text shortened to fit,
the coordinator's own words never cut."""

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
    caption = captions_for(item(hashtags=(("social.hashtags.0", "#MedSpa"),)), "x")
    assert caption.text.startswith("Five myths about Botox")
    assert f"Read more: {caption.link}" in caption.text and caption.text.endswith("#MedSpa")
    caption = captions_for(item(hashtags=(("social.hashtags.0", "#MedSpa"),)), "facebook")
    assert caption.text.startswith("Five myths about Botox\n\nWhat it can and cannot do.")
    query = parse_qs(urlsplit(caption.link).query)
    assert query == {
        "utm_source": ["facebook"],
        "utm_medium": ["social"],
        "utm_campaign": ["post-20260314-27f564"],
    }
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


@pytest.mark.parametrize("network", ["facebook", "linkedin"])
def test_a_link_preview_network_has_the_link_once_in_the_link_column_not_in_the_text(network):
    """Hootsuite and Sprout turn the link column into the preview card; the same link in the text too
    would be posted twice."""
    caption = captions_for(item(), network)
    assert "http" not in caption.text and caption.text.endswith("Read more.")
    assert NETWORKS[network].link_column and caption.link.startswith("https://")


def test_instagram_and_gbp_keep_the_link_out_of_the_text():
    insta = captions_for(item(), "instagram")
    assert "http" not in insta.text and insta.text.endswith("Read more. Link in bio.")
    assert "http" not in captions_for(item(), "gbp").text
    assert "utm_source=google-business-profile" in captions_for(item(), "gbp").link


@pytest.mark.parametrize("network", ["instagram", "linkedin", "gbp"])
def test_an_automatic_caption_over_the_limit_is_shortened_at_a_word(network):
    limit = NETWORKS[network].max_chars
    long = "word " * limit
    caption = captions_for(item(summary=long), network)
    assert caption.shortened and caption.length <= limit and "word…" in caption.text
    assert caption.text.startswith("Five myths about Botox") and caption.text.rstrip().endswith(
        captions_for(item(), network).text.split("What it can and cannot do.")[1].strip()
    )


@pytest.mark.parametrize("network", ["instagram", "linkedin", "gbp"])
def test_the_coordinators_own_caption_over_the_limit_is_an_error_naming_file_field_rule_and_budget(network):
    limit = NETWORKS[network].max_chars
    with pytest.raises(SocialError) as failure:
        captions_for(item(caption={network: "A" * limit}), network)
    message = str(failure.value)
    assert f"content/blog/botox-myths.md:social.caption.{network}:" in message and "(line 11)" in message
    assert f"{NETWORKS[network].label} allows {limit:,}" in message and "never cut short" in message
    fixed = len(captions_for(item(caption={network: ""}), network).text)
    assert f"take {fixed:,}, which leaves {limit - fixed:,} for your text" in message


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
    emoji_title = "T " + "😀" * ((room - 1) // 2)  # fills the 280 exactly (or one short)
    fits = captions_for(item(title=emoji_title), "x")
    assert 279 <= fits.length <= 280 and not fits.shortened
    over = captions_for(item(title=emoji_title + "😀"), "x")
    assert over.shortened and over.text.startswith("T…") and over.length <= 280


DISCLAIMER = (
    "Individual results vary. These photos show real patients' results with the treatment named; "
    "they are not a promise of your result. A consultation with a provider is required."
)


def test_a_long_case_title_on_x_is_shortened_around_the_fixed_disclaimer_link_and_hashtag():
    """A 44-character case title made the automatic X caption 282 weighted characters: it is cut at a
    word, and the disclaimer, the link and the hashtag stay whole."""
    case = item(
        kind="case",
        cta="See more results",
        disclaimer=DISCLAIMER,
        title="Crow's feet softened after two gentle sessions",
        hashtags=(("settings: SOCIAL_HASHTAGS", "#AuroraAesthetics"),),
    )
    full = "\n\n".join(
        [case.title, DISCLAIMER, f"See more results: {captions_for(case, 'x').link}", "#AuroraAesthetics"]
    )
    assert weighted_length(full) > 280
    caption = captions_for(case, "x")
    assert caption.shortened and caption.length <= 280 == caption.limit
    title = caption.text.split("\n\n")[0]
    assert title.endswith("…") and case.title.startswith(title[:-1]) and title[:-1] == title[:-1].rstrip()
    assert (
        DISCLAIMER in caption.text
        and caption.link in caption.text
        and caption.text.endswith("#AuroraAesthetics")
    )


def test_x_says_how_much_room_the_fixed_parts_leave_when_the_title_cannot_fit():
    case = item(disclaimer=DISCLAIMER, title="Supercalifragilisticexpialidociousnesses" * 2)
    with pytest.raises(SocialError) as failure:
        captions_for(case, "x")
    fixed = weighted_length(captions_for(item(disclaimer=DISCLAIMER, title=""), "x").text)
    assert (
        f"X allows 280: the results disclaimer and the call to action with its link take {fixed}, which "
        f"leaves {280 - fixed} for the title"
    ) in str(failure.value)
    assert "up to" in str(failure.value) and "social: {caption: {x:" in str(failure.value)


def test_x_override_caption_is_checked_and_named():
    own = {"x": "Short and sweet 🌟", "default": "Long form"}
    assert captions_for(item(caption=own), "x").text.startswith("Short and sweet 🌟")
    assert captions_for(item(caption=own), "linkedin").text.startswith("Long form")
    with pytest.raises(
        SocialError,
        match=r"botox-myths.md:social.caption.x: the X caption is \d+ characters.*"
        r"which leaves \d+ for your text",
    ):
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

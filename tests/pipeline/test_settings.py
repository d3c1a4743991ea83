"""Settings declared once, as a model: the checks, the messages and docs/settings.md come from it."""

from __future__ import annotations

import pytest
from pelican import Pelican
from pelican.settings import read_settings

import runner
from pipeline import settings_catalog
from pipeline.feeds import FeedError, FeedSettings
from pipeline.seo import SeoError, SeoSettings
from pipeline.settings import FeatureSettings


def test_docs_settings_md_is_generated_from_the_models():
    assert settings_catalog.DOCS.read_text(encoding="utf-8") == settings_catalog.settings_markdown(
        settings_catalog.features()
    ), "docs/settings.md is out of date: run .venv/bin/python -m pipeline.settings_catalog"


@pytest.mark.parametrize("feature", settings_catalog.features())
def test_every_setting_has_a_description_and_the_defaults_pass_their_own_checks(feature):
    assert issubclass(feature, FeatureSettings)
    assert all(info.description for info in feature.model_fields.values())
    assert feature.read({}) == feature.read(feature.defaults())


def test_the_project_settings_are_read_as_declared():
    settings = runner.load_settings("publishconf.py")
    assert FeedSettings.read(settings).folder == "feeds"
    assert SeoSettings.read(settings).card_background == (248, 244, 238)


def test_a_misspelt_setting_names_the_closest_real_one():
    with pytest.raises(FeedError) as caught:
        FeedSettings.read({"FEEDS_MAX_ITEM": 5})
    message = str(caught.value)
    assert "FEEDS_MAX_ITEM (did you mean FEEDS_MAX_ITEMS?)" in message
    assert "FEEDS_PATH, FEEDS_MAX_ITEMS" in message


@pytest.mark.parametrize(
    ("feature", "settings", "error", "expected"),
    [
        (
            FeedSettings,
            {"FEEDS_MAX_ITEMS": 0},
            FeedError,
            "FEEDS_MAX_ITEMS is 0: use a whole number of entries, e.g. 20.",
        ),
        (
            FeedSettings,
            {"FEEDS_MAX_ITEMS": True},
            FeedError,
            "FEEDS_MAX_ITEMS is True: use a whole number, e.g. 20.",
        ),
        (
            FeedSettings,
            {"FEEDS_MAX_ITEMS": "20"},
            FeedError,
            "FEEDS_MAX_ITEMS is '20': use a whole number, e.g. 20.",
        ),
        (
            SeoSettings,
            {"SEO_CARD_BACKGROUND": (300, 0, 0)},
            SeoError,
            "SEO_CARD_BACKGROUND is (300, 0, 0): use an RGB triple like (248, 244, 238).",
        ),
        (SeoSettings, {"SEO_INDEXABLE": "yes"}, SeoError, "SEO_INDEXABLE is 'yes': use True or False."),
    ],
)
def test_a_wrong_value_names_the_setting_the_value_and_the_fix(feature, settings, error, expected):
    with pytest.raises(error) as caught:
        feature.read(settings)
    assert str(caught.value) == expected


def test_a_build_with_a_wrong_setting_stops_when_pelican_starts(tmp_path):
    overrides = {
        **runner.load_settings("pelicanconf.py"),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "FEEDS_MAX_ITEMS": -1,
    }
    with pytest.raises(FeedError, match="FEEDS_MAX_ITEMS is -1"):
        Pelican(read_settings(None, override=overrides))

"""SOCIAL_* settings: checked once, each error names the setting and the fix."""

from __future__ import annotations

import pytest

from pipeline.social.config import SocialConfig
from pipeline.social.errors import SocialError
from plugins.social_export import read_social_settings


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"networks": ["instagram", "myspace"]}, "SOCIAL_NETWORKS"),
        ({"post_times": ["09:30", "09:35"]}, "SOCIAL_POST_TIMES"),
        ({"post_times": ["9:33"]}, "SOCIAL_POST_TIMES"),
        ({"select": "some"}, "SOCIAL_SELECT"),
        ({"date_format": "yyyy-mm-dd"}, "SOCIAL_DATE_FORMAT"),
        ({"export_path": "output/social"}, "SOCIAL_EXPORT_PATH"),
        ({"site_url": "www.example.com"}, "SOCIAL_SITEURL"),
        ({"hashtags": "#one"}, "SOCIAL_HASHTAGS"),
        ({"cta": {"poem": "Read"}}, "SOCIAL_CTA"),
        ({"quality": 101}, "SOCIAL_IMAGE_QUALITY"),
    ],
)
def test_bad_settings_name_the_key(values, key):
    with pytest.raises(SocialError, match=rf"settings:{key}: is .* \(in pelicanconf.py\)"):
        SocialConfig(**values)


def test_unknown_setting_is_refused_and_defaults_come_from_the_site():
    with pytest.raises(SocialError, match="SOCIAL_NETWORK: is not a social-export setting"):
        read_social_settings({"SOCIAL_NETWORK": ["x"]})
    config = read_social_settings(
        {
            "SITEURL": "https://www.a.example",
            "INTERNAL_PATH": "/tmp/in",
            "SOCIAL_HASHTAGS": ["MedSpa"],
            "SOCIAL_POST_TIMES": ["17:30", "09:00"],
        }
    )
    assert config.site_url == "https://www.a.example" and config.export_path == "/tmp/in/social"
    assert config.hashtags == ("#MedSpa",) and config.post_times == ("09:00", "17:30")
    assert read_social_settings({"SITEURL": ""}).site_url == ""  # a local build: links need SOCIAL_SITEURL

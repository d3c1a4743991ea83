import pytest

from pipeline.deploy.config import deploy_config, target_overrides
from pipeline.deploy.errors import DeployError

TARGETS = {
    "staging": {"S3_BUCKET": "glow-staging", "SITEURL": "https://staging.example.org"},
    "production": {"S3_BUCKET": "glow-site", "CLOUDFRONT_DISTRIBUTION_ID": "E123"},
}


def test_target_overrides():
    values = {"SITEURL": "https://www.example.org", "DEPLOY_TARGETS": TARGETS}
    assert target_overrides(values, "production") == TARGETS["production"]
    assert target_overrides(values, "staging", bucket="other")["S3_BUCKET"] == "other"
    preview = target_overrides(values, "staging", prefix="/previews/pr-9/")
    assert preview["S3_PREFIX"] == "previews/pr-9"
    assert preview["SITEURL"] == "https://staging.example.org/previews/pr-9"
    assert target_overrides({}, "production") == {}
    assert target_overrides({}, "production", max_deletes="900") == {"S3_MAX_DELETES": 900}
    with pytest.raises(DeployError, match="--max-deletes must be a whole number"):
        target_overrides({}, "production", max_deletes="lots")
    with pytest.raises(DeployError, match="Unknown deploy target 'qa'.*production, staging"):
        target_overrides(values, "qa")


def test_config_defaults_and_checks():
    config = deploy_config({"S3_BUCKET": "glow-site"})
    assert (config.prefix, config.max_deletes, config.redirects, config.workers) == ("", 200, "cloudfront", 8)
    for settings, words in [
        ({}, "S3_BUCKET is not set"),
        ({"S3_BUCKET": "Bad_Bucket"}, "not a valid bucket name"),
        ({"S3_BUCKET": "ok-bucket", "S3_PREFIX": "../up"}, "S3_PREFIX"),
        ({"S3_BUCKET": "ok-bucket", "S3_WORKERS": "8"}, "S3_WORKERS must be a whole number"),
        ({"S3_BUCKET": "ok-bucket", "S3_REDIRECTS": "nginx"}, "S3_REDIRECTS must be"),
        ({"S3_BUCKET": "ok-bucket", "CLOUDFRONT_MAX_PATHS": 5000}, "CLOUDFRONT_MAX_PATHS"),
        ({"S3_BUCKET": "ok-bucket", "S3_GZIP": "yes"}, "S3_GZIP must be True or False"),
    ]:
        with pytest.raises(DeployError, match=words):
            deploy_config(settings)

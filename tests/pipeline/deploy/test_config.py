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


def test_the_preview_workflow_puts_the_site_under_its_prefix_once(monkeypatch):
    """What .github/workflows/preview.yml runs: STAGING_* from its env, then --prefix previews/pr-N."""
    import yaml

    from plugins import sitebuild
    from tests.support.sitefactory import ROOT

    workflow = yaml.safe_load((ROOT / ".github/workflows/preview.yml").read_text())
    step = next(s for s in workflow["jobs"]["preview"]["steps"] if "invoke deploy" in s.get("run", ""))
    prefix = workflow["env"]["PREVIEW_PREFIX"].replace("${{ github.event.pull_request.number }}", "5")
    for name, value in step["env"].items():
        value = value.replace("${{ vars.SITE_URL }}", "https://staging.example").replace("${{ env.PREVIEW_PREFIX }}", prefix)
        monkeypatch.setenv(name, value.replace("${{ vars.S3_BUCKET }}", "glow-staging").split("${{")[0])
    assert '--prefix "$PREVIEW_PREFIX"' in step["run"]
    overrides = target_overrides(sitebuild.load_settings("publishconf.py"), "staging", prefix=prefix)
    assert overrides["SITEURL"] == "https://staging.example/previews/pr-5"
    assert overrides["S3_PREFIX"] == "previews/pr-5"
    # Given a SITEURL that already ends with the prefix, it is not added twice.
    again = target_overrides({"SITEURL": "https://staging.example/previews/pr-5"}, None, prefix="previews/pr-5")
    assert again == {"S3_PREFIX": "previews/pr-5"}

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


VARS = {
    "SITE_URL": "https://staging.example",
    "S3_BUCKET": "glow-staging",
    "CLOUDFRONT_DISTRIBUTION_ID": "E2STAGING",
    "CLOUDFRONT_FUNCTION_NAME": "site-staging-viewer-request",
}


def test_the_preview_workflow_puts_the_site_under_its_prefix_once(monkeypatch):
    """What .github/workflows/preview.yml runs for pull request 5: its step's env, then --prefix."""
    import re
    import shlex

    import yaml

    import runner
    from tests.support.sitefactory import ROOT

    workflow = yaml.safe_load((ROOT / ".github/workflows/preview.yml").read_text())
    context = {"github.event.pull_request.number": "5", **{f"vars.{k}": v for k, v in VARS.items()}}

    def evaluate(value: str) -> str:  # the workflow's ${{ ... }} expressions, as GitHub fills them in
        return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: context[m.group(1)], value)

    for name, value in workflow["env"].items():
        context[f"env.{name}"] = evaluate(value)
    step = next(s for s in workflow["jobs"]["preview"]["steps"] if "invoke deploy" in s.get("run", ""))
    env = {name: evaluate(value) for name, value in step["env"].items()}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    args = shlex.split(step["run"].replace("$PREVIEW_PREFIX", context["env.PREVIEW_PREFIX"]))
    assert args[:2] == ["invoke", "deploy"]
    options = dict(zip(args[2::2], args[3::2], strict=False))

    values = runner.load_settings("publishconf.py")
    overrides = target_overrides(values, options["--target"], prefix=options["--prefix"])
    assert (
        overrides["SITEURL"] == "https://staging.example/previews/pr-5"
    )  # not .../previews/pr-5/previews/pr-5
    config = deploy_config({**values, **overrides})
    assert (config.bucket, config.prefix, config.function_name) == (
        "glow-staging",
        "previews/pr-5",
        "site-staging-viewer-request",
    )


def test_a_siteurl_already_under_the_prefix_is_kept():
    for siteurl in ("https://staging.example/previews/pr-5", "https://staging.example/previews/pr-5/"):
        again = target_overrides({"SITEURL": siteurl}, None, prefix="previews/pr-5")
        assert again == {"S3_PREFIX": "previews/pr-5"}
    # Only a whole last folder counts: pr-15 is not under pr-5.
    other = target_overrides({"SITEURL": "https://staging.example/previews/pr-15"}, None, prefix="pr-5")
    assert other["SITEURL"] == "https://staging.example/previews/pr-15/pr-5"

"""CI workflows and infrastructure: linted by actionlint, the GitHub workflow schema, cfn-lint and
checkov, plus the properties the deploy relies on (OIDC, one deploy at a time, private buckets,
access logs, TLS 1.2...)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest
import yaml
from cfnlint.decode import cfn_yaml

from pipeline.deploy.redirects import cloudfront_function_code

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
TEMPLATE = ROOT / "infra" / "site.yaml"
BIN = Path(sys.executable).parent
# checkov lives in its own environment inside the project's (requirements-checkov.txt, ./dev test).
CHECKOV = BIN.parent / "checkov" / "bin" / "checkov"


def run(tool: str, *args) -> subprocess.CompletedProcess:
    exe = BIN / tool
    assert exe.exists(), f"{tool} is missing: pip install -r requirements-dev.txt"
    return subprocess.run(
        [str(exe), *map(str, args)], check=False, capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def workflow(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); put it back.
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    data["on"] = data.pop(True)
    return data


def test_actionlint_passes():
    result = run("actionlint", "-no-color", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n"
    )
    assert run("actionlint", "-no-color", bad).returncode != 0


def test_workflows_match_the_github_schema():
    result = run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_site_workflow_deploys_main_daily_one_at_a_time_with_oidc():
    data = workflow("site.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    # A daily build just after the practice's midnight, in summer and in winter time.
    la = zoneinfo.ZoneInfo("America/Los_Angeles")
    runs = []
    for entry in data["on"]["schedule"]:
        minute, hour, *rest = entry["cron"].split()
        assert rest == ["*", "*", "*"], entry
        runs.append((int(hour), int(minute)))
    for day in (dt.date(2026, 7, 1), dt.date(2026, 12, 1)):
        local = [
            dt.datetime(day.year, day.month, day.day, h, m, tzinfo=dt.UTC).astimezone(la) for h, m in runs
        ]
        assert any(t.hour == 0 and t.minute < 30 for t in local), (day, local)
    assert data["concurrency"]["cancel-in-progress"] is False
    deploy = data["jobs"]["deploy"]
    assert deploy["needs"] == "test"
    assert deploy["permissions"]["id-token"] == "write"
    steps = " ".join(str(s.get("run", "")) + str(s.get("uses", "")) for s in deploy["steps"])
    assert "configure-aws-credentials" in steps and "invoke deploy --target production" in steps
    assert data["permissions"] == {"contents": "read"}


def test_preview_workflow_deploys_pull_requests_under_a_prefix():
    data = workflow("preview.yml")
    assert "pull_request" in data["on"]
    preview = data["jobs"]["preview"]
    assert "head.repo.full_name == github.repository" in preview["if"]
    assert any("--prefix" in str(s.get("run", "")) for s in preview["steps"])
    assert "remove-preview" in data["jobs"]
    # The content editor links a change to its preview through this commit status (EDITOR_PREVIEW_CONTEXT).
    from pipeline.editor import EditorSettings

    context = EditorSettings({}).preview_context
    assert any(f"context={context}" in str(s.get("run", "")) for s in preview["steps"])
    assert preview["permissions"]["statuses"] == "write"


@pytest.mark.parametrize(("name", "since"), [("site.yml", "$BEFORE"), ("preview.yml", "$BASE")])
def test_pushes_and_pull_requests_refuse_new_photos_with_location_data(name, since):
    steps = workflow(name)["jobs"]["test"]["steps"]
    runs = [str(s.get("run", "")) for s in steps]
    suite = next(i for i, run in enumerate(runs) if "bash .ci/run" in run)
    check = next(i for i, run in enumerate(runs) if "invoke scrub --check" in run)
    assert check > suite  # the venv the check runs in is the one the suite installed
    assert f'--since "{since}"' in runs[check]


def test_no_stored_aws_keys_in_workflows():
    for path in WORKFLOWS:
        text = path.read_text()
        assert "AWS_SECRET_ACCESS_KEY" not in text and "aws-secret-access-key" not in text, path


def test_cfn_lint_passes():
    result = run("cfn-lint", TEMPLATE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_catches_a_broken_template(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      NoSuchProperty: 1\n")
    assert run("cfn-lint", bad).returncode != 0


def checkov(path: Path) -> subprocess.CompletedProcess:
    assert CHECKOV.exists(), "checkov is missing: ./dev test installs it (requirements-checkov.txt)"
    # --skip-download: the checks ship with checkov; nothing is fetched from its vendor.
    return subprocess.run(
        [
            str(CHECKOV),
            "--file",
            str(path),
            "--framework",
            "cloudformation",
            "--skip-download",
            "--compact",
            "--quiet",
            "--output",
            "json",
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_checkov_passes_and_every_skipped_check_is_explained():
    result = checkov(TEMPLATE)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    import json

    report = json.loads(result.stdout)
    assert report["summary"]["failed"] == 0 and report["summary"]["passed"] > 40
    # Each check left failing on purpose is skipped in the resource's metadata with the reason, and
    # explained in infra/README.md.
    readme = (ROOT / "infra" / "README.md").read_text()
    template = cfn_yaml.load(str(TEMPLATE))["Resources"]
    skips = [
        (name, skip)
        for name, resource in template.items()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips, "no check is skipped"
    for name, skip in skips:
        assert len(skip.get("comment", "")) > 40, (name, skip)
        assert re.search(rf"`{skip['id']}`.*{name}|{name}.*`{skip['id']}`", readme), (name, skip["id"])


def test_checkov_catches_a_public_unencrypted_bucket(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n"
    )
    result = checkov(bad)
    assert result.returncode != 0 and "CKV_AWS_20" in result.stdout  # "S3 bucket has a public READ ACL"


@pytest.fixture(scope="module")
def resources() -> dict:
    return cfn_yaml.load(str(TEMPLATE))["Resources"]


def test_buckets_are_private_encrypted_and_acl_free(resources):
    for name in ("SiteBucket", "InquiriesBucket"):
        props = resources[name]["Properties"]
        assert all(props["PublicAccessBlockConfiguration"].values()), name
        assert props["OwnershipControls"]["Rules"][0]["ObjectOwnership"] == "BucketOwnerEnforced"
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
            "ServerSideEncryptionByDefault"
        ]


def test_distribution_uses_oac_the_function_and_security_headers(resources):
    config = resources["Distribution"]["Properties"]["DistributionConfig"]
    origin = config["Origins"][0]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["OriginAccessControl", "Id"]}
    behavior = config["DefaultCacheBehavior"]
    assert behavior["FunctionAssociations"][0]["EventType"] == "viewer-request"
    assert behavior["ResponseHeadersPolicyId"] == {"Ref": "SecurityHeaders"}
    headers = resources["SecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    security = headers["SecurityHeadersConfig"]
    assert set(security) >= {
        "ContentSecurityPolicy",
        "StrictTransportSecurity",
        "ContentTypeOptions",
        "ReferrerPolicy",
    }
    assert headers["CustomHeadersConfig"]["Items"][0]["Header"] == "Permissions-Policy"


def test_the_social_images_folder_is_served_noindex(resources):
    """media/social/ (the images schedulers fetch by URL) is no page of the site: CloudFront adds the
    X-Robots-Tag S3 cannot store on an object."""
    from pipeline.social.images import PUBLIC_FOLDER

    config = resources["Distribution"]["Properties"]["DistributionConfig"]
    [behaviour] = [b for b in config["CacheBehaviors"] if b.get("PathPattern") == f"/{PUBLIC_FOLDER}/*"]
    assert behaviour["TargetOriginId"] == "site" and behaviour["AllowedMethods"] == ["GET", "HEAD"]
    policy = resources[behaviour["ResponseHeadersPolicyId"]["Ref"]]["Properties"][
        "ResponseHeadersPolicyConfig"
    ]
    assert {"Header": "X-Robots-Tag", "Value": "noindex, nofollow", "Override": True} in policy[
        "CustomHeadersConfig"
    ]["Items"]


def test_stack_outputs_the_function_name_that_deploy_settings_need(resources):
    outputs = cfn_yaml.load(str(TEMPLATE))["Outputs"]
    name = resources["ViewerRequestFunction"]["Properties"]["Name"]
    assert name == {"Fn::Sub": "${AWS::StackName}-viewer-request"}
    # CLOUDFRONT_FUNCTION_NAME is a name (cloudfront get_function(Name=...)), not the ARN !Ref gives.
    assert outputs["ViewerRequestFunctionName"]["Value"] == name
    assert outputs["ViewerRequestFunctionName"]["Description"] == "CLOUDFRONT_FUNCTION_NAME"


def test_function_in_the_template_is_the_generated_code(resources):
    assert resources["ViewerRequestFunction"]["Properties"]["FunctionCode"] == cloudfront_function_code({})


def test_deploy_role_is_least_privilege(resources):
    role = resources["DeployRole"]["Properties"]
    trust = role["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    condition = trust["Condition"]["StringEquals"]
    assert condition["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    assert "token.actions.githubusercontent.com:sub" in condition
    statements = role["Policies"][0]["PolicyDocument"]["Statement"]
    actions = [
        a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    ]
    assert all("*" not in a for a in actions)
    assert not any(a.startswith(("s3:PutObjectAcl", "s3:PutBucket")) for a in actions)
    assert all(s["Resource"] != "*" for s in statements)
    assert "InquiriesBucket" not in str(statements)


def test_buckets_and_cloudfront_log_to_a_private_encrypted_expiring_log_bucket(resources):
    for name, prefix in (("SiteBucket", "s3/site/"), ("InquiriesBucket", "s3/inquiries/")):
        logging = resources[name]["Properties"]["LoggingConfiguration"]
        assert logging == {"DestinationBucketName": {"Ref": "LogBucket"}, "LogFilePrefix": prefix}, name
    cloudfront = resources["Distribution"]["Properties"]["DistributionConfig"]["Logging"]
    assert (
        cloudfront["Bucket"] == {"Fn::GetAtt": ["LogBucket", "DomainName"]}
        and cloudfront["IncludeCookies"] is False
    )
    log = resources["LogBucket"]["Properties"]
    assert all(log["PublicAccessBlockConfiguration"].values())
    assert log["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"
    ] == {"SSEAlgorithm": "AES256"}  # S3 server access logs cannot go to an SSE-KMS bucket
    [rule] = log["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled" and rule["ExpirationInDays"] == {"Ref": "AccessLogRetentionDays"}
    statements = resources["LogBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    writer = next(s for s in statements if s["Sid"] == "S3ServerAccessLogs")
    assert (
        writer["Principal"] == {"Service": "logging.s3.amazonaws.com"} and writer["Action"] == "s3:PutObject"
    )
    assert "aws:SourceAccount" in writer["Condition"]["StringEquals"]
    assert any(
        s["Effect"] == "Deny" and s["Condition"]["Bool"]["aws:SecureTransport"] == "false" for s in statements
    )


def test_viewers_need_tls_1_2_with_the_sites_own_certificate(resources):
    config = resources["Distribution"]["Properties"]["DistributionConfig"]
    condition, own, default = config["ViewerCertificate"]["Fn::If"]
    assert condition == "HasDomain"
    assert own == {
        "AcmCertificateArn": {"Ref": "CertificateArn"},
        "SslSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }
    # The default *.cloudfront.net certificate cannot enforce a minimum: the README says so.
    assert default == {"CloudFrontDefaultCertificate": True}
    assert "cannot enforce" in (ROOT / "infra" / "README.md").read_text()


def test_the_editor_path_has_its_own_headers_and_every_other_path_the_sites(resources):
    """CloudFront sends /admin/* exactly the headers `inv edit` sends (pipeline/editor/policy.py)."""
    from pipeline.editor.policy import editor_headers

    distribution = resources["Distribution"]["Properties"]["DistributionConfig"]
    behaviours = [b for b in distribution["CacheBehaviors"] if isinstance(b, dict) and "PathPattern" in b]
    admin = next(b for b in behaviours if b["PathPattern"] == "/admin/*")
    assert admin["ResponseHeadersPolicyId"] == {"Ref": "EditorHeaders"}
    assert distribution["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == {"Ref": "SecurityHeaders"}
    config = resources["EditorHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    wanted = dict(editor_headers(https=True))
    assert (
        config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
        == wanted["Content-Security-Policy"]
    )
    custom = {item["Header"]: item["Value"] for item in config["CustomHeadersConfig"]["Items"]}
    assert custom["Cross-Origin-Opener-Policy"] == wanted["Cross-Origin-Opener-Policy"]
    assert custom["Permissions-Policy"] == wanted["Permissions-Policy"]

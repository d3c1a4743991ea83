"""infra/site.yaml's inquiry receiver: the function the package is built for, least privilege,
/api/* routed on the site's origin with nothing cached, and the WAF rate limit in front."""

from __future__ import annotations

from pathlib import Path

from cfnlint.decode import cfn_yaml

from pipeline.inquiry.package import HANDLER

TEMPLATE = Path(__file__).resolve().parent.parent / "infra" / "site.yaml"


def resources() -> dict:
    return cfn_yaml.load(str(TEMPLATE))["Resources"]


def test_function_runs_the_packaged_handler_with_an_s3_store():
    function = resources()["ReceiverFunction"]
    props = function["Properties"]
    assert function["Condition"] == "HasReceiver"
    assert props["Runtime"] == "python3.11" and props["Handler"] == HANDLER
    assert set(props["Code"]) == {"S3Bucket", "S3Key"}
    env = props["Environment"]["Variables"]
    assert env["INQUIRY_STORE"] == {"Fn::Sub": "s3://${InquiriesBucket}"} and env["INQUIRY_SSE"] == "aws:kms"
    assert "INQUIRY_ORIGIN_SECRET" in env


def test_role_may_only_add_records_and_logs():
    statements = resources()["ReceiverRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    store = next(s for s in statements if isinstance(s, dict) and s.get("Sid") == "StoreRecords")
    assert store["Action"] == "s3:PutObject"
    assert [r["Fn::Sub"] for r in store["Resource"]] == ["${InquiriesBucket.Arn}/inquiries/*",
                                                          "${InquiriesBucket.Arn}/clicks/*"]
    actions = []
    for statement in statements:
        if isinstance(statement, dict) and "Fn::If" in statement:
            statement = statement["Fn::If"][1]
        action = statement["Action"]
        actions += action if isinstance(action, list) else [action]
    assert sorted(actions) == ["logs:CreateLogStream", "logs:PutLogEvents", "s3:PutObject", "ses:SendEmail"]


def test_api_behaviour_reaches_the_receiver_uncached_without_cookies():
    config = resources()["Distribution"]["Properties"]["DistributionConfig"]
    [behaviour] = [b["Fn::If"][1] for b in config["CacheBehaviors"] if "Fn::If" in b]
    assert behaviour["PathPattern"] == "/api/*" and behaviour["TargetOriginId"] == "inquiry-receiver"
    assert "POST" in behaviour["AllowedMethods"] and behaviour["ViewerProtocolPolicy"] == "https-only"
    assert behaviour["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # Managed-CachingDisabled
    assert "FunctionAssociations" not in behaviour  # the site's /dir -> /dir/ redirect would break POSTs
    policy = resources()["ReceiverOriginRequestPolicy"]["Properties"]["OriginRequestPolicyConfig"]
    assert policy["CookiesConfig"]["CookieBehavior"] == "none"
    assert policy["QueryStringsConfig"]["QueryStringBehavior"] == "none"
    assert "CloudFront-Viewer-Address" in policy["HeadersConfig"]["Headers"]
    assert config["WebACLId"]["Fn::If"][1] == {"Fn::GetAtt": ["ReceiverFirewall", "Arn"]}


def test_waf_rate_limits_api_requests_per_ip():
    acl = resources()["ReceiverFirewall"]["Properties"]
    assert acl["Scope"] == "CLOUDFRONT"
    [rule] = acl["Rules"]
    rate = rule["Statement"]["RateBasedStatement"]
    assert rate["AggregateKeyType"] == "IP" and rate["Limit"] == {"Ref": "InquiryRateLimit"}
    assert rate["ScopeDownStatement"]["ByteMatchStatement"]["SearchString"] == "/api/"
    assert rule["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429

"""The Lambda face: realistic API Gateway HTTP API / function URL (payload 2.0) events, storing to
moto's S3 server over HTTP."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import pytest

from pipeline.inquiry import InquiryError, build_receiver, lambda_handler
from pipeline.inquiry.lambda_handler import make_handler
from tests.pipeline.inquiry.conftest import VALID

pytestmark = pytest.mark.s3
SITE = "https://www.example-medspa.com"


def event(
    body: str | bytes = "",
    *,
    method: str = "POST",
    path: str = "/api/inquiry",
    headers: dict | None = None,
    base64_body: bool = True,
    function_url: bool = True,
) -> dict:
    """An event as API Gateway (HTTP API) or a Lambda function URL delivers it."""
    raw = body if isinstance(body, bytes) else body.encode()
    domain = (
        "abc123.lambda-url.us-east-1.on.aws" if function_url else "k2j4h5.execute-api.us-east-1.amazonaws.com"
    )
    return {
        "version": "2.0",
        "routeKey": "$default" if function_url else f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "host": domain,
            "origin": SITE,
            "referer": SITE + "/contact/",
            "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)",
            "x-forwarded-for": "203.0.113.9",
            "x-forwarded-proto": "https",
            "content-type": "application/x-www-form-urlencoded",
            "content-length": str(len(raw)),
            **(headers or {}),
        },
        "requestContext": {
            "accountId": "anonymous" if function_url else "123456789012",
            "apiId": domain.split(".")[0],
            "domainName": domain,
            "domainPrefix": domain.split(".")[0],
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.9",
                "userAgent": "Mozilla/5.0",
            },
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "routeKey": "$default",
            "stage": "$default",
            "time": "05/Nov/2026:14:03:22 +0000",
            "timeEpoch": 1793887402000,
        },
        "body": base64.b64encode(raw).decode() if base64_body else raw.decode(),
        "isBase64Encoded": base64_body,
    }


@pytest.fixture
def lambda_env(moto_s3):
    bucket = moto_s3.new_bucket("inq")
    client = moto_s3.client()
    receiver = build_receiver(
        {
            "INQUIRY_STORE": f"s3://{bucket}",
            "INQUIRY_ORIGINS": SITE,  # a comma-separated string, as in the function's environment
            "INQUIRY_THANK_YOU_URL": "/thank-you/",
            "INQUIRY_SSE": "AES256",
        },
        s3_client=client,
    )
    return make_handler(receiver), client, bucket


def _objects(client, bucket, prefix="inquiries/"):
    return [
        json.loads(client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read())
        for o in client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    ]


@pytest.mark.parametrize("function_url", [True, False])
def test_plain_form_post_base64(lambda_env, function_url):
    handler, client, bucket = lambda_env
    result = handler(event(urlencode(VALID), function_url=function_url), None)
    assert result["statusCode"] == 303
    assert result["headers"]["Location"] == SITE + "/thank-you/"
    assert result["headers"]["Access-Control-Allow-Origin"] == SITE
    [record] = _objects(client, bucket)
    assert record["email"] == "Jane.Doe@example.com"
    assert record["attribution"]["first"]["gclid"] == "AbC-123_xYz"


def test_fetch_json_body_not_base64(lambda_env):
    handler, client, bucket = lambda_env
    body = json.dumps({**VALID, "consent_contact": True, "name": "Zoë Ñúñez"}, ensure_ascii=False)
    result = handler(
        event(
            body,
            base64_body=False,
            headers={"content-type": "application/json", "accept": "application/json"},
        ),
        None,
    )
    assert result["statusCode"] == 200, result
    assert json.loads(result["body"]) == {"ok": True, "redirect": SITE + "/thank-you/"}
    assert result["isBase64Encoded"] is False
    assert _objects(client, bucket)[0]["name"] == "Zoë Ñúñez"


def test_preflight_and_foreign_origin(lambda_env):
    handler, client, bucket = lambda_env
    preflight = handler(event(method="OPTIONS", headers={"access-control-request-method": "POST"}), None)
    assert preflight["statusCode"] == 204
    assert preflight["headers"]["Access-Control-Allow-Origin"] == SITE
    foreign = handler(
        event(urlencode(VALID), headers={"origin": "https://evil.example", "accept": "application/json"}),
        None,
    )
    assert foreign["statusCode"] == 403
    assert _objects(client, bucket) == []


def test_invalid_fields_and_bad_bodies(lambda_env):
    handler, client, bucket = lambda_env
    invalid = handler(
        event(urlencode({**VALID, "email": "jane@"}), headers={"accept": "application/json"}), None
    )
    assert invalid["statusCode"] == 422 and "email" in json.loads(invalid["body"])["errors"]
    not_base64 = event("", headers={"accept": "application/json"})
    not_base64["body"] = "***not base64***"
    assert handler(not_base64, None)["statusCode"] == 400
    huge = handler(event("x=" + "a" * 70000, headers={"accept": "application/json"}), None)
    assert huge["statusCode"] == 413
    assert _objects(client, bucket) == []


def test_beacon_event(lambda_env):
    handler, client, bucket = lambda_env
    result = handler(
        event(
            urlencode({"kind": "phone", "page": "/", "target": "+12125550100"}),
            path="/api/beacon",
            headers={"content-type": "text/plain;charset=UTF-8"},
        ),
        None,
    )
    assert result["statusCode"] == 204
    assert [c["kind"] for c in _objects(client, bucket, "clicks/")] == ["phone"]


def test_module_handler_builds_from_the_environment(moto_s3, monkeypatch):
    bucket = moto_s3.new_bucket("inq")
    for key, value in {
        **moto_s3.env(),
        "INQUIRY_STORE": f"s3://{bucket}/prod",
        "INQUIRY_ORIGINS": SITE,
        "INQUIRY_SSE": "AES256",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(lambda_handler, "_receiver", None)
    result = lambda_handler.handler(event(urlencode(VALID)), None)
    assert result["statusCode"] == 303
    keys = moto_s3.client().list_objects_v2(Bucket=bucket)["Contents"]
    assert len(keys) == 1 and keys[0]["Key"].startswith("prod/inquiries/")
    monkeypatch.setattr(lambda_handler, "_receiver", None)


def test_module_handler_refuses_to_store_in_tmp(monkeypatch):
    monkeypatch.delenv("INQUIRY_STORE", raising=False)
    monkeypatch.setattr(lambda_handler, "_receiver", None)
    with pytest.raises(InquiryError, match="INQUIRY_STORE=s3://"):
        lambda_handler.handler(event(urlencode(VALID)), None)


def test_behind_cloudfront_only_requests_with_the_origin_secret_are_served(moto_s3):
    bucket = moto_s3.new_bucket("inq")
    client = moto_s3.client()
    receiver = build_receiver(
        {"INQUIRY_STORE": f"s3://{bucket}", "INQUIRY_ORIGINS": SITE, "INQUIRY_SSE": "AES256",
         "INQUIRY_RATE_LIMIT": "1/hour"},
        s3_client=client,
    )
    handler = make_handler(receiver, origin_secret="s3cret-from-cloudfront")
    direct = handler(event(urlencode(VALID)), None)  # someone calling the function URL itself
    assert direct["statusCode"] == 403 and _objects(client, bucket) == []
    wrong = handler(event(urlencode(VALID), headers={"x-origin-verify": "guess"}), None)
    assert wrong["statusCode"] == 403

    # Through CloudFront: the secret header, and the viewer's own address (not the edge's).
    def via_cloudfront(viewer: str) -> dict:
        return event(urlencode(VALID), headers={"x-origin-verify": "s3cret-from-cloudfront",
                                                "cloudfront-viewer-address": viewer})

    assert handler(via_cloudfront("198.51.100.7:52311"), None)["statusCode"] == 303
    assert handler(via_cloudfront("[2001:db8::7]:443"), None)["statusCode"] == 303  # another viewer
    assert handler(via_cloudfront("198.51.100.7:40000"), None)["statusCode"] == 429  # same viewer again
    assert len(_objects(client, bucket)) == 2

"""The Lambda face: realistic API Gateway HTTP API / function URL (payload 2.0) events, storing to
moto's S3 server over HTTP, with the origin secret read from moto's Secrets Manager over HTTP."""

from __future__ import annotations

import base64
import json
import time
import uuid
from urllib.parse import urlencode

import pytest

from pipeline.inquiry import InquiryError, build_receiver, lambda_handler
from pipeline.inquiry.lambda_handler import make_handler
from pipeline.inquiry.origin import OriginSecret, SecretsManagerSecret
from tests.pipeline.inquiry.conftest import VALID

pytestmark = pytest.mark.s3
SITE = "https://www.example-medspa.com"
SECRET = "k3Qm9Zt2Wq8Xr5Lp0Vn7Bc4Hd1Fg6Js" * 2  # as Secrets Manager generates it: 64 letters and digits
VIEWER = "198.51.100.7:52311"  # CloudFront-Viewer-Address: the visitor's address and port


def event(
    body: str | bytes = "",
    *,
    method: str = "POST",
    path: str = "/api/inquiry",
    headers: dict | None = None,
    base64_body: bool = True,
    function_url: bool = True,
    via_cloudfront: bool = True,
) -> dict:
    """An event as API Gateway (HTTP API) or a Lambda function URL delivers it; ``via_cloudfront``
    adds what CloudFront adds (the origin secret, the viewer's address)."""
    cloudfront = {"x-origin-verify": SECRET, "cloudfront-viewer-address": VIEWER} if via_cloudfront else {}
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
            **cloudfront,
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


def new_secret(server, value: str = SECRET) -> tuple[object, str]:
    """A secret in the test server's Secrets Manager (as the stack's GenerateSecretString makes one)."""
    client = server.client("secretsmanager")
    return client, client.create_secret(Name=f"origin-{uuid.uuid4().hex[:8]}", SecretString=value)["ARN"]


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
    origin = OriginSecret(SecretsManagerSecret(*new_secret(moto_s3)))
    return make_handler(receiver, origin), client, bucket


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
    """The function as deployed: settings and the secret's ARN from the environment, the secret read
    at run time from Secrets Manager (never from the environment itself)."""
    bucket = moto_s3.new_bucket("inq")
    _, arn = new_secret(moto_s3)
    for key, value in {
        **moto_s3.env(),
        "INQUIRY_STORE": f"s3://{bucket}/prod",
        "INQUIRY_ORIGINS": SITE,
        "INQUIRY_SSE": "AES256",
        "INQUIRY_ORIGIN_SECRET_ARN": arn,
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(lambda_handler, "_receiver", None)
    assert lambda_handler.handler(event(urlencode(VALID), via_cloudfront=False), None)["statusCode"] == 403
    result = lambda_handler.handler(event(urlencode(VALID)), None)
    assert result["statusCode"] == 303
    keys = moto_s3.client().list_objects_v2(Bucket=bucket)["Contents"]
    assert len(keys) == 1 and keys[0]["Key"].startswith("prod/inquiries/")
    monkeypatch.setattr(lambda_handler, "_receiver", None)


def test_module_handler_without_the_secret_refuses_everything(moto_s3, monkeypatch):
    """No INQUIRY_ORIGIN_SECRET_ARN: nothing can prove it came through CloudFront, so nothing is served
    (the function never falls back to the local server's open mode)."""
    bucket = moto_s3.new_bucket("inq")
    for key, value in {
        **moto_s3.env(),
        "INQUIRY_STORE": f"s3://{bucket}",
        "INQUIRY_ORIGINS": SITE,
        "INQUIRY_SSE": "AES256",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("INQUIRY_ORIGIN_SECRET_ARN", raising=False)
    monkeypatch.setattr(lambda_handler, "_receiver", None)
    for headers in ({}, {"x-origin-verify": ""}, {"x-origin-verify": SECRET}):
        result = lambda_handler.handler(event(urlencode(VALID), via_cloudfront=False, headers=headers), None)
        assert result["statusCode"] == 403
    assert moto_s3.client().list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0
    monkeypatch.setattr(lambda_handler, "_receiver", None)


def test_module_handler_refuses_to_store_in_tmp(monkeypatch):
    monkeypatch.delenv("INQUIRY_STORE", raising=False)
    monkeypatch.setattr(lambda_handler, "_receiver", None)
    with pytest.raises(InquiryError, match="INQUIRY_STORE=s3://"):
        lambda_handler.handler(event(urlencode(VALID)), None)


def test_spoofed_viewer_addresses_without_the_secret_neither_pass_nor_get_fresh_identities(moto_s3):
    """Calling the function URL directly, 500 times, each with another CloudFront-Viewer-Address and
    without (or with a wrong) secret: all refused, nothing stored. Through CloudFront the limit holds
    per viewer CloudFront saw."""
    bucket = moto_s3.new_bucket("inq")
    client = moto_s3.client()
    receiver = build_receiver(
        {
            "INQUIRY_STORE": f"s3://{bucket}",
            "INQUIRY_ORIGINS": SITE,
            "INQUIRY_SSE": "AES256",
            "INQUIRY_RATE_LIMIT": "1/hour",
        },
        s3_client=client,
    )
    handler = make_handler(receiver, OriginSecret(SecretsManagerSecret(*new_secret(moto_s3))))
    body = urlencode(VALID)
    statuses = set()
    for n in range(500):
        spoofed = {"cloudfront-viewer-address": f"203.0.{n // 250}.{n % 250}:{1024 + n}"}
        if n % 3 == 1:
            spoofed["x-origin-verify"] = "guess"
        elif n % 3 == 2:
            spoofed["x-origin-verify"] = SECRET[:-1]
        statuses.add(handler(event(body, via_cloudfront=False, headers=spoofed), None)["statusCode"])
    assert statuses == {403}
    assert _objects(client, bucket) == []

    def via_cloudfront(viewer: str) -> dict:
        return event(body, headers={"cloudfront-viewer-address": viewer})

    assert handler(via_cloudfront("198.51.100.7:52311"), None)["statusCode"] == 303
    assert handler(via_cloudfront("2001:db8::7:443"), None)["statusCode"] == 303  # another viewer (IPv6)
    assert handler(via_cloudfront("[2001:db8::7]:40000"), None)["statusCode"] == 429  # the same one again
    assert handler(via_cloudfront("198.51.100.7:40000"), None)["statusCode"] == 429  # the same viewer again
    assert len(_objects(client, bucket)) == 2


def test_rotation_accepts_the_previous_secret_for_a_while_only(moto_s3):
    """After `put-secret-value`, CloudFront keeps sending the old value until the stack update reaches
    every edge: both are accepted for the grace period, then only the new one."""
    client, arn = new_secret(moto_s3)
    now = [time.time()]
    source = SecretsManagerSecret(client, arn, ttl=300, retry=10, grace=3600, clock=lambda: now[0])
    origin = OriginSecret(source)
    calls = []
    client.meta.events.register("before-send.secrets-manager.GetSecretValue", lambda **_: calls.append(1))

    def status(secret: str) -> bool:
        return origin.check({"x-origin-verify": secret}, "10.0.0.1").allowed

    assert status(SECRET) and not status("") and not status(SECRET.upper())
    reads = len(calls)
    for _ in range(50):  # wrong secrets cannot run up Secrets Manager calls
        assert not status("wrong")
    assert len(calls) - reads <= 2  # at most one re-read (current + previous) within `retry`

    new = "N" * 64
    client.put_secret_value(SecretId=arn, SecretString=new)
    now[0] += 11  # past `retry`: a request with the new value makes the function read again
    assert status(new) and status(SECRET)  # rotated: CloudFront may send either for a while
    created = client.get_secret_value(SecretId=arn)["CreatedDate"].timestamp()
    now[0] = created + 3600 + 301  # the grace is over (and the cache is stale)
    assert status(new) and not status(SECRET)


def test_secrets_manager_unreachable_is_a_503_that_says_not_sent(lambda_env):
    """The secret cannot be read (Secrets Manager down at a cold start): refused as unavailable,
    and the visitor hears that the message was not sent."""
    _, client, bucket = lambda_env
    receiver = build_receiver(
        {"INQUIRY_STORE": f"s3://{bucket}", "INQUIRY_ORIGINS": SITE, "INQUIRY_SSE": "AES256"},
        s3_client=client,
    )

    def down(refresh: bool = False):
        raise InquiryError("Could not read the origin secret (EndpointConnectionError).")

    handler = make_handler(receiver, OriginSecret(down))
    fetched = handler(event(urlencode(VALID), headers={"accept": "application/json"}), None)
    assert fetched["statusCode"] == 503 and "not sent" in json.loads(fetched["body"])["message"]
    plain = handler(event(urlencode(VALID)), None)
    assert plain["statusCode"] == 503 and "Your message was not sent" in plain["body"]
    assert _objects(client, bucket) == []

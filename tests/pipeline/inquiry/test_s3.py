"""The receiver against real S3 HTTP servers: moto's server and SeaweedFS ``weed mini``.

Inquiries go through the WSGI app over HTTP into an S3Store, then are read back with a
separate client. The encryption request is checked on the wire (a botocore hook sees the
PutObject headers the server receives); privacy through the object's ACL where the server
keeps one.
"""

from __future__ import annotations

import json
import time

import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from pipeline.inquiry import build_receiver, export_inquiries, make_app
from pipeline.inquiry.store import S3Store, client_config
from tests.pipeline.inquiry.conftest import VALID, running
from tests.pipeline.inquiry.conftest import request as http
from tests.support.hanging import HangingServer
from tests.support.s3servers import start_moto

pytestmark = pytest.mark.s3
JSON = {"Accept": "application/json"}
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


@pytest.fixture(params=["moto", "seaweed"])
def s3(request):
    return request.getfixturevalue(f"{request.param}_s3")


def _sent_headers(client) -> list[dict]:
    """Record the headers of every PutObject this client sends."""
    seen: list[dict] = []
    client.meta.events.register(
        "before-send.s3.PutObject", lambda request, **_: seen.append(dict(request.headers)) and None
    )
    return seen


def _receiver(client, bucket: str, **settings):
    return build_receiver({"INQUIRY_STORE": f"s3://{bucket}/site", **settings}, s3_client=client)


# weed mini has no KMS configured: SSE-KMS is checked against moto, SSE-S3 against both.
@pytest.mark.parametrize("server, sse", [("moto", "AES256"), ("moto", "aws:kms"), ("seaweed", "AES256")])
def test_inquiry_is_stored_encrypted_private_and_readable(request, server, sse):
    s3 = request.getfixturevalue(f"{server}_s3")
    bucket = s3.new_bucket("inq")
    client = s3.client()
    sent = _sent_headers(client)
    with running(make_app(_receiver(client, bucket, INQUIRY_SSE=sse))) as origin:
        reply = http(origin + "/api/inquiry", body=VALID, headers={**JSON, "Origin": origin})
    assert reply.status == 200, reply.body

    reader = s3.client()
    keys = [o["Key"] for o in reader.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert len(keys) == 1
    key = keys[0]
    assert key.startswith("site/inquiries/") and key.endswith(".json")
    record = json.loads(reader.get_object(Bucket=bucket, Key=key)["Body"].read())
    assert record["name"] == "Jane Doe" and record["phone"] == "+12125550123"
    assert record["attribution"]["first"]["gclid"] == "AbC-123_xYz"
    assert key == f"site/inquiries/{record['received_at'][:10].replace('-', '/')}/{record['id']}.json"

    # Encryption was asked for on the wire, and no ACL was sent.
    [headers] = sent
    assert headers["x-amz-server-side-encryption"] in (sse, sse.encode())
    assert not any(h.lower().startswith("x-amz-acl") or h.lower().startswith("x-amz-grant") for h in headers)
    assert reader.head_object(Bucket=bucket, Key=key)["ServerSideEncryption"] == sse

    # Private: the owner and nobody else.
    acl = reader.get_object_acl(Bucket=bucket, Key=key)
    assert all(g["Grantee"].get("URI") not in (ALL_USERS, AUTH_USERS) for g in acl["Grants"])
    assert [(g["Grantee"].get("ID"), g["Permission"]) for g in acl["Grants"]] == [
        (acl["Owner"]["ID"], "FULL_CONTROL")
    ]
    if s3.name == "seaweed":  # it checks signatures: an anonymous read is refused
        anonymous = s3.client(config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}))
        with pytest.raises(ClientError) as refused:
            anonymous.get_object(Bucket=bucket, Key=key)
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_invalid_and_honeypot_submissions_write_nothing(s3):
    bucket = s3.new_bucket("inq")
    client = s3.client()
    with running(make_app(_receiver(client, bucket))) as origin:
        assert http(origin + "/api/inquiry", body={**VALID, "email": "no"}, headers=JSON).status == 422
        assert http(origin + "/api/inquiry", body={**VALID, "website": "spam"}, headers=JSON).status == 200
    assert client.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0


def test_clicks_and_export_read_back_from_s3(moto_s3):
    bucket = moto_s3.new_bucket("inq")
    client = moto_s3.client()
    receiver = _receiver(client, bucket, INQUIRY_SSE="AES256")
    with running(make_app(receiver)) as origin:
        for name in ("Ann", "Bob"):
            assert http(origin + "/api/inquiry", body={**VALID, "name": name}, headers=JSON).status == 200
        assert http(origin + "/api/beacon", body={"kind": "directions", "page": "/"}).status == 204
    rows = export_inquiries(receiver.store, None, "jsonl").splitlines()
    assert sorted(json.loads(r)["name"] for r in rows) == ["Ann", "Bob"]
    clicks = client.list_objects_v2(Bucket=bucket, Prefix="site/clicks/")["KeyCount"]
    assert clicks == 1


def test_s3_down_the_visitor_gets_an_error_and_nothing_is_stored():
    server = start_moto()  # our own short-lived server: the shared one stays up
    try:
        client = server.client()
        bucket = server.new_bucket("inq")
        receiver = _receiver(client, bucket, INQUIRY_SSE="AES256")
        with running(make_app(receiver)) as origin:
            assert http(origin + "/api/inquiry", body=VALID, headers=JSON).status == 200
            server.stop()
            fetched = http(origin + "/api/inquiry", body={**VALID, "name": "Lost"}, headers=JSON)
            assert fetched.status == 503
            assert fetched.json()["ok"] is False and fetched.json()["error"] == "store_unavailable"
            plain = http(origin + "/api/inquiry", body={**VALID, "name": "Lost"})
            assert plain.status == 503 and plain.headers.get("Location") is None
            assert b"not sent" in plain.body
    finally:
        server.close()


def test_missing_bucket_is_a_503_not_a_crash(moto_s3):
    client = moto_s3.client()
    store = S3Store(client, "no-such-bucket-for-inquiries", sse="AES256")
    from pipeline.inquiry import Receiver, load_config

    receiver = Receiver(load_config({}), store)
    with running(make_app(receiver)) as origin:
        assert http(origin + "/api/inquiry", body=VALID, headers=JSON).status == 503


def test_a_hanging_store_answers_503_within_seconds(monkeypatch):
    """S3 accepts the connection and never answers. With the client the receiver makes for itself
    (open_store's timeouts and retries), the visitor hears "not sent" long before the Lambda
    function's 15 s timeout, and nothing is reported stored."""
    with HangingServer() as hung:
        for key, value in {
            "AWS_ENDPOINT_URL": hung.endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }.items():
            monkeypatch.setenv(key, value)
        receiver = build_receiver({"INQUIRY_STORE": "s3://inquiries-bucket", "INQUIRY_SSE": "AES256"})
        with running(make_app(receiver)) as origin:
            started = time.monotonic()
            fetched = http(origin + "/api/inquiry", body=VALID, headers=JSON)
            elapsed = time.monotonic() - started
            plain = http(origin + "/api/inquiry", body=VALID)
        assert fetched.status == 503 and fetched.json()["error"] == "store_unavailable"
        assert "not sent" in fetched.json()["message"]
        assert plain.status == 503 and b"Your message was not sent" in plain.body
        assert hung.connections == 2 * 2  # two requests, each tried twice (one retry), then given up
    # Per attempt: the read timeout, after up to 1 s waiting for "100 Continue" (PutObject sends
    # "Expect: 100-continue"); one jittered backoff under a second between the two attempts.
    config = client_config()
    budget = config.retries["total_max_attempts"] * (config.read_timeout + 1) + 1
    assert elapsed < budget <= 8, (elapsed, budget)  # the function's timeout is 15 s (infra/site.yaml)

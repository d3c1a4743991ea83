"""The optional "new inquiry" email through SES (moto's server over HTTP): sent after storing,
without the inquiry's content; a failed notification never fails the visitor."""

from __future__ import annotations

import time
from urllib.parse import parse_qs

import pytest

from pipeline.inquiry import build_receiver, make_app
from tests.pipeline.inquiry.conftest import VALID, request, running, stored
from tests.support.hanging import HangingServer

pytestmark = pytest.mark.s3
JSON = {"Accept": "application/json"}


def _wire(client) -> list[dict]:
    bodies: list[dict] = []
    client.meta.events.register(
        "before-send.ses.SendEmail",
        lambda request, **_: (
            bodies.append(
                parse_qs(request.body.decode() if isinstance(request.body, bytes) else request.body)
            )
            and None
        ),
    )
    return bodies


def test_notification_is_sent_without_content(moto_s3, tmp_path):
    ses = moto_s3.client("ses")
    ses.verify_email_identity(EmailAddress="frontdesk@example-medspa.com")
    sent_before = ses.get_send_quota()["SentLast24Hours"]
    wire = _wire(ses)
    receiver = build_receiver(
        {"INQUIRY_STORE": str(tmp_path / "store"), "INQUIRY_NOTIFY_EMAIL": "frontdesk@example-medspa.com"},
        ses_client=ses,
    )
    with running(make_app(receiver)) as origin:
        assert request(origin + "/api/inquiry", body=VALID, headers=JSON).status == 200
        assert request(origin + "/api/inquiry", body={**VALID, "email": "x"}, headers=JSON).status == 422
    [record] = stored(tmp_path / "store")
    assert ses.get_send_quota()["SentLast24Hours"] == sent_before + 1
    [message] = wire
    text = " ".join(v for values in message.values() for v in values)
    assert record["id"] in text
    for secret in ("Jane", "Doe", "Jane.Doe@example.com", "555", "consultation", "Harbor", "AbC-123"):
        assert secret not in text


def test_failed_notification_still_answers_success(moto_s3, tmp_path, caplog):
    ses = moto_s3.client("ses")  # the sender is not verified: SES refuses
    receiver = build_receiver(
        {"INQUIRY_STORE": str(tmp_path / "store"), "INQUIRY_NOTIFY_EMAIL": "unverified@example-medspa.com"},
        ses_client=ses,
    )
    with running(make_app(receiver)) as origin:
        assert request(origin + "/api/inquiry", body=VALID, headers=JSON).status == 200
    assert len(stored(tmp_path / "store")) == 1
    assert "not sent (MessageRejected)" in caplog.text


def test_a_notifier_that_breaks_in_any_way_still_answers_success(tmp_path, caplog):
    """Not only SES errors: whatever goes wrong after storing (a bug, a timeout), the visitor is told
    the inquiry was sent (it is stored), so nobody sends it twice; the log names no personal data."""
    from pipeline.inquiry import LocalStore, Receiver, load_config

    def broken(record_id, received_at):
        raise TimeoutError("SES took too long")

    receiver = Receiver(load_config({}), LocalStore(tmp_path / "store"), notifier=broken)
    with running(make_app(receiver)) as origin:
        reply = request(origin + "/api/inquiry", body=VALID, headers=JSON)
    assert reply.status == 200
    [record] = stored(tmp_path / "store")
    assert f"notification for {record['id']} failed (TimeoutError)" in caplog.text
    assert "Jane" not in caplog.text and "555" not in caplog.text


def test_a_hanging_ses_costs_the_visitor_seconds_only(tmp_path, monkeypatch):
    """SES accepts the connection and never answers: the SES client the receiver makes for itself gives
    up after one short try, and the visitor hears that the (stored) inquiry was sent."""
    with HangingServer() as hung:
        for key, value in {
            "AWS_ENDPOINT_URL_SES": hung.endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }.items():
            monkeypatch.setenv(key, value)
        receiver = build_receiver(
            {"INQUIRY_STORE": str(tmp_path / "store"), "INQUIRY_NOTIFY_EMAIL": "frontdesk@example.com"}
        )
        with running(make_app(receiver)) as origin:
            started = time.monotonic()
            reply = request(origin + "/api/inquiry", body=VALID, headers=JSON)
            elapsed = time.monotonic() - started
        assert reply.status == 200 and len(stored(tmp_path / "store")) == 1
        assert hung.connections == 1  # one try, no retry
    assert elapsed < 5, elapsed  # connect 1 s + read 2 s, then the answer

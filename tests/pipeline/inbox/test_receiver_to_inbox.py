"""An inquiry sent through the receiver (real HTTP) shows in the inbox within a second."""

from __future__ import annotations

import time

import pytest

from pipeline.inquiry import build_receiver, make_app
from pipeline.inquiry.store import LocalStore, S3Store
from tests.pipeline.inbox.conftest import serve_inbox
from tests.pipeline.inquiry.conftest import VALID, request, running

JSON = {"Accept": "application/json"}


def arrives_within_a_second(receiver, store, settings) -> None:
    with serve_inbox(store, settings=settings) as person, running(make_app(receiver)) as site:
        assert "Wanda Whitlock" not in person.get("/").text
        reply = request(site + "/api/inquiry", body={**VALID, "name": "Wanda Whitlock"}, headers=JSON)
        assert reply.status == 200 and reply.json()["ok"]
        sent = time.monotonic()
        while "Wanda Whitlock" not in (page := person.get("/").text):
            assert time.monotonic() - sent < 1.0, "the inquiry did not reach the inbox within a second"
            time.sleep(0.02)
    assert "status-new" in page.split("Wanda Whitlock")[0].rsplit("<li", 1)[1]


def test_from_the_receiver_to_the_inbox_on_a_folder(tmp_path):
    """The inbox's own settings (INBOX_REFRESH_SECONDS unset: a folder is looked at twice a second)."""
    receiver = build_receiver({"INQUIRY_STORE": str(tmp_path / "store")})
    arrives_within_a_second(receiver, LocalStore(tmp_path / "store"), {"INBOX_REFRESH_SECONDS": None})


@pytest.mark.s3
def test_from_the_receiver_to_the_inbox_on_s3(moto_s3):
    bucket = moto_s3.new_bucket("inquiries")
    receiver = build_receiver(
        {"INQUIRY_STORE": f"s3://{bucket}/practice", "INQUIRY_SSE": "AES256"}, s3_client=moto_s3.client()
    )
    store = S3Store(moto_s3.client(), bucket, "practice", sse="AES256")
    arrives_within_a_second(receiver, store, {"INBOX_REFRESH_SECONDS": 0.5})

"""Inbox fixtures: stores of every kind the inbox reads (a folder, moto's and SeaweedFS's S3
servers over real HTTP), records written as the receiver writes them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from pipeline.inquiry.store import LocalStore, S3Store, encode_record, record_key

BACKENDS = ["local", "moto", "seaweed"]


@pytest.fixture(params=BACKENDS)
def any_store(request, tmp_path):
    """A fresh store: a folder, or a new bucket on moto or SeaweedFS."""
    if request.param == "local":
        return LocalStore(tmp_path / "store")
    server = request.getfixturevalue(f"{request.param}_s3")
    return S3Store(server.client(), server.new_bucket("inbox"), "practice", sse="AES256")


def s3_store(server, client=None) -> S3Store:
    return S3Store(client or server.client(), server.new_bucket("inbox"), "practice", sse="AES256")


def put_record(store, received_at: dt.datetime, **fields) -> tuple[str, dict]:
    """One inquiry as the receiver stores it; (key, record)."""
    record_id = fields.pop("id", None) or str(uuid.uuid4())
    record = {
        "schema": 1,
        "id": record_id,
        "received_at": received_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "form": "contact",
        "kind": "inquiry",
        "name": "Jane Doe",
        "email": "jane.doe@example.com",
        "phone": "+12125550123",
        "preferred_location": "harbor-district",
        "interest": "Botox",
        "message": "Mornings are best.",
        "contact_method": "phone",
        "consent_contact": True,
        "consent_sms": False,
        "attribution": {"first": {}, "latest": {}},
        **fields,
    }
    key = record_key("inquiries", record_id, received_at)
    store.put(key, encode_record(record))
    return key, record

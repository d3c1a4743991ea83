"""Inbox fixtures: stores of every kind the inbox reads (a folder, moto's and SeaweedFS's S3
servers over real HTTP), records written as the receiver writes them."""

from __future__ import annotations

import datetime as dt
import http.client
import re
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest

from pipeline.inquiry.store import LocalStore, S3Store, encode_record, record_key
from tests.support.sitefactory import ROOT

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


# --- an inbox served over real HTTP ------------------------------------------------------------


SETTINGS = {
    "TIMEZONE": "America/Los_Angeles",
    "PATH": str(ROOT / "content"),
    "INBOX_REFRESH_SECONDS": 0.2,
}


@dataclass
class Reply:
    status: int
    headers: dict
    text: str


@dataclass
class Browser:
    """A person at the inbox: keeps the session cookie, sends what its pages send."""

    origin: str
    inbox: object
    cookie: str = ""
    sent: list = field(default_factory=list)

    @property
    def host(self) -> str:
        return self.origin.removeprefix("http://")

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None) -> Reply:
        host, port = self.host.split(":")
        path = path.split("#", 1)[0]  # a browser never sends the fragment
        conn = http.client.HTTPConnection(host, int(port), timeout=15)
        sent = {"Host": self.host, **({"Cookie": self.cookie} if self.cookie else {}), **(headers or {})}
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            return Reply(
                response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
            )
        finally:
            conn.close()

    def get(self, path: str, **kw) -> Reply:
        return self.request("GET", path, **kw)

    def open(self) -> Browser:
        reply = self.get(f"/?key={self.inbox.app.guard.key}")
        assert reply.status == 303, reply
        self.cookie = reply.headers["set-cookie"].split(";")[0]
        return self

    def csrf(self, record_id: str) -> tuple[str, str]:
        page = self.get(f"/i/{record_id}").text
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        seen = re.search(r'name="seen" value="(\d+)"', page).group(1)
        return token, seen

    def change(
        self, record_id: str, fields: dict, origin: str | None = None, token: tuple | None = None
    ) -> Reply:
        csrf, seen = token or self.csrf(record_id)
        body = urlencode({"csrf": csrf, "seen": seen, **fields})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin or self.origin}
        return self.request("POST", f"/i/{record_id}", body, headers)


@contextmanager
def serve_inbox(store, user: str = "alex", settings: dict | None = None, now=None):
    """An inbox over ``store`` on a free port; yields a :class:`Browser` already let in."""
    from pipeline.inbox.run import open_inbox
    from pipeline.inquiry.wsgi import make_http_server

    holder = {}
    server = make_http_server(lambda environ, start: holder["app"](environ, start), "127.0.0.1", 0)
    inbox = open_inbox(
        {**SETTINGS, **(settings or {})}, ROOT, port=server.server_port, store=store, user=user, now=now
    )
    holder["app"] = inbox.app
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield Browser(f"http://127.0.0.1:{server.server_port}", inbox).open()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        inbox.close()

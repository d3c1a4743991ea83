"""Fixtures for the inquiry tags: one Chromium, and the demo practice served with the real receiver."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.sitefactory import ROOT


@dataclass
class DemoSite:
    origin: str
    output: Path
    store: Path  # the receiver's local folder store
    internal: Path  # INTERNAL_PATH of the build (the tracking manifest)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_with_receiver(tmp_path_factory):
    """The demo practice built with the public settings for the origin it is served from, and
    the receiver answering /api/* on that same origin (as `inv serve` and CloudFront do),
    storing to a folder in tmp_path."""
    import runner
    from pipeline.inquiry import build_receiver, make_app
    from pipeline.inquiry.wsgi import make_http_server

    root = tmp_path_factory.mktemp("demo-inquiries")
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    settings = runner.build(
        "publishconf.py",
        {
            "OUTPUT_PATH": str(root / "output"),
            "SITEURL": origin,
            "PATH": str(ROOT / "content"),
            "INTERNAL_PATH": str(root / "internal"),
            "SEARCH_INDEX": False,
        },
    )
    receiver = build_receiver(
        {**settings, "INQUIRY_STORE": str(root / "store"), "INQUIRY_MIN_FILL_SECONDS": 1}
    )
    server = make_http_server(make_app(receiver, static_root=root / "output"), "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield DemoSite(origin, root / "output", root / "store", root / "internal")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)

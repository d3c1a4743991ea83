"""Browser fixtures: the demo practice built with the public settings, served over HTTP,
and one Chromium for the session."""

from __future__ import annotations

import socket

import pytest

from tests.support.browser import serve_directory
from tests.support.sitefactory import ROOT

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """(origin, output dir) of the demo practice, built for the origin it is served from."""
    import runner

    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    output = tmp_path_factory.mktemp("demo-site") / "output"
    runner.build(
        "publishconf.py",
        {
            "OUTPUT_PATH": str(output),
            "SITEURL": origin,
            "INTERNAL_PATH": str(output.parent / "internal"),
            "PATH": str(ROOT / "content"),
        },
    )
    with serve_directory(output, port) as served:
        yield served, output


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()

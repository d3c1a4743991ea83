"""Fixtures shared by the whole suite. Area-specific fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

import pytest

from tests.support.s3servers import start_moto, start_seaweed


@pytest.fixture(scope="session")
def moto_s3():
    """moto's S3 server as a real HTTP process (keys are not checked)."""
    server = start_moto()
    yield server
    server.close()


@pytest.fixture(scope="session")
def seaweed_s3():
    """SeaweedFS ``weed mini``, a real storage engine that enforces keys."""
    server = start_seaweed()
    yield server
    server.close()


@pytest.fixture(scope="session")
def chromium():
    """One real Chromium for the whole session (Playwright's sync API allows one instance at a time)."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import launch

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()

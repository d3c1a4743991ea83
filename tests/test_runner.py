"""The build runner: Pelican's logged errors fail one build, and only that build."""

from __future__ import annotations

import logging

import pytest

from runner import BuildError, _ErrorLog


def test_an_error_logged_during_a_build_fails_it_with_the_message():
    with pytest.raises(BuildError) as caught:
        with _ErrorLog():
            logging.getLogger("pelican.generators").error("Could not process %s\nTraceback...", "content/x.md")
    assert "Could not process content/x.md" in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_errors_after_the_build_are_ordinary_log_records(caplog):
    with _ErrorLog():
        logging.getLogger("pelican").warning("a warning does not fail the build")
    logging.getLogger("pipeline.inquiry").error("the receiver may log errors later")  # must not raise
    assert "receiver may log errors" in caplog.text

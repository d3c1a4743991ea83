"""The consent ledger: each rule, each refusal, each withheld reason."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.consent import ConsentError, decide, load_ledger, parse_ledger
from pipeline.errors import PipelineError

LEDGER = """\
# ids only: names live in the practice's records system
- id: C-2024-001
  scope: web
  granted: 2024-03
  expires: 2026-05
- id: C-2024-002
  scope: social
  granted: 2024-03
  expires: 2027-01
- id: C-2024-003
  scope: both
  granted: 2024-06
  expires: 2027-05-31
  revoked: false
- id: C-2024-007
  scope: both
  granted: 2024-06
  expires: 2028-01
  revoked: 2025-02
- id: C-2024-008
  scope: both
  granted: 2024-06
  expires: 2028-01
  revoked: true
- id: C-2027-001
  scope: both
  granted: 2027-02
  expires: 2029-01
"""
TODAY = dt.date(2026, 4, 15)


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "consent.yml"
    path.write_text(LEDGER)
    return load_ledger(path)


def test_valid_consent_in_scope_is_allowed(ledger):
    assert decide("C-2024-001", ledger, "web", TODAY).allowed
    assert decide("C-2024-003", ledger, "social", TODAY).allowed
    assert decide("C-2024-002", ledger, "social", TODAY).allowed


@pytest.mark.parametrize(
    "consent_id, purpose, today, reason",
    [
        ("C-2024-007", "web", TODAY, "consent C-2024-007 revoked 2025-02"),
        ("C-2024-008", "web", TODAY, "consent C-2024-008 revoked"),
        ("C-2024-001", "web", dt.date(2026, 5, 1), "consent C-2024-001 expired 2026-05"),
        ("C-2024-003", "web", dt.date(2027, 5, 31), "consent C-2024-003 expired 2027-05-31"),
        ("C-2024-002", "web", TODAY, "consent C-2024-002 not in scope for web (scope: social)"),
        ("C-2024-001", "social", TODAY, "consent C-2024-001 not in scope for social (scope: web)"),
        ("C-2027-001", "web", TODAY, "consent C-2027-001 granted 2027-02, not yet in effect"),
    ],
)
def test_withheld_with_a_reason(ledger, consent_id, purpose, today, reason):
    decision = decide(consent_id, ledger, purpose, today)
    assert not decision.allowed and decision.reason == reason


def test_expiry_is_the_first_day_without_consent(ledger):
    assert decide("C-2024-001", ledger, "web", dt.date(2026, 4, 30)).allowed
    assert not decide("C-2024-001", ledger, "web", dt.date(2026, 5, 1)).allowed
    assert decide("C-2024-003", ledger, "web", dt.date(2027, 5, 30)).allowed


def test_unknown_id_is_an_error_naming_the_case_and_the_ledger(ledger):
    with pytest.raises(ConsentError) as caught:
        decide("C-2099-999", ledger, "web", TODAY, case="content/gallery/lips-01/case.yml")
    message = str(caught.value)
    assert isinstance(caught.value, PipelineError)
    assert (
        "content/gallery/lips-01/case.yml" in message and "C-2099-999" in message and "consent.yml" in message
    )
    assert "add its record" in message


ENTRY = "- id: C-1\n  scope: web\n  granted: 2024-03\n  expires: 2026-05\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        (ENTRY + "  name: Jane Doe\n", "field 'name' looks like personal data"),
        (ENTRY + "  patient_email: x\n", "looks like personal data"),
        (ENTRY + "  note: called back\n", "looks like personal data"),
        (ENTRY.replace("C-1", "jane@example.com"), "email address or phone number"),
        (ENTRY.replace("C-1", "'555-123-4567'"), "email address or phone number"),
        (ENTRY.replace("C-1", "Jane Doe"), "never a name"),
        (ENTRY + "  signed_by: clinic\n", "unknown field(s) signed_by"),
        (
            ENTRY.replace("2024-03", "2024-03-14"),
            "granted is 2024-03-14; write the year and month only, like 2024-03",
        ),
        (ENTRY + "  revoked: 2025-01-02\n", "revoked is 2025-01-02; write the year and month only"),
        (ENTRY.replace("2024-03", "2024-13"), "granted is '2024-13'"),
        (ENTRY.replace("  expires: 2026-05\n", ""), "missing expires"),
        (ENTRY.replace("2026-05", "soon"), "expires is 'soon'"),
        (ENTRY.replace("web", "print"), "scope is 'print'; use web, social or both"),
        (ENTRY + ENTRY, "line 5: id C-1 is already used on line 1"),
        ("id: C-1\n", "must be a list of entries"),
        ("- id: C-1\n  scope: [web\n", "not valid YAML"),
    ],
)
def test_bad_ledgers_are_refused_with_file_line_and_fix(text, expected):
    with pytest.raises(ConsentError) as caught:
        parse_ledger(text, "content/gallery/consent.yml")
    assert "content/gallery/consent.yml" in str(caught.value)
    assert expected in str(caught.value)


def test_entry_errors_name_the_line():
    with pytest.raises(ConsentError, match=r"consent.yml, line 5: field 'name'"):
        parse_ledger(ENTRY + ENTRY.replace("C-1", "C-2") + "  name: x\n", "consent.yml")


def test_missing_ledger_says_how_to_fix(tmp_path):
    with pytest.raises(ConsentError, match="CONSENT_LEDGER"):
        load_ledger(tmp_path / "consent.yml")


def test_empty_ledger_knows_no_ids():
    with pytest.raises(ConsentError):
        decide("C-1", parse_ledger("", "consent.yml"), "web", TODAY)

"""The partners' relationship log: checked line by line (and by `inv check`), follow-ups that are
due, partners owed a thank-you for a referral treated this month, and notes that name no patient."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.partner_log import due_follow_ups, not_thanked, parse_log, relationships_from_settings
from pipeline.partners import PartnerError
from tests.support.sitefactory import SiteFactory

CODES = ("elm-derm", "oak-pilates", "quiet-yoga")
HEADER = "date,partner,kind,by,note,follow_up\n"
LOG = HEADER + (
    "2026-11-02,oak-pilates,lunch,Maya,Lunch with the studio owner,2026-11-16\n"
    "2026-11-05,elm-derm,meeting,Maya,Met Dr. Quarry's office manager,2026-11-25\n"
    "2026-11-20,oak-pilates,thank-you,Maya,Card and flowers,\n"
    "2026-10-20,elm-derm,gift,Maya,Chocolates in October,\n"
)


def test_every_mistake_is_named_with_its_line_and_fix():
    bad = HEADER + (
        "2026-11-02,oak-pilates,lunch,Maya,fine,\n"
        "02/11/2026,oak-pilates,lunch,Maya,,\n"
        "2026-11-03,oak-pilate,coffee,Maya,,2026-11-01\n"
        ",,,,,\n"
        "2026-11-04,elm-derm,call,Maya,,soon\n"
    )
    with pytest.raises(PartnerError) as caught:
        parse_log(bad, "data/partner-log.csv", CODES)
    text = str(caught.value)
    assert "data/partner-log.csv line 3: date '02/11/2026' is not a day; write it as YYYY-MM-DD." in text
    assert "line 4: partner 'oak-pilate' is not in the partner registry" in text and "oak-pilates" in text
    assert "line 4: kind 'coffee' is not one of meeting, call, lunch" in text
    assert "line 4: follow_up 2026-11-01 is before the row's date 2026-11-03." in text
    assert "line 6: follow_up 'soon' is not a day" in text
    assert "line 2" not in text and "line 5" not in text  # good and blank lines are fine
    with pytest.raises(PartnerError, match="must name the columns"):
        parse_log("when,who\n", "data/partner-log.csv", CODES)


def test_follow_ups_due_and_thanks_owed():
    entries = parse_log(LOG, "log.csv", CODES)
    # Oak's follow-up was answered by the thank-you on the 20th; Elm's is due from the 25th.
    assert due_follow_ups(entries, dt.date(2026, 11, 24)) == []
    [due] = due_follow_ups(entries, dt.date(2026, 11, 30))
    assert (due.partner, due.due, due.since.kind) == ("elm-derm", dt.date(2026, 11, 25), "meeting")
    # Elm's gift was in October: a referral treated in November is still owed a thank-you.
    treated = {"elm-derm": 1, "oak-pilates": 2, "quiet-yoga": 0}
    assert not_thanked(treated, entries, dt.date(2026, 11, 1)) == ["elm-derm"]


def test_a_bad_log_stops_the_check(tmp_path):
    site = SiteFactory(tmp_path / "site").write_all()
    site.write_partners()
    log = tmp_path / "partner-log.csv"
    log.write_text(HEADER + "2026-11-02,nobody,lunch,Maya,,\n", encoding="utf-8")
    with pytest.raises(PartnerError, match="partner 'nobody' is not in the partner registry"):
        site.check(PARTNER_LOG=str(log))
    log.write_text(LOG, encoding="utf-8")
    site.check(PARTNER_LOG=str(log))  # a good log passes


def test_inv_partners_lists_what_is_due_and_writes_notes_naming_no_patient(scenario, tmp_path):
    root, settings = scenario
    log = tmp_path / "partner-log.csv"
    log.write_text(LOG, encoding="utf-8")
    changed = {**settings, "PARTNER_LOG": str(log), "INTERNAL_PATH": str(tmp_path / "internal")}
    found = relationships_from_settings(changed, root, dt.date(2026, 11, 30))
    # Cara came through Elm Row Dermatology (first touch) and was treated on 25 November.
    assert found.treated == {"elm-derm": 1}
    assert found.not_thanked == ["elm-derm"]
    assert [(f.partner, f.due) for f in found.due] == [("elm-derm", dt.date(2026, 11, 25))]
    note = (found.notes / "elm-derm.html").read_text(encoding="utf-8")
    assert "Thank you, Dr. Ines Quarry" in note and "sending someone our way in November 2026" in note
    assert sorted(p.name for p in found.notes.iterdir()) == [
        "elm-derm.html",
        "oak-pilates.html",
        "quiet-yoga.html",
    ]
    for page in found.notes.iterdir():
        text = page.read_text(encoding="utf-8")
        for patient in ("Cara", "Voss", "Hana", "Ben", "mail.example"):
            assert patient not in text, (page.name, patient)

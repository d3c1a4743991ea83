"""The committed report inputs under data/ are exactly what the committed generator draws."""

from __future__ import annotations

from demo.reports import demo_files
from tests.support.sitefactory import ROOT

DATA = ROOT / "data"
# Kept by hand as the coordinator keeps them, not drawn by the generator.
HAND_KEPT = {"partner-log.csv", "devices.yml", "staff/acknowledgements.csv", "staff/staff.csv"}


def test_generator_reproduces_the_committed_data():
    files = demo_files()
    committed = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*") if p.is_file()} - HAND_KEPT
    assert committed == set(files), "data/ and the generator disagree: re-run demo.reports"
    for rel, data in files.items():
        assert (DATA / rel).read_bytes() == data, f"data/{rel} is stale: re-run demo.reports"


def test_the_boulevard_exports_are_as_messy_as_real_ones():
    files = demo_files()
    appointments = files["emr/boulevard-appointments.csv"]
    assert appointments.startswith(b"\xef\xbb\xbfAppointments report") and b"\r\n" in appointments
    assert appointments.rstrip().endswith(b"appointments")  # a total line below the table
    assert b'"=""' in appointments  # a phone number as an Excel formula, quoted as CSV quotes it

"""The private patient list: read from practice-software exports, matched as a reader sees names."""

from __future__ import annotations

import pytest

from pipeline.patient_list import PatientListError, load_patient_list, parse_patient_list

EXPORT = (
    "Client First Name;Client Last Name;Email;Mobile\nJosé;O’Neil;jose@x.example;555\nJane;Doe;;\nGrace;;;\n"
)


@pytest.mark.parametrize(
    "text, entries",
    [
        ("Jose O'Neil loved it", [1]),
        ("ONEIL, JOSÉ", [1]),
        ("/gallery/jose-oneil/", [1]),
        ("jane-doe-front.jpg", [2]),
        ("Jane A. Doe", [2]),
        ("/blog/janedoe/", [2]),
        ("Doe, Jane", [2]),
        ("Jane and Doe", []),
        ("Grace", []),
        ("Jane Smith", []),
        ("Doe season", []),
    ],
)
def test_names_are_matched_in_either_order_without_accents_or_apostrophes(text, entries):
    assert parse_patient_list(EXPORT).find(text) == entries


def test_exports_with_a_name_column_or_one_name_per_line():
    assert parse_patient_list('Patient Name,DOB\n"Doe, Jane",1980\n').find("Jane Doe") == [1]
    listed = parse_patient_list("Jane Doe\nOdalys Quarrington\n")
    assert listed.find("Quarrington Odalys") == [2] and listed.entries == 2


def test_single_names_are_not_checked_and_are_counted():
    listed = parse_patient_list(EXPORT)
    assert listed.entries == 3 and listed.single == 1


def test_redact_hides_the_name_in_a_path():
    assert (
        parse_patient_list(EXPORT).redact("gallery/jane-doe-botox/index.html")
        == "gallery/***-botox/index.html"
    )


def test_errors_name_the_file_never_its_contents(tmp_path):
    with pytest.raises(PatientListError, match="does not exist"):
        load_patient_list(tmp_path / "missing.csv")
    utf16 = tmp_path / "export.csv"
    utf16.write_bytes("First Name,Last Name\nJane,Doe\n".encode("utf-16"))
    assert load_patient_list(utf16).find("jane doe") == [1]

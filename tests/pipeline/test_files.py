"""Files written whole or not at all, folders swapped in only when complete, and the one CSV writer."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
from contextlib import contextmanager

import pytest

from pipeline import files
from pipeline.files import csv_bytes, place_file, replacing_folder, write_atomic, write_folder


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def cross_device(*_args, **_kwargs):
    raise OSError(errno.EXDEV, "Invalid cross-device link")


# -- write_atomic -----------------------------------------------------------------------------


def test_write_atomic_replaces_the_file_with_exactly_these_bytes(tmp_path):
    target = tmp_path / "page.html"
    target.write_bytes(b"old")
    assert write_atomic(target, b"new \x00 bytes") == target
    assert target.read_bytes() == b"new \x00 bytes"
    write_atomic(target, "caf\u00e9\r\nline two\n")  # text: UTF-8, line ends untouched
    assert target.read_bytes() == "caf\u00e9\r\nline two\n".encode()
    assert os.listdir(tmp_path) == ["page.html"]  # no temporary left behind


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077])
def test_write_atomic_gives_the_mode_asked_whatever_the_umask(tmp_path, mask):
    with umask(mask):
        public = write_atomic(tmp_path / "site" / "css" / "a.css", b"x")
        private = write_atomic(tmp_path / "store" / "2026" / "a.json", b"{}", mode=0o600)
    assert mode_of(public) == 0o644 and mode_of(private) == 0o600
    # Missing folders are made for the same readers as the file.
    assert mode_of(tmp_path / "site") == mode_of(tmp_path / "site" / "css") == 0o755
    assert mode_of(tmp_path / "store") == mode_of(tmp_path / "store" / "2026") == 0o700


def test_write_atomic_leaves_existing_folders_alone(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o750)
    write_atomic(folder / "a.txt", b"x", mode=0o600)
    assert mode_of(folder) == 0o750


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_an_error_mid_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, failing):
    target = tmp_path / "manifest.json"
    target.write_bytes(b'{"old": true}')
    monkeypatch.setattr(
        files.os, failing, disk_full
    )  # the disk fills while the new bytes are flushed / renamed
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, b'{"new": true, "long": "' + b"x" * 100_000 + b'"}')
    monkeypatch.undo()
    assert target.read_bytes() == b'{"old": true}'
    assert os.listdir(tmp_path) == ["manifest.json"]


def test_an_error_mid_write_of_a_new_file_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(files.os, "fsync", disk_full)
    with pytest.raises(OSError):
        write_atomic(tmp_path / "new.bin", b"x" * 10_000)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


# -- place_file -------------------------------------------------------------------------------


def test_place_file_links_the_source_over_the_target(tmp_path):
    source, target = tmp_path / "cache.webp", tmp_path / "out" / "a.webp"
    source.write_bytes(b"derivative")
    target.parent.mkdir()
    target.write_bytes(b"stale")
    assert place_file(source, target) == target
    assert target.read_bytes() == b"derivative" and os.path.samefile(source, target)
    assert os.listdir(target.parent) == ["a.webp"]


def test_place_file_copies_where_it_cannot_link(tmp_path, monkeypatch):
    source, target = tmp_path / "cache.webp", tmp_path / "a.webp"
    source.write_bytes(b"derivative")
    monkeypatch.setattr(files.os, "link", cross_device)
    place_file(source, target)
    monkeypatch.undo()
    assert target.read_bytes() == b"derivative" and not os.path.samefile(source, target)


def test_a_failed_placement_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    source, target = tmp_path / "cache.webp", tmp_path / "out" / "a.webp"
    source.write_bytes(b"derivative")
    target.parent.mkdir()
    target.write_bytes(b"old")
    monkeypatch.setattr(files.os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        place_file(source, target)
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and os.listdir(target.parent) == ["a.webp"]


# -- replacing_folder / write_folder ----------------------------------------------------------


def test_write_folder_replaces_the_folder_with_exactly_these_files(tmp_path):
    target = tmp_path / "reports" / "month-2026-11-01"
    write_folder(target, {"report.html": b"<p>old", "tables/stale.csv": b"a\r\n"})
    write_folder(target, {"report.html": b"<p>new", "charts/a.svg": b"<svg/>"})
    found = {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert found == {"report.html": b"<p>new", "charts/a.svg": b"<svg/>"}
    assert sorted(os.listdir(target.parent)) == ["month-2026-11-01"]  # no staging or old folder left


def test_write_folder_sets_the_folder_mode_asked(tmp_path):
    with umask(0o022):
        target = write_folder(tmp_path / "partners", {"links.csv": b"x"}, mode=0o700)
    assert mode_of(target) == 0o700


def test_an_error_while_filling_keeps_the_old_folder(tmp_path):
    target = tmp_path / "output"
    write_folder(target, {"index.html": b"last good site"})
    with pytest.raises(RuntimeError), replacing_folder(target) as staging:
        (staging / "index.html").write_bytes(b"half a site")
        raise RuntimeError("the build failed")
    assert (target / "index.html").read_bytes() == b"last good site"
    assert os.listdir(tmp_path) == ["output"]


def test_a_failed_swap_puts_the_old_folder_back(tmp_path, monkeypatch):
    target = tmp_path / "output"
    write_folder(target, {"index.html": b"last good site"})
    real_replace = os.replace

    def refuse_staging(source, destination):
        if str(source).endswith(".building"):
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(source, destination)

    monkeypatch.setattr(files.os, "replace", refuse_staging)
    with pytest.raises(OSError, match="Input/output"), replacing_folder(target) as staging:
        (staging / "index.html").write_bytes(b"new site")
    monkeypatch.undo()
    assert (target / "index.html").read_bytes() == b"last good site"
    assert os.listdir(tmp_path) == ["output"]


def test_a_crashed_runs_staging_folder_is_cleared_first(tmp_path):
    leftover = tmp_path / "output.building"
    leftover.mkdir()
    (leftover / "stale.html").write_bytes(b"from a build that was killed")
    with replacing_folder(tmp_path / "output") as staging:
        assert staging == leftover and not any(staging.iterdir())
        (staging / "index.html").write_bytes(b"fresh")
    assert os.listdir(tmp_path / "output") == ["index.html"]


# -- csv_bytes --------------------------------------------------------------------------------


def read_back(data: bytes) -> list[list[str]]:
    """Parse as RFC 4180 CSV (Python's csv module, excel dialect)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_is_utf8_without_bom_with_crlf_and_quotes_only_where_needed():
    data = csv_bytes(["name", "note"], [["Zoë", 'said "hi", then left'], ["two\nlines", None]])
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data == 'name,note\r\nZoë,"said ""hi"", then left"\r\n"two\nlines",\r\n'.encode()
    assert read_back(data) == [["name", "note"], ["Zoë", 'said "hi", then left'], ["two\nlines", ""]]


def test_the_formula_guard_defuses_formulas_and_leaves_numbers():
    rows = [['=HYPERLINK("http://x")', "+1 503 555 0142", "-12.5", "@SUM(A1)", "\tx", 3, True, False]]
    data = csv_bytes(["a", "b", "c", "d", "e", "f", "g", "h"], rows)
    assert read_back(data)[1] == [
        '\'=HYPERLINK("http://x")',
        "'+1 503 555 0142",
        "-12.5",
        "'@SUM(A1)",
        "'\tx",
        "3",
        "true",
        "false",
    ]
    assert read_back(csv_bytes(["ok"], [[True], [False]], booleans=("yes", "no")))[1:] == [["yes"], ["no"]]


def test_without_the_guard_cells_are_written_as_given():
    data = csv_bytes(
        None, [["=1+1", "Gclid_x-1"]], preamble=["Parameters:TimeZone=America/Los_Angeles"], guard=False
    )
    assert data == b"Parameters:TimeZone=America/Los_Angeles\r\n=1+1,Gclid_x-1\r\n"

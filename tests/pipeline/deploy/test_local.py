import gzip
import hashlib

import pytest

from pipeline.deploy.compress import gzip_bytes
from pipeline.deploy.errors import DeployError
from pipeline.deploy.local import list_local
from pipeline.deploy.rules import parse_rules


def test_hash_is_of_the_exact_bytes_uploaded(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>hello</p>" * 50)
    (tmp_path / "logo.png").write_bytes(b"\x89PNG fake")
    plain = list_local(tmp_path, parse_rules([]))
    zipped = list_local(tmp_path, parse_rules([]), gzip_text=True)
    body = (tmp_path / "a" / "index.html").read_bytes()
    assert list(plain) == ["a/index.html", "logo.png"]
    assert plain["a/index.html"].sha256 == hashlib.sha256(body).hexdigest()
    assert zipped["a/index.html"].sha256 == hashlib.sha256(gzip_bytes(body)).hexdigest()
    assert zipped["a/index.html"].size < len(body)
    assert zipped["logo.png"] == plain["logo.png"]


def test_gzip_is_deterministic():
    data = b"<html>" + b"same bytes " * 1000
    assert gzip_bytes(data) == gzip_bytes(data)
    assert gzip_bytes(data)[4:8] == b"\0\0\0\0"  # no timestamp in the header
    assert gzip.decompress(gzip_bytes(data)) == data


def test_missing_or_empty_build_is_refused(tmp_path):
    with pytest.raises(DeployError, match="does not exist"):
        list_local(tmp_path / "output", parse_rules([]))
    with pytest.raises(DeployError, match="empty"):
        list_local(tmp_path, parse_rules([]))

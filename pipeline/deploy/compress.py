"""Deterministic gzip: the same bytes in give the same bytes out, so hashes stay stable."""

import gzip


def gzip_bytes(data: bytes) -> bytes:
    # mtime=0 and no file name keep the header free of build-time facts (RFC 1952 allows 0).
    return gzip.compress(data, compresslevel=9, mtime=0)

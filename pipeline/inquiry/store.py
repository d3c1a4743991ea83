"""Where inquiry and click records live: a local folder or a private S3 bucket.

Both stores hold one JSON object per record under the same keys::

    inquiries/YYYY/MM/DD/<uuid>.json     one inquiry (personal data: private)
    clicks/YYYY/MM/DD/<uuid>.json        one phone/booking/directions click (no personal data)

The date is the UTC day the receiver got the record. ``put`` returns only once the
record is durably stored (local: written to a temporary file, flushed, renamed; S3:
PutObject answered), and raises :class:`InquiryError` otherwise.

S3 objects are private (no ACL is sent; the bucket's BucketOwnerEnforced setting and its
public access block keep them so) and the receiver asks for server-side encryption on
every PutObject (``INQUIRY_SSE``: ``aws:kms`` by default, or ``AES256``).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from pipeline.inquiry.errors import InquiryError

log = logging.getLogger(__name__)
KINDS = ("inquiries", "clicks")


def record_key(kind: str, record_id: str, received_at: datetime) -> str:
    """``inquiries/2026/11/05/<id>.json``: by UTC day, so listing from a date is a key range."""
    if kind not in KINDS:
        raise ValueError(f"unknown record kind {kind!r}")
    day = received_at.astimezone(UTC)
    return f"{kind}/{day:%Y/%m/%d}/{record_id}.json"


def encode_record(record: dict[str, Any]) -> bytes:
    """The stored bytes: sorted keys, UTF-8, one trailing newline (same record, same bytes)."""
    return (json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode(
        "utf-8"
    )


class Store(Protocol):
    where: str

    def put(self, key: str, data: bytes) -> None: ...

    def keys(self, kind: str, since: date | None = None) -> Iterator[str]: ...

    def get(self, key: str) -> bytes: ...


class LocalStore:
    """A folder (default ``internal/inquiries``), for ``inv serve`` and tests."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.where = str(self.root)

    def put(self, key: str, data: bytes) -> None:
        path = self.root / key
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")  # mode 0600
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            if tmp:
                Path(tmp).unlink(missing_ok=True)
            raise InquiryError(
                f"Could not write to the inquiry store {self.where} ({exc.strerror or type(exc).__name__}). "
                "Check that the folder in INQUIRY_STORE exists and is writable."
            ) from None

    def keys(self, kind: str, since: date | None = None) -> Iterator[str]:
        base = self.root / kind
        if not base.is_dir():
            return iter(())
        start = _day_prefix(kind, since)
        found = (
            p.relative_to(self.root).as_posix()
            for p in base.glob("*/*/*/*.json")
            if not p.name.startswith(".")
        )
        return iter(sorted(k for k in found if k >= start))

    def get(self, key: str) -> bytes:
        try:
            return (self.root / key).read_bytes()
        except OSError as exc:
            raise InquiryError(f"Could not read {key} from {self.where}: {exc.strerror}.") from None


class S3Store:
    """A private S3 bucket (``s3://bucket/prefix``); the client is passed in."""

    def __init__(self, client, bucket: str, prefix: str = "", sse: str = "aws:kms", kms_key_id: str = ""):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.sse = sse
        self.kms_key_id = kms_key_id
        self.where = f"s3://{bucket}/{self.prefix}"

    def put(self, key: str, data: bytes) -> None:
        extra = {"SSEKMSKeyId": self.kms_key_id} if self.sse == "aws:kms" and self.kms_key_id else {}
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.prefix + key,
                Body=data,
                ContentType="application/json; charset=utf-8",
                ServerSideEncryption=self.sse,
                **extra,
            )
        except (BotoCoreError, ClientError) as exc:
            raise InquiryError(
                f"Could not store the record in {self.where} ({_describe(exc)}). "
                "Check INQUIRY_STORE, the bucket, and the function's permissions (s3:PutObject, KMS)."
            ) from None

    def keys(self, kind: str, since: date | None = None) -> Iterator[str]:
        start = self.prefix + _day_prefix(kind, since)
        kwargs = {"Bucket": self.bucket, "Prefix": f"{self.prefix}{kind}/"}
        if since:
            kwargs["StartAfter"] = start
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(**kwargs)
            found = [item["Key"] for page in pages for item in page.get("Contents", ())]
        except (BotoCoreError, ClientError) as exc:
            raise InquiryError(f"Could not list {self.where}{kind}/ ({_describe(exc)}).") from None
        return iter(sorted(k[len(self.prefix) :] for k in found if k.endswith(".json")))

    def get(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"].read()
        except (BotoCoreError, ClientError) as exc:
            raise InquiryError(f"Could not read {self.where}{key} ({_describe(exc)}).") from None


def open_store(
    spec: str, root: str | os.PathLike = ".", s3_client=None, sse: str = "aws:kms", kms_key_id: str = ""
):
    """The store INQUIRY_STORE names: ``s3://bucket/prefix`` or a folder (relative to ``root``).

    ``s3_client`` is a boto3 S3 client; without one, the boto3 default chain makes one.
    """
    if spec.startswith("s3://"):
        bucket, _, prefix = spec[5:].partition("/")
        if s3_client is None:
            import boto3  # the edge: credentials from the environment or the default chain
            from botocore.config import Config

            # A visitor is waiting: fail within seconds (and say so) rather than hang.
            s3_client = boto3.client(
                "s3",
                config=Config(
                    connect_timeout=3, read_timeout=10, retries={"max_attempts": 3, "mode": "standard"}
                ),
            )
        return S3Store(s3_client, bucket, prefix, sse=sse, kms_key_id=kms_key_id)
    path = Path(spec)
    return LocalStore(path if path.is_absolute() else Path(root) / path)


def _day_prefix(kind: str, since: date | None) -> str:
    return f"{kind}/{since:%Y/%m/%d}/" if since else f"{kind}/"


def _describe(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'error')}: {error.get('Message', '')}".strip(": ")
    return type(exc).__name__

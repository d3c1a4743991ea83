"""Where inquiry and click records live: a local folder or a private S3 bucket.

Both stores hold one JSON object per record under the same keys::

    inquiries/YYYY/MM/DD/<uuid>.json     one inquiry (personal data: private)
    clicks/YYYY/MM/DD/<uuid>.json        one phone/booking/directions click (no personal data)

The date is the UTC day the receiver got the record. INQUIRY_STORE names the folder (or
``s3://bucket/prefix``) that holds ``inquiries/`` and ``clicks/``; naming its ``inquiries/``
folder itself (``internal/inquiries``, the default) means the same store, so inquiries land in
``internal/inquiries/YYYY/MM/DD/`` and clicks in ``internal/clicks/YYYY/MM/DD/``.

Earlier versions opened ``internal/inquiries`` as the store itself and wrote
``internal/inquiries/inquiries/YYYY/MM/DD/`` (and ``internal/inquiries/clicks/...``). Those
records are still read, with the new ones (:data:`LAYOUTS`); nothing is written there any more.

``put`` returns only once the record is durably stored (local: written to a temporary file,
flushed, renamed; S3: PutObject answered), and raises :class:`InquiryError` otherwise.

Two more ways to write, for what several people or processes change at once:

- ``create(key, data)`` writes only if nothing has that key yet, atomically, and says whether it
  did: a local file is linked into place (``link(2)`` fails when the name exists); S3 is asked
  with ``If-None-Match: *`` ("Add preconditions to S3 operations with conditional requests",
  Amazon S3 User Guide), which answers 412 Precondition Failed when the key exists (or 409
  ConditionalRequestConflict while another write to it is in flight). The inbox appends each
  change to an inquiry this way, so no change can replace another (:mod:`pipeline.inbox.journal`).
- ``read_tagged(key)`` / ``replace(key, data, tag)``: compare-and-swap for the one small file that
  is rewritten (the public RSVP counts): S3's ``If-Match: <ETag>`` (or ``If-None-Match: *`` when
  it did not exist); a local file under an exclusive ``flock``, its tag the SHA-256 of its bytes.

S3 objects are private (no ACL is sent; the bucket's BucketOwnerEnforced setting and its
public access block keep them so) and the receiver asks for server-side encryption on
every PutObject (``INQUIRY_SSE``: ``aws:kms`` by default, or ``AES256``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from pipeline.files import write_atomic
from pipeline.inquiry.errors import InquiryError

log = logging.getLogger(__name__)
KINDS = ("inquiries", "clicks")
# Where a kind's records are inside a store: today's layout first, then the older one (read only).
LAYOUTS = ("{kind}/", "inquiries/{kind}/")
_DAY_KEY = re.compile(r"(?P<day>\d{4}/\d{2}/\d{2})/(?!\.)[^/]+\.json")


def day_of_key(kind: str, key: str) -> str | None:
    """``YYYY/MM/DD`` of a record key of ``kind`` in any layout; None for anything else."""
    for layout in LAYOUTS:
        folder = layout.format(kind=kind)
        if key.startswith(folder) and (match := _DAY_KEY.fullmatch(key, len(folder))):
            return match.group("day")
    return None


def _keys_from(kind: str, found, since: date | None) -> Iterator[str]:
    """The record keys of ``kind`` among ``found`` (any layout), from ``since`` on, by day then key."""
    start = f"{since:%Y/%m/%d}" if since else ""
    days = {key: day for key in set(found) if (day := day_of_key(kind, key)) is not None and day >= start}
    return iter(sorted(days, key=lambda key: (days[key], key)))


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
    where: str  # the store, for messages: a folder, or s3://bucket/prefix/

    def put(self, key: str, data: bytes) -> None: ...

    def keys(self, kind: str, since: date | None = None) -> Iterator[str]: ...

    def get(self, key: str) -> bytes: ...

    def create(self, key: str, data: bytes) -> bool: ...

    def scan(self, prefix: str) -> list[str]: ...

    def read_tagged(self, key: str) -> tuple[bytes, str] | None: ...

    def replace(self, key: str, data: bytes, tag: str | None) -> bool: ...


class LocalStore:
    """A folder (default ``internal/inquiries``), for ``inv serve`` and tests."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.where = str(self.root)

    def put(self, key: str, data: bytes) -> None:
        try:
            write_atomic(self.root / key, data, mode=0o600)  # personal data: its owner's alone
        except OSError as exc:
            raise InquiryError(
                f"Could not write to the inquiry store {self.where} ({exc.strerror or type(exc).__name__}). "
                "Check that the folder in INQUIRY_STORE exists and is writable."
            ) from None

    def keys(self, kind: str, since: date | None = None) -> Iterator[str]:
        found = (
            p.relative_to(self.root).as_posix()
            for layout in LAYOUTS
            if (self.root / layout.format(kind=kind)).is_dir()
            for p in (self.root / layout.format(kind=kind)).glob("*/*/*/*.json")
        )
        return _keys_from(kind, found, since)

    def get(self, key: str) -> bytes:
        try:
            return (self.root / key).read_bytes()
        except OSError as exc:
            raise InquiryError(f"Could not read {key} from {self.where}: {exc.strerror}.") from None

    def create(self, key: str, data: bytes) -> bool:
        """Write ``key`` only if it does not exist yet; False when it does (nothing written)."""
        path = self.root / key
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(tmp, path)  # atomic, and refuses an existing name: no write can replace another
            except FileExistsError:
                return False
            return True
        except OSError as exc:
            raise InquiryError(
                f"Could not write to the inquiry store {self.where} ({exc.strerror or type(exc).__name__}). "
                "Check that the folder exists and is writable."
            ) from None
        finally:
            if tmp:
                Path(tmp).unlink(missing_ok=True)

    def scan(self, prefix: str) -> list[str]:
        """Every key under ``prefix`` (a folder path ending in /), temporary files left out."""
        base = self.root / prefix
        if not base.is_dir():
            return []
        found = []
        for folder, dirs, files in os.walk(base):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            rel = Path(folder).relative_to(self.root).as_posix()
            found += [f"{rel}/{name}" for name in files if not name.startswith(".")]
        return found

    def read_tagged(self, key: str) -> tuple[bytes, str] | None:
        try:
            data = (self.root / key).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise InquiryError(f"Could not read {key} from {self.where}: {exc.strerror}.") from None
        return data, hashlib.sha256(data).hexdigest()

    def replace(self, key: str, data: bytes, tag: str | None) -> bool:
        """Write ``key`` if it still holds what ``tag`` says (None: if it does not exist)."""
        path = self.root / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with self._locked(path):
                current = self.read_tagged(key)
                if (current[1] if current else None) != tag:
                    return False
                self.put(key, data)
                return True
        except OSError as exc:
            raise InquiryError(f"Could not write {key} in {self.where}: {exc.strerror}.") from None

    @staticmethod
    @contextlib.contextmanager
    def _locked(path: Path):
        with open(path.with_name(f".{path.name}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


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
        try:
            self.client.put_object(**self._put_args(key, data))
        except (BotoCoreError, ClientError) as exc:
            raise InquiryError(
                f"Could not store the record in {self.where} ({_describe(exc)}). "
                "Check INQUIRY_STORE, the bucket, and the function's permissions (s3:PutObject, KMS)."
            ) from None

    def keys(self, kind: str, since: date | None = None) -> Iterator[str]:
        found = []
        for layout in LAYOUTS:
            folder = self.prefix + layout.format(kind=kind)
            kwargs = {"Bucket": self.bucket, "Prefix": folder}
            if since:
                kwargs["StartAfter"] = f"{folder}{since:%Y/%m/%d}/"
            try:
                pages = self.client.get_paginator("list_objects_v2").paginate(**kwargs)
                found += [
                    item["Key"][len(self.prefix) :] for page in pages for item in page.get("Contents", ())
                ]
            except (BotoCoreError, ClientError) as exc:
                raise InquiryError(f"Could not list {folder} in {self.where} ({_describe(exc)}).") from None
        return _keys_from(kind, found, since)

    def get(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"].read()
        except (BotoCoreError, ClientError) as exc:
            raise InquiryError(f"Could not read {self.where}{key} ({_describe(exc)}).") from None

    def create(self, key: str, data: bytes) -> bool:
        """PutObject with ``If-None-Match: *``: False when the key exists (412) or another write to it
        is in flight (409 ConditionalRequestConflict)."""
        try:
            self.client.put_object(**self._put_args(key, data), IfNoneMatch="*")
        except ClientError as exc:
            if _conflict(exc):
                return False
            raise InquiryError(f"Could not store {key} in {self.where} ({_describe(exc)}).") from None
        except BotoCoreError as exc:
            raise InquiryError(f"Could not store {key} in {self.where} ({_describe(exc)}).") from None
        return True

    def scan(self, prefix: str) -> list[str]:
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + prefix
            )
            return [item["Key"][len(self.prefix) :] for page in pages for item in page.get("Contents", ())]
        except (BotoCoreError, ClientError) as exc:
            raise InquiryError(f"Could not list {prefix} in {self.where} ({_describe(exc)}).") from None

    def read_tagged(self, key: str) -> tuple[bytes, str] | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
            return answer["Body"].read(), answer["ETag"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise InquiryError(f"Could not read {self.where}{key} ({_describe(exc)}).") from None
        except BotoCoreError as exc:
            raise InquiryError(f"Could not read {self.where}{key} ({_describe(exc)}).") from None

    def replace(self, key: str, data: bytes, tag: str | None) -> bool:
        """PutObject with ``If-Match: <ETag>`` (``If-None-Match: *`` for a new key); False when someone
        else wrote it first."""
        condition = {"IfMatch": tag} if tag else {"IfNoneMatch": "*"}
        try:
            self.client.put_object(**self._put_args(key, data), **condition)
        except ClientError as exc:
            # If-Match on a key deleted meanwhile: AWS answers 404 NoSuchKey; a 412 or 409 otherwise.
            if _conflict(exc) or exc.response.get("Error", {}).get("Code") == "NoSuchKey":
                return False
            raise InquiryError(f"Could not store {key} in {self.where} ({_describe(exc)}).") from None
        except BotoCoreError as exc:
            raise InquiryError(f"Could not store {key} in {self.where} ({_describe(exc)}).") from None
        return True

    def _put_args(self, key: str, data: bytes) -> dict:
        extra = {"SSEKMSKeyId": self.kms_key_id} if self.sse == "aws:kms" and self.kms_key_id else {}
        return {
            "Bucket": self.bucket,
            "Key": self.prefix + key,
            "Body": data,
            "ContentType": "application/json; charset=utf-8",
            "ServerSideEncryption": self.sse,
            **extra,
        }


def open_store(
    spec: str, root: str | os.PathLike = ".", s3_client=None, sse: str = "aws:kms", kms_key_id: str = ""
):
    """The store INQUIRY_STORE names: ``s3://bucket/prefix`` or a folder (relative to ``root``).

    A spec that ends in the ``inquiries`` folder names the store that holds it (see the module's
    docstring). ``s3_client`` is a boto3 S3 client; without one, the boto3 default chain makes one
    (:data:`CLIENT_CONFIG`).
    """
    if spec.startswith("s3://"):
        bucket, _, prefix = spec[5:].partition("/")
        prefix = prefix.strip("/")
        if prefix == "inquiries" or prefix.endswith("/inquiries"):
            prefix = prefix[: -len("inquiries")]
        if s3_client is None:
            import boto3  # the edge: credentials from the environment or the default chain

            s3_client = boto3.client("s3", config=client_config())
        return S3Store(s3_client, bucket, prefix, sse=sse, kms_key_id=kms_key_id)
    path = Path(spec)
    path = path if path.is_absolute() else Path(root) / path
    return LocalStore(path.parent if path.name == "inquiries" else path)


def client_config():
    """botocore settings for a client a waiting visitor depends on: give up within seconds.

    Each attempt waits at most ``connect_timeout`` to connect and ``read_timeout`` for each read
    (a PutObject first waits up to 1 s for "100 Continue"); ``total_max_attempts`` counts the first
    try (botocore "standard" retries: a jittered backoff under a second before the one retry).
    A hung S3 costs about 2 x (1 + 2) s + 1 s: the receiver answers 503 well inside the Lambda
    function's 15 s, and the form says it was not sent. A small PutObject normally takes well
    under a second. See https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html
    """
    from botocore.config import Config

    return Config(connect_timeout=2, read_timeout=2, retries={"total_max_attempts": 2, "mode": "standard"})


def _conflict(exc: ClientError) -> bool:
    """A conditional write refused: 412 Precondition Failed, or 409 ConditionalRequestConflict."""
    error = exc.response.get("Error", {})
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return error.get("Code") in ("PreconditionFailed", "ConditionalRequestConflict") or status in (409, 412)


def _describe(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'error')}: {error.get('Message', '')}".strip(": ")
    return type(exc).__name__

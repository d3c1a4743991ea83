"""List what is deployed: each object's stored SHA-256 and headers.

The truth is each object's metadata (``x-amz-meta-sha256`` plus its headers). Reading it
takes one HEAD per object, so every deploy also writes a manifest object recording, for
each key, the hash, headers and the ETag the object had when we wrote it. A listing
(1 request per 1,000 keys) plus the manifest is then enough: an object whose ETag and size
still match its manifest entry is known; any other object (changed by someone else, or
written by a run that died before saving the manifest) gets a HEAD. ETag quirks
(multipart ``md5-N``, servers that differ) don't matter because ETags are only compared
with themselves.
"""

from __future__ import annotations

import gzip
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from botocore.exceptions import ClientError

from pipeline.deploy.aws import error_code, explain
from pipeline.deploy.compress import gzip_bytes
from pipeline.deploy.rules import Headers

log = logging.getLogger(__name__)

MANIFEST_KEY = ".deploy-manifest.json.gz"  # gzip: 2,500 entries are ~0.8 MB as plain JSON
MANIFEST_VERSION = 1
SHA_META = "sha256"


@dataclass(frozen=True)
class RemoteObject:
    key: str  # relative to the prefix
    etag: str
    size: int
    sha256: str | None  # None: not written by this deploy (no hash metadata)
    headers: Headers | None
    redirect: str | None = None


@dataclass(frozen=True)
class RemoteListing:
    objects: dict[str, RemoteObject]
    manifest_current: bool  # False: the manifest is missing or stale and should be rewritten


def full_key(prefix: str, key: str) -> str:
    return f"{prefix}/{key}" if prefix else key


def list_remote(client, bucket: str, prefix: str, workers: int = 8) -> RemoteListing:
    """Every object under ``prefix`` in ``bucket`` with its stored hash and headers."""
    endpoint = client.meta.endpoint_url
    listed = _list_keys(client, bucket, prefix, endpoint)
    manifest = _read_manifest(client, bucket, prefix, endpoint)
    objects: dict[str, RemoteObject] = {}
    unknown: list[tuple[str, str, int]] = []
    for key, (etag, size) in listed.items():
        if key == MANIFEST_KEY:
            continue
        entry = manifest.get(key)
        if entry is not None and entry.etag == etag and entry.size == size:
            objects[key] = entry
        else:
            unknown.append((key, etag, size))
    if unknown:
        log.info("deploy: %d object(s) not in the manifest; reading their metadata", len(unknown))
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for obj in pool.map(lambda item: _head(client, bucket, prefix, *item, endpoint), unknown):
                objects[obj.key] = obj
    current = not unknown and set(manifest) == set(objects)
    return RemoteListing(dict(sorted(objects.items())), current)


def write_manifest(client, bucket: str, prefix: str, objects: dict[str, RemoteObject]) -> None:
    """Record what is deployed, for the next run's listing."""
    body = gzip_bytes(
        json.dumps(
            {"version": MANIFEST_VERSION, "objects": {k: _entry(o) for k, o in sorted(objects.items())}},
            sort_keys=True,
            separators=(",", ":"),
        ).encode()
    )
    key = full_key(prefix, MANIFEST_KEY)
    try:
        client.put_object(
            Bucket=bucket, Key=key, Body=body, ContentType="application/gzip", CacheControl="no-store"
        )
    except Exception as exc:
        raise explain(exc, bucket, key, client.meta.endpoint_url) from None


def _entry(obj: RemoteObject) -> dict:
    headers = obj.headers
    return {
        "etag": obj.etag,
        "size": obj.size,
        "sha256": obj.sha256,
        "redirect": obj.redirect,
        "headers": None
        if headers is None
        else {
            "content_type": headers.content_type,
            "cache_control": headers.cache_control,
            "content_encoding": headers.content_encoding,
        },
    }


def _list_keys(client, bucket, prefix, endpoint) -> dict[str, tuple[str, int]]:
    start = f"{prefix}/" if prefix else ""
    keys: dict[str, tuple[str, int]] = {}
    token = None
    while True:
        kwargs = {"Bucket": bucket, "Prefix": start, "MaxKeys": 1000}
        if token:
            kwargs["ContinuationToken"] = token
        try:
            page = client.list_objects_v2(**kwargs)
        except Exception as exc:
            raise explain(exc, bucket, None, endpoint) from None
        for item in page.get("Contents", ()):
            key = item["Key"][len(start) :]
            if key and not key.endswith("/"):
                keys[key] = (item["ETag"], int(item["Size"]))
        if not page.get("IsTruncated"):
            return keys
        token = page["NextContinuationToken"]


def _read_manifest(client, bucket, prefix, endpoint) -> dict[str, RemoteObject]:
    key = full_key(prefix, MANIFEST_KEY)
    try:
        body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as exc:
        if error_code(exc) in ("NoSuchKey", "404"):
            return {}
        raise explain(exc, bucket, key, endpoint) from None
    except Exception as exc:
        raise explain(exc, bucket, key, endpoint) from None
    try:
        data = json.loads(gzip.decompress(body))
        if data.get("version") != MANIFEST_VERSION:
            return {}
        return {
            k: RemoteObject(
                key=k,
                etag=v["etag"],
                size=int(v["size"]),
                sha256=v["sha256"],
                headers=Headers(**v["headers"]) if v.get("headers") else None,
                redirect=v.get("redirect"),
            )
            for k, v in data["objects"].items()
        }
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
        log.warning("deploy: s3://%s/%s is unreadable; reading object metadata instead", bucket, key)
        return {}


def _head(client, bucket, prefix, key, etag, size, endpoint) -> RemoteObject:
    name = full_key(prefix, key)
    try:
        head = client.head_object(Bucket=bucket, Key=name)
    except Exception as exc:
        raise explain(exc, bucket, name, endpoint) from None
    headers = Headers(
        content_type=head.get("ContentType") or "application/octet-stream",
        cache_control=head.get("CacheControl") or "",
        content_encoding=head.get("ContentEncoding") or None,
    )
    return RemoteObject(
        key=key,
        etag=head.get("ETag", etag),
        size=int(head.get("ContentLength", size)),
        sha256=(head.get("Metadata") or {}).get(SHA_META),
        headers=headers,
        redirect=head.get("WebsiteRedirectLocation") or None,
    )

"""Act on a plan: phase by phase, each phase in parallel, with a progress bar.

A phase starts only when the one before it has fully succeeded. On the first failure that
survives its retries (botocore's, see :mod:`pipeline.deploy.aws`), no new work starts; what
finished is reported back, so the caller can record it in the manifest and the next run picks
up exactly where this one stopped.

Uploads go through s3transfer, from the bytes the plan hashed (never read from disk again): one
PutObject below ``MULTIPART_THRESHOLD``, a multipart upload above it, parts sent in parallel.
s3transfer returns nothing about the stored object, so the ETag each upload got is taken from
the PutObject / CompleteMultipartUpload answer through botocore's events (:class:`_StoredETags`).
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from boto3.s3.transfer import TransferConfig
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from s3transfer.manager import TransferManager

from pipeline.deploy.aws import explain
from pipeline.deploy.errors import DeployError
from pipeline.deploy.local import LocalFile
from pipeline.deploy.plan import DELETE, PHASES, UPLOAD, Action, Plan
from pipeline.deploy.remote import SHA_META, RemoteObject, full_key

log = logging.getLogger(__name__)

DELETE_BATCH = 1000  # S3 DeleteObjects takes at most 1,000 keys per request
# Above this size an object is uploaded in parts of MULTIPART_CHUNK (S3: a part is 5 MiB to 5 GiB,
# at most 10,000 parts; a single PutObject is at most 5 GiB). s3transfer's defaults.
MULTIPART_THRESHOLD = MULTIPART_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class ExecOptions:
    workers: int = 8
    progress: bool = True


@dataclass
class Outcome:
    done: list[Action] = field(default_factory=list)
    failed: list[tuple[Action, DeployError]] = field(default_factory=list)
    bytes_uploaded: int = 0
    written: dict[str, RemoteObject | None] = field(default_factory=dict)  # key -> stored now (None: deleted)

    @property
    def ok(self) -> bool:
        return not self.failed


def execute(
    plan: Plan,
    local: Mapping[str, LocalFile],
    client,
    bucket: str,
    prefix: str,
    options: ExecOptions = ExecOptions(),
    console: Console | None = None,
) -> Outcome:
    """Carry out ``plan`` against ``bucket``/``prefix``; never raises for S3 failures (see Outcome)."""
    if plan.delete_guard_tripped:
        raise AssertionError("execute() called with a tripped delete guard")
    transfer = TransferConfig(
        multipart_threshold=MULTIPART_THRESHOLD,
        multipart_chunksize=MULTIPART_CHUNK,
        max_concurrency=max(1, options.workers),
    )
    outcome = Outcome()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with (
        TransferManager(client, transfer) as transfers,
        _StoredETags(client) as etags,
        Progress(*columns, console=console, disable=not options.progress, transient=False) as progress,
    ):
        worker = _Worker(client, bucket, prefix, local, transfers, etags)
        task = progress.add_task("deploy", total=len(plan.actions))
        for phase in PHASES:
            actions = plan.phase(phase)
            if not actions:
                continue
            progress.update(task, description=f"{phase:<8}")
            units = _batches(actions) if phase == "deletes" else [[a] for a in actions]
            with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
                futures = {pool.submit(worker.run, unit): unit for unit in units}
                for future in as_completed(futures):
                    unit = futures[future]
                    results, error = future.result()
                    for action, stored in results:
                        outcome.done.append(action)
                        if action.kind == UPLOAD:
                            outcome.bytes_uploaded += action.size
                        outcome.written[action.key] = stored
                    if error is not None:
                        outcome.failed.append((unit[len(results)], error))
                    progress.advance(task, len(unit))
            if outcome.failed:
                break
    outcome.done.sort(key=lambda a: (PHASES.index(a.phase), a.key))
    return outcome


def _batches(actions: tuple[Action, ...]) -> list[list[Action]]:
    return [list(actions[i : i + DELETE_BATCH]) for i in range(0, len(actions), DELETE_BATCH)]


class _StoredETags:
    """The ETag S3 answered for each key written while this is open (``with _StoredETags(client)``).

    botocore hands every call's parameters and answer to event handlers with one context dict per
    call: the key is noted before the PutObject / CompleteMultipartUpload is sent, and the ETag read
    from its answer. Thread-safe: the uploads run on several threads.
    """

    OPERATIONS = ("PutObject", "CompleteMultipartUpload")

    def __init__(self, client):
        self._events = client.meta.events
        self._etags: dict[str, str] = {}
        self._lock = threading.Lock()

    def __enter__(self):
        for operation in self.OPERATIONS:
            self._events.register(f"before-parameter-build.s3.{operation}", self._note_key)
            self._events.register(f"after-call.s3.{operation}", self._note_etag)
        return self

    def __exit__(self, *exc) -> None:
        for operation in self.OPERATIONS:
            self._events.unregister(f"before-parameter-build.s3.{operation}", self._note_key)
            self._events.unregister(f"after-call.s3.{operation}", self._note_etag)

    def _note_key(self, params, context, **_) -> None:
        context["deploy_key"] = params.get("Key")

    def _note_etag(self, parsed, context, **_) -> None:
        key, etag = context.get("deploy_key"), parsed.get("ETag")
        if key and etag:
            with self._lock:
                self._etags[key] = etag

    def pop(self, key: str) -> str:
        """The ETag ``key`` was stored with; "" if no answer carried one (the next listing reads it)."""
        with self._lock:
            return self._etags.pop(key, "")


class _Worker:
    def __init__(self, client, bucket, prefix, local, transfers: TransferManager, etags: _StoredETags):
        self.client, self.bucket, self.prefix, self.local = client, bucket, prefix, local
        self.transfers, self.etags = transfers, etags
        self.stop = threading.Event()
        self.endpoint = client.meta.endpoint_url

    def run(self, unit: list[Action]):
        """Returns ([(action, stored-or-None)...], error-or-None); stored is None for deletes."""
        if self.stop.is_set():
            return [], None  # not started: an earlier step failed
        action = unit[0]
        try:
            if action.kind == DELETE:
                self._delete([a.key for a in unit])
                return [(a, None) for a in unit], None
            stored = self._upload(action.key) if action.kind == UPLOAD else self._update_headers(action.key)
            return [(action, stored)], None
        except DeployError as exc:
            self.stop.set()
            return [], exc
        except Exception as exc:
            self.stop.set()
            return [], explain(exc, self.bucket, full_key(self.prefix, action.key), self.endpoint)

    def _args(self, file: LocalFile) -> dict:
        """The object's headers and hash, as PutObject and CopyObject take them (and s3transfer's ExtraArgs)."""
        args = {
            "ContentType": file.headers.content_type,
            "CacheControl": file.headers.cache_control,
            "Metadata": {SHA_META: file.sha256},
        }
        if file.headers.content_encoding:
            args["ContentEncoding"] = file.headers.content_encoding
        if file.redirect:
            args["WebsiteRedirectLocation"] = file.redirect
        return args

    def _upload(self, key: str) -> RemoteObject:
        file = self.local[key]
        name = full_key(self.prefix, key)
        body = io.BytesIO(file.body or b"")  # the bytes the guard scanned and the plan hashed
        self.transfers.upload(body, self.bucket, name, extra_args=self._args(file)).result()
        return RemoteObject(key, self.etags.pop(name), file.size, file.sha256, file.headers, file.redirect)

    def _update_headers(self, key: str) -> RemoteObject:
        file = self.local[key]
        name = full_key(self.prefix, key)
        # CopyObject, not s3transfer's managed copy: its answer carries the new ETag, and no page of a
        # site comes near CopyObject's 5 GiB limit.
        result = self.client.copy_object(
            Bucket=self.bucket,
            Key=name,
            CopySource={"Bucket": self.bucket, "Key": name},
            MetadataDirective="REPLACE",
            **self._args(file),
        )
        return RemoteObject(
            key, result["CopyObjectResult"]["ETag"], file.size, file.sha256, file.headers, file.redirect
        )

    def _delete(self, keys: list[str]) -> None:
        request = {"Objects": [{"Key": full_key(self.prefix, k)} for k in keys], "Quiet": True}
        result = self.client.delete_objects(Bucket=self.bucket, Delete=request)
        errors = result.get("Errors") or []
        if errors:
            first = errors[0]
            raise DeployError(
                f"S3 refused to delete {len(errors)} object(s) from bucket '{self.bucket}', e.g. "
                f"{first.get('Key')}: {first.get('Code')} {first.get('Message', '')}. Check the deploy role "
                "allows s3:DeleteObject, then deploy again."
            )

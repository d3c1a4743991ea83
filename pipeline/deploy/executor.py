"""Act on a plan: phase by phase, each phase in parallel, with retries and a progress bar.

A phase starts only when the one before it has fully succeeded. On the first failure that
survives its retries, no new work starts; what finished is reported back, so the caller can
record it in the manifest and the next run picks up exactly where this one stopped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.deploy.aws import DEFAULT_RETRY, RetryPolicy, call_with_retries, explain
from pipeline.deploy.errors import DeployError
from pipeline.deploy.local import LocalFile
from pipeline.deploy.plan import DELETE, PHASES, UPLOAD, Action, Plan
from pipeline.deploy.remote import SHA_META, RemoteObject, full_key

log = logging.getLogger(__name__)

DELETE_BATCH = 1000  # S3 DeleteObjects takes at most 1,000 keys per request


@dataclass(frozen=True)
class ExecOptions:
    workers: int = 8
    retry: RetryPolicy = DEFAULT_RETRY
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
    worker = _Worker(client, bucket, prefix, local, options.retry)
    outcome = Outcome()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=not options.progress, transient=False) as progress:
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


class _Worker:
    def __init__(self, client, bucket, prefix, local, retry: RetryPolicy):
        self.client, self.bucket, self.prefix, self.local, self.retry = client, bucket, prefix, local, retry
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
        args = {
            "Bucket": self.bucket,
            "Key": full_key(self.prefix, file.key),
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
        body = file.body or b""  # the bytes the guard scanned and the plan hashed: never read again
        result = call_with_retries(
            lambda: self.client.put_object(Body=body, **self._args(file)), self.retry, self.stop
        )
        return RemoteObject(key, result["ETag"], file.size, file.sha256, file.headers, file.redirect)

    def _update_headers(self, key: str) -> RemoteObject:
        file = self.local[key]
        args = self._args(file)
        source = {"Bucket": self.bucket, "Key": args["Key"]}
        result = call_with_retries(
            lambda: self.client.copy_object(CopySource=source, MetadataDirective="REPLACE", **args),
            self.retry,
            self.stop,
        )
        return RemoteObject(
            key, result["CopyObjectResult"]["ETag"], file.size, file.sha256, file.headers, file.redirect
        )

    def _delete(self, keys: list[str]) -> None:
        request = {"Objects": [{"Key": full_key(self.prefix, k)} for k in keys], "Quiet": True}
        result = call_with_retries(
            lambda: self.client.delete_objects(Bucket=self.bucket, Delete=request), self.retry, self.stop
        )
        errors = result.get("Errors") or []
        if errors:
            first = errors[0]
            raise DeployError(
                f"S3 refused to delete {len(errors)} object(s) from bucket '{self.bucket}', e.g. "
                f"{first.get('Key')}: {first.get('Code')} {first.get('Message', '')}. Check the deploy role "
                "allows s3:DeleteObject, then deploy again."
            )

"""The deploy's edge: list, plan, act, then CloudFront. A boto3 client factory is passed in.

``deploy_site`` is what ``inv deploy`` calls after the build; ``deploy`` is the same without
the settings and the publish guard, for tests and benchmarks.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from rich.console import Console

from pipeline.deploy.aws import client_config
from pipeline.deploy.cloudfront import invalidate, sync_function
from pipeline.deploy.config import DeployConfig, deploy_config
from pipeline.deploy.errors import DeployError
from pipeline.deploy.executor import ExecOptions, Outcome, execute
from pipeline.deploy.invalidation import invalidation_batches, invalidation_paths
from pipeline.deploy.local import list_local
from pipeline.deploy.plan import DELETE, Plan, PlanRules, plan_deploy
from pipeline.deploy.redirects import cloudfront_function_code, load_redirects, redirect_objects
from pipeline.deploy.remote import RemoteObject, list_remote, write_manifest
from pipeline.deploy.report import print_plan, print_summary
from pipeline.files import write_atomic
from pipeline.patient_list import load_patient_list
from pipeline.publish_guard import check_output
from pipeline.sitefiles import SiteTree

log = logging.getLogger(__name__)

ClientFactory = Callable[..., Any]  # (service_name, region_name=None) -> boto3 client


def boto3_clients(workers: int = 8) -> ClientFactory:
    """Clients from the default credential chain; AWS_ENDPOINT_URL is honoured by botocore itself.

    Each retries as :func:`pipeline.deploy.aws.client_config` says (botocore's standard mode).
    """
    config = client_config(workers)

    def make(service: str, region: str | None = None):
        return boto3.session.Session().client(service, region_name=region, config=config)

    return make


@dataclass
class DeployResult:
    where: str
    plan: Plan
    outcome: Outcome | None = None
    invalidation_paths: list[str] = field(default_factory=list)
    invalidation_ids: list[str] = field(default_factory=list)
    function_updated: bool = False
    plan_file: Path | None = None
    seconds: float = 0.0


def deploy_site(
    settings: Mapping[str, Any],
    *,
    root: Path,
    contacts: Mapping[str, list] | None = None,
    dry_run: bool = False,
    clients: ClientFactory | None = None,
    console: Console | None = None,
) -> DeployResult:
    """Guard the built site in OUTPUT_PATH, then deploy it as the S3_* settings say.

    The site is read once: the guard scans those bytes and the uploader sends the same bytes.
    ``contacts``: the practice's own emails and phones (default: what the build read from the
    content, PRACTICE_CONTACTS); PUBLISH_GUARD_ALLOW adds more; PUBLISH_GUARD_PATIENT_LIST names
    the private patient list.
    """
    config = deploy_config(settings)
    root = Path(root)
    output = _under(root, settings.get("OUTPUT_PATH", "output"))
    internal = _under(root, settings.get("INTERNAL_PATH", "internal"))
    contacts = contacts or settings.get("PRACTICE_CONTACTS") or {}
    allow = settings.get("PUBLISH_GUARD_ALLOW") or {}
    listed = settings.get("PUBLISH_GUARD_PATIENT_LIST")
    tree = check_output(
        output,
        own_emails=[*contacts.get("emails", ()), *allow.get("emails", ())],
        own_phones=[*contacts.get("phones", ()), *allow.get("phones", ())],
        patients=load_patient_list(_under(root, listed)) if listed else None,
    )
    redirects = load_redirects(internal / "redirects.json")
    return deploy(
        output,
        config,
        redirects,
        clients or boto3_clients(config.workers),
        dry_run=dry_run,
        plan_file=internal / "deploy-plan.json",
        console=console,
        tree=tree,
    )


def deploy(
    output: Path,
    config: DeployConfig,
    redirects: Mapping[str, str],
    clients: ClientFactory,
    *,
    dry_run: bool = False,
    plan_file: Path | None = None,
    console: Console | None = None,
    options: ExecOptions | None = None,
    tree: SiteTree | None = None,
) -> DeployResult:
    """List, plan and (unless ``dry_run``) act; then update CloudFront. Raises DeployError.

    ``tree``: the build as the publish guard read it (default: read ``output`` now); a link or
    special file in it stops the deploy.
    """
    started = time.monotonic()
    console = console or Console(stderr=True)
    options = options or ExecOptions(workers=config.workers, progress=console.is_terminal)
    local = list_local(tree if tree is not None else output, config.rules, config.gzip)
    function_code = None
    if config.redirects == "website":
        local.update(redirect_objects(redirects, local))
    elif config.function_name and not config.prefix:
        function_code = cloudfront_function_code(redirects)
    elif config.function_name:
        log.info("deploy: a deploy under a prefix leaves the distribution's CloudFront Function alone")
    elif redirects:
        log.warning(
            "deploy: %d redirect(s) are not served: S3_REDIRECTS is 'cloudfront' but "
            "CLOUDFRONT_FUNCTION_NAME is not set",
            len(redirects),
        )
    s3 = clients("s3", config.region)
    listing = list_remote(s3, config.bucket, config.prefix, config.workers)
    plan = plan_deploy(local, listing.objects, PlanRules(config.max_deletes, config.keep))
    result = DeployResult(config.where, plan)
    print_plan(console, plan, config.where, dry_run)

    if dry_run:
        result.invalidation_paths = (
            invalidation_paths(plan.changed_keys, config.prefix) if config.distribution_id else []
        )
        if plan_file:
            result.plan_file = _write_plan(plan_file, config, plan, result.invalidation_paths)
            console.print(f"Plan written to {result.plan_file}")
        result.seconds = time.monotonic() - started
        return result
    if plan.delete_guard_tripped:
        shown = ", ".join(a.key for a in plan.phase("deletes")[:10])
        raise DeployError(
            f"The deploy would delete {plan.deletes} objects from {config.where}, more than S3_MAX_DELETES="
            f"{config.max_deletes} ({shown}, ...). Nothing was changed. If the build is right (a redesign, a "
            f"renamed section), deploy again with --max-deletes {plan.deletes} or raise S3_MAX_DELETES; "
            "otherwise check the bucket, S3_PREFIX and the build output."
        )

    outcome = execute(plan, local, s3, config.bucket, config.prefix, options, console)
    result.outcome = outcome
    _save_manifest(s3, config, listing, outcome)
    if not outcome.ok:
        action, error = outcome.failed[0]
        raise DeployError(
            f"The deploy to {config.where} stopped at {action.key} after {len(outcome.done)} of "
            f"{len(plan.actions)} changes ({action.phase} phase; later phases did not start). {error}"
        )

    if function_code is not None:
        cloudfront = clients("cloudfront", "us-east-1")
        result.function_updated = sync_function(cloudfront, config.function_name, function_code)
    if config.distribution_id:
        keys = [a.key for a in outcome.done]
        if result.function_updated:
            keys += [source.lstrip("/") or "index.html" for source in redirects]
        result.invalidation_paths = invalidation_paths(keys, config.prefix)
        batches = invalidation_batches(result.invalidation_paths, config.max_paths, config.prefix)
        if batches:
            cloudfront = clients("cloudfront", "us-east-1")
            result.invalidation_ids = invalidate(
                cloudfront, config.distribution_id, batches, uuid.uuid4().hex
            )
    result.seconds = time.monotonic() - started
    print_summary(console, result)
    return result


def _save_manifest(s3, config: DeployConfig, listing, outcome: Outcome) -> None:
    state: dict[str, RemoteObject] = dict(listing.objects)
    for action in outcome.done:
        stored = outcome.written.get(action.key)
        if action.kind == DELETE or stored is None:
            state.pop(action.key, None)
        else:
            state[action.key] = stored
    for action, _ in outcome.failed:
        state.pop(action.key, None)  # unknown now: the next listing reads its metadata
    if listing.manifest_current and not outcome.done and outcome.ok:
        return
    try:
        write_manifest(s3, config.bucket, config.prefix, state)
    except DeployError as exc:
        if outcome.ok:
            raise
        log.warning(
            "deploy: could not save the manifest either (%s); the next run reads object metadata", exc
        )


def _write_plan(path: Path, config: DeployConfig, plan: Plan, paths: list[str]) -> Path:
    data = {"bucket": config.bucket, "prefix": config.prefix, **plan.to_json(), "invalidation_paths": paths}
    return write_atomic(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def _under(root: Path, value: Any) -> Path:
    path = Path(str(value))
    return path if path.is_absolute() else root / path

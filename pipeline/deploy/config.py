"""Deploy settings: read the S3_* / CLOUDFRONT_* values once, check them, name the key at fault.

Takes a plain mapping of setting values (what Pelican's settings hold), never Pelican itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.deploy.errors import DeployError
from pipeline.deploy.invalidation import MAX_PATHS_LIMIT
from pipeline.deploy.redirects import MODES
from pipeline.deploy.rules import HeaderRule, parse_rules

DEFAULTS: dict[str, Any] = {
    "S3_BUCKET": "",
    "S3_PREFIX": "",
    "S3_REGION": None,  # None: the boto3 default chain (AWS_REGION, profile)
    "S3_RULES": [],
    "S3_MAX_DELETES": 200,
    "S3_GZIP": False,
    "S3_WORKERS": 8,
    "S3_REDIRECTS": "cloudfront",
    "S3_KEEP": ["previews/**"],  # pull-request previews live beside the site in the staging bucket
    "CLOUDFRONT_DISTRIBUTION_ID": "",
    "CLOUDFRONT_FUNCTION_NAME": "",
    "CLOUDFRONT_MAX_PATHS": 300,
    "DEPLOY_TARGETS": {},
}

_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$")  # S3 bucket naming rules
_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]*$")


@dataclass(frozen=True)
class DeployConfig:
    bucket: str
    prefix: str
    region: str | None
    rules: tuple[HeaderRule, ...]
    max_deletes: int
    gzip: bool
    workers: int
    redirects: str
    keep: tuple[str, ...]
    distribution_id: str
    function_name: str
    max_paths: int

    @property
    def where(self) -> str:
        return f"s3://{self.bucket}/{self.prefix + '/' if self.prefix else ''}"


def target_overrides(
    values: Mapping[str, Any],
    target: str | None = None,
    bucket: str | None = None,
    prefix: str | None = None,
    max_deletes: int | str | None = None,
) -> dict[str, Any]:
    """Settings overrides for a deploy target (``DEPLOY_TARGETS[target]``) and command-line options."""
    targets = values.get("DEPLOY_TARGETS") or {}
    if not isinstance(targets, Mapping):
        raise DeployError(
            "DEPLOY_TARGETS must be a dict like {'staging': {'S3_BUCKET': '...'}, 'production': {...}}."
        )
    overrides: dict[str, Any] = {}
    if target:
        if target in targets:
            entry = targets[target]
            if not isinstance(entry, Mapping) or not all(isinstance(k, str) and k.isupper() for k in entry):
                raise DeployError(
                    f"DEPLOY_TARGETS['{target}'] must be a dict of setting names (like S3_BUCKET) to values."
                )
            overrides.update(entry)
            if not bucket and "S3_BUCKET" in entry and not entry["S3_BUCKET"]:
                raise DeployError(
                    f"The {target} target has no bucket: DEPLOY_TARGETS['{target}']['S3_BUCKET'] in publishconf.py "
                    f"is empty. Set the environment variable it reads ({target.upper()}_S3_BUCKET), or pass "
                    "--bucket NAME."
                )
        elif targets or target != "production":
            known = ", ".join(sorted(targets)) or "none"
            raise DeployError(
                f"Unknown deploy target '{target}'. DEPLOY_TARGETS in publishconf.py has: {known}."
            )
    if bucket:
        overrides["S3_BUCKET"] = bucket
    if max_deletes is not None:
        if not str(max_deletes).isdigit():
            raise DeployError(f"--max-deletes must be a whole number, not {max_deletes!r}.")
        overrides["S3_MAX_DELETES"] = int(max_deletes)
    if prefix is not None:
        prefix = prefix.strip("/")
        overrides["S3_PREFIX"] = prefix
        siteurl = overrides.get("SITEURL", values.get("SITEURL"))
        # The site lives under the prefix; a SITEURL that already ends with it is kept as it is.
        if siteurl and prefix and not str(siteurl).rstrip("/").endswith("/" + prefix):
            overrides["SITEURL"] = f"{str(siteurl).rstrip('/')}/{prefix}"
    return overrides


def deploy_config(values: Mapping[str, Any]) -> DeployConfig:
    """A checked :class:`DeployConfig` from setting values (defaults for what is missing)."""
    v = {**DEFAULTS, **{k: values[k] for k in DEFAULTS if k in values and values[k] is not None}}
    bucket = str(v["S3_BUCKET"] or "")
    if not bucket:
        raise DeployError(
            "S3_BUCKET is not set. Set it in publishconf.py (or DEPLOY_TARGETS), or pass --bucket NAME."
        )
    if not _BUCKET.match(bucket):
        raise DeployError(
            f"S3_BUCKET {bucket!r} is not a valid bucket name (3-63 lowercase letters, digits, dots, hyphens)."
        )
    prefix = str(v["S3_PREFIX"] or "").strip("/")
    if prefix and (not _PREFIX.match(prefix) or "//" in prefix or ".." in prefix.split("/")):
        raise DeployError(f"S3_PREFIX {prefix!r} must be a plain folder path such as 'previews/pr-12'.")
    redirects = v["S3_REDIRECTS"]
    if redirects not in MODES:
        raise DeployError(f"S3_REDIRECTS must be 'website' or 'cloudfront', not {redirects!r}.")
    keep = v["S3_KEEP"] or []
    if isinstance(keep, str) or not all(isinstance(k, str) and k for k in keep):
        raise DeployError("S3_KEEP must be a list of globs such as ['previews/**'].")
    return DeployConfig(
        bucket=bucket,
        prefix=prefix,
        region=v["S3_REGION"] or None,
        rules=parse_rules(v["S3_RULES"]),
        max_deletes=_whole("S3_MAX_DELETES", v["S3_MAX_DELETES"], 0, 10**7),
        gzip=_flag("S3_GZIP", v["S3_GZIP"]),
        workers=_whole("S3_WORKERS", v["S3_WORKERS"], 1, 64),
        redirects=redirects,
        keep=tuple(keep),
        distribution_id=str(v["CLOUDFRONT_DISTRIBUTION_ID"] or ""),
        function_name=str(v["CLOUDFRONT_FUNCTION_NAME"] or ""),
        max_paths=_whole("CLOUDFRONT_MAX_PATHS", v["CLOUDFRONT_MAX_PATHS"], 1, MAX_PATHS_LIMIT),
    )


def _whole(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DeployError(f"{name} must be a whole number from {low} to {high}, not {value!r}.")
    return value


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise DeployError(f"{name} must be True or False, not {value!r}.")
    return value

"""Fixtures for the deploy tests: a synthetic site, a client factory bound to a real S3 server
(configured as the deploy's own clients are, retries included), and a recorder of every call the
deploy makes (botocore event hooks on the real clients)."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rich.console import Console

from pipeline.deploy.aws import client_config
from pipeline.deploy.config import deploy_config
from pipeline.deploy.executor import ExecOptions
from pipeline.deploy.remote import MANIFEST_KEY
from pipeline.deploy.run import deploy
from tests.pipeline.deploy.sitegen import make_site


@dataclass
class Recorder:
    """Operation names and keys, in the order the requests were made."""

    calls: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hook(self, params, model, **_):
        with self.lock:
            self.calls.append((model.name, params.get("Key", "")))

    def ops(self, *names: str) -> list[tuple[str, str]]:
        return [c for c in self.calls if c[0] in names]

    def count(self, name: str) -> int:
        return len(self.ops(name))

    def clear(self) -> None:
        with self.lock:
            self.calls.clear()


class Target:
    """One bucket on one server, and a way to deploy a folder to it."""

    def __init__(self, server, tmp_path: Path):
        self.server = server
        self.bucket = server.new_bucket("site")
        self.site = tmp_path / "output"
        self.recorder = Recorder()
        self.console = Console(file=io.StringIO(), width=120)  # what the person would see
        self.via: str | None = None  # an endpoint in front of the server (a fault proxy), if any

    def clients(self, service: str, region: str | None = None, **kwargs):
        if self.via:
            kwargs.setdefault("endpoint_url", self.via)
        client = self.server.client(service, **{"config": client_config(), **kwargs})
        client.meta.events.register("before-parameter-build", self.recorder.hook)
        return client

    def build(self, **kwargs) -> dict[str, Path]:
        return make_site(self.site, **kwargs)

    def deploy(self, redirects=None, dry_run=False, plan_file=None, workers=4, **settings):
        config = deploy_config({"S3_BUCKET": self.bucket, "S3_WORKERS": workers, **settings})
        options = ExecOptions(workers=workers, progress=False)
        return deploy(
            self.site,
            config,
            redirects or {},
            self.clients,
            dry_run=dry_run,
            plan_file=plan_file,
            console=self.console,
            options=options,
        )

    def objects(self, prefix: str = "") -> dict[str, dict]:
        """Every stored object (but the manifest) with its body and headers, read back over HTTP."""
        client = self.server.client()
        out = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", ()):
                if item["Key"].endswith(MANIFEST_KEY):
                    continue
                got = client.get_object(Bucket=self.bucket, Key=item["Key"])
                out[item["Key"]] = {
                    "body": got["Body"].read(),
                    "CacheControl": got.get("CacheControl"),
                    "ContentType": got.get("ContentType"),
                    "ContentEncoding": got.get("ContentEncoding"),
                    "sha256": got.get("Metadata", {}).get("sha256"),
                }
        return out


@pytest.fixture(params=["moto", "seaweed"])
def target(request, tmp_path):
    """A fresh bucket on each real server (the redirect tests use moto only)."""
    server = request.getfixturevalue(f"{request.param}_s3")
    return Target(server, tmp_path)


@pytest.fixture
def moto_target(moto_s3, tmp_path):
    return Target(moto_s3, tmp_path)


@pytest.fixture
def seaweed_target(seaweed_s3, tmp_path):
    return Target(seaweed_s3, tmp_path)

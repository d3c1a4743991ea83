"""Real S3 HTTP servers for tests: moto's server and SeaweedFS ``weed mini``.

Both are started as separate processes listening on loopback (REFERENCE.md, "S3 test
servers"). Use the session fixtures ``moto_s3`` and ``seaweed_s3`` (registered in
tests/conftest.py); each yields an :class:`S3Server` with an endpoint and credentials,
plus ``stop()``/``start()`` for fault tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import boto3
from botocore.config import Config

BIN = Path(sys.executable).parent


def free_port(below: int = 55000) -> int:
    """A free loopback port; SeaweedFS also opens port+10000 for gRPC, so stay low."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < below and _is_free(port + 10000):
            return port


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # the server answered, even if with an error status
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"S3 test server at {url} did not start within {timeout}s")


@dataclass
class S3Server:
    name: str
    port: int
    access_key: str = "testing"
    secret_key: str = "testing"
    region: str = "us-east-1"
    proc: subprocess.Popen | None = None
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="s3srv-")))
    config_file: Path | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        """Environment for a subprocess (or os.environ) pointing boto3 at this server."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": self.region,
        }

    def client(self, service: str = "s3", **kwargs):
        config = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2, read_timeout=10)
        return boto3.client(
            service,
            endpoint_url=kwargs.pop("endpoint_url", self.endpoint),
            aws_access_key_id=kwargs.pop("access_key", self.access_key),
            aws_secret_access_key=kwargs.pop("secret_key", self.secret_key),
            region_name=self.region,
            config=kwargs.pop("config", config),
            **kwargs,
        )

    def new_bucket(self, prefix: str = "test") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def _command(self) -> list[str]:
        if self.name == "moto":
            return [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)]
        ports = [free_port() for _ in range(4)]
        cmd = [
            str(BIN / "weed"),
            "mini",
            f"-dir={self.workdir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={ports[0]}",
            f"-volume.port={ports[1]}",
            f"-filer.port={ports[2]}",
            f"-s3.port={self.port}",
            f"-admin.port={ports[3]}",
            "-admin.ui=false",
            "-webdav=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-filer.localSocket={self.workdir}/f.sock",
            f"-s3.localSocket={self.workdir}/s.sock",
        ]
        if self.config_file:
            cmd.append(f"-s3.config={self.config_file}")
        return cmd

    def start(self) -> S3Server:
        log = open(self.workdir / f"{self.name}.log", "ab")  # noqa: SIM115 - open while the server runs
        self.proc = subprocess.Popen(
            self._command(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        _wait_http(self.endpoint)
        if self.name == "seaweed":
            self._wait_seaweed_ready()
        return self

    def _wait_seaweed_ready(self, timeout: float = 60.0) -> None:
        # The S3 port answers before the filer behind it can store; wait for a real round trip.
        deadline = time.monotonic() + timeout
        probe = f"ready-{uuid.uuid4().hex[:8]}"
        while True:
            try:
                c = self.client()
                c.create_bucket(Bucket=probe)
                c.put_object(Bucket=probe, Key="k", Body=b"x")
                c.delete_object(Bucket=probe, Key="k")
                c.delete_bucket(Bucket=probe)
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def stop(self) -> None:
        if not self.proc:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_moto() -> S3Server:
    return S3Server("moto", free_port()).start()


def start_seaweed(identities: list[dict] | None = None) -> S3Server:
    """Start ``weed mini``; with ``identities`` it enforces keys (``-s3.config``)."""
    server = S3Server("seaweed", free_port(), access_key="seaweedkey", secret_key="seaweedsecret")
    if identities is None:
        identities = [
            {
                "name": "admin",
                "credentials": [{"accessKey": server.access_key, "secretKey": server.secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    server.config_file = server.workdir / "s3.json"
    server.config_file.write_text(json.dumps({"identities": identities}))
    return server.start()

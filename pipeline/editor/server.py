"""``inv edit``: the site, the editor and its local backend on one address of this computer.

- ``/api/v1`` goes to decap-server (Decap's local backend, https://decapcms.org/docs/working-with-a-local-git-repository/),
  started here on a free loopback port and reached only through this server, so the editor's
  page needs no other origin in its policy. On the way, every picture the editor uploads loses
  its location and personal metadata, losslessly (:mod:`pipeline.photos`): a photo never lands in
  the content folder with its GPS position.
- ``/api/editor/check`` answers the editor before each save with what ``inv check`` would say
  (:mod:`.checks`).
- ``/admin/...`` is the built editor, with its own security headers (:mod:`.policy`); everything
  else is the built site and the inquiry receiver, as ``inv serve`` serves them.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from pipeline.editor import EditorError, policy
from pipeline.photos import metadata

BACKEND_PATH = "/api/v1"
CHECK_PATH = "/api/editor/check"
MAX_BODY = 64 * 1024 * 1024  # decap-server's own limit is 50 MB of JSON


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_backend(server_js: Path, repository: Path, port: int, log: Path | None = None) -> subprocess.Popen:
    """decap-server on 127.0.0.1:``port``, writing files under ``repository`` (the folder holding the
    content folder), without git (``MODE=fs``): each save is a file written, as by hand."""
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "GIT_REPO_DIRECTORY": str(repository),
        "MODE": "fs",
        "LOG_LEVEL": "info",
    }
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    try:
        process = subprocess.Popen(
            ["node", str(server_js)], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    except FileNotFoundError:
        raise EditorError(
            "Node.js is not installed: run ./dev edit (it installs node and the editor)."
        ) from None
    finally:
        if log:
            out.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EditorError(
                f"The editor's local backend stopped at once (exit {process.returncode}); see {log}."
            )
        try:
            status, _ = _post(port, BACKEND_PATH, json.dumps({"action": "info"}).encode())
            if status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise EditorError("The editor's local backend did not answer within 30 seconds.")


def stop_backend(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _post(port: int, path: str, body: bytes) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def scrub_assets(payload: dict) -> tuple[dict, list[str]]:
    """The backend request with each uploaded picture's metadata removed (``persistEntry`` and
    ``persistMedia`` carry the files as base64); returns what was removed, per file."""
    params = payload.get("params") or {}
    assets = list(params.get("assets") or [])
    if isinstance(params.get("asset"), dict):
        assets.append(params["asset"])
    removed = []
    for asset in assets:
        if asset.get("encoding") != "base64" or not isinstance(asset.get("content"), str):
            continue
        data = base64.b64decode(asset["content"])
        try:
            clean, dropped = metadata.scrub_bytes(data)
        except metadata.PhotoMetadataError:
            continue  # not a picture this can clean: inv check reports it with the fix
        if dropped:
            asset["content"] = base64.b64encode(clean).decode("ascii")
            removed.append(f"{asset.get('path', '?')}: {', '.join(dropped)}")
    return payload, removed


def _read_body(environ: dict) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY:
        raise ValueError("too large")
    return environ["wsgi.input"].read(length) if length else b""


def editor_app(
    site: Callable, backend_port: int, check: Callable[[dict], dict], notice: Callable[[str], None] = print
) -> Callable:
    """The WSGI app of ``inv edit``: the backend, the check, then the site (``site``)."""

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path in (BACKEND_PATH, CHECK_PATH) and method == "POST":
            try:
                payload = json.loads(_read_body(environ) or b"{}")
            except ValueError:
                return _json(start_response, 400, {"error": "not JSON, or too large"})
            if path == CHECK_PATH:
                return _json(start_response, 200, check(payload))
            payload, removed = scrub_assets(payload)
            for line in removed:
                notice(f"editor: removed location and personal metadata from {line}")
            status, body = _post(backend_port, BACKEND_PATH, json.dumps(payload).encode())
            start_response(f"{status} {'OK' if status == 200 else 'Error'}", _api_headers())
            return [body]
        return site(environ, start_response)

    return with_editor_headers(app)


def _api_headers() -> list[tuple[str, str]]:
    return [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")]


def _json(start_response: Callable, status: int, value) -> list[bytes]:
    start_response(f"{status} {'OK' if status == 200 else 'Bad Request'}", _api_headers())
    return [json.dumps(value).encode()]


def with_editor_headers(app: Callable, https: bool = False) -> Callable:
    """``app`` with the editor's own security headers under /admin/ (every other path keeps the
    site's): what CloudFront's /admin/* behaviour sends (infra/site.yaml)."""
    replaced = dict(policy.editor_headers(https=https))
    names = {name.lower() for name in replaced}

    def wrapped(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not policy.is_editor_path(environ.get("PATH_INFO", "")):
            return app(environ, start_response)

        def start(status, headers, exc_info=None):
            kept = [(k, v) for k, v in headers if k.lower() not in names]
            return start_response(status, kept + list(replaced.items()), exc_info)

        return app(environ, start)

    return wrapped

"""`inv serve` (and `./dev serve`, which runs `inv reserve` with its arguments) listens where it says.

The address is printed only once the server listens, so the first line a coordinator reads is
an address that answers. ``--port`` is passed through; with the default port taken and no port
asked for, the next free one is used and printed.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
from contextlib import contextmanager

from tests.support.sitefactory import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _serving(code: str, tmp_path):
    """A real `inv serve` process; yields the first line it prints."""
    env = {**os.environ, "INQUIRY_STORE": str(tmp_path / "store"), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "Serving" in line:
                break
        assert process.poll() is None, "".join(lines) + process.stderr.read()
        yield next(line for line in lines if "Serving" in line)
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()
        process.stderr.close()


def _run_inv(args: list[str], default_port: int | None = None) -> str:
    change = f"tasks.PORT = {default_port}; " if default_port else ""
    return (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import tasks; {change}"
        "from invoke import Collection, Program; "
        f"Program(namespace=Collection.from_module(tasks)).run(['inv', *{args!r}])"
    )


def _answers(port: int) -> int:
    """The status of GET / on the port, asked once (no retry: the address was printed when it listened)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/")
    status = connection.getresponse().status
    connection.close()
    return status


def test_port_is_passed_through_and_printed_once_listening(tmp_path):
    port = _free_port()
    with _serving(_run_inv(["serve", "--port", str(port)]), tmp_path) as line:
        assert f"http://127.0.0.1:{port}/" in line
        assert _answers(port) in (200, 404)


def test_a_busy_default_port_moves_to_the_next_free_one_and_says_which(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        with _serving(_run_inv(["serve"], default_port=busy), tmp_path) as line:
            served = int(line.split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
            assert served != busy and busy < served < busy + 20, line
            assert _answers(served) in (200, 404)


def test_a_busy_port_that_was_asked_for_is_a_clear_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-c", _run_inv(["serve", "--port", str(busy)])],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "INQUIRY_STORE": str(tmp_path / "store")},
            check=False,
        )
    assert result.returncode == 1
    assert f"Cannot listen on 127.0.0.1 port {busy}" in result.stderr and "--port" in result.stderr
    assert "Serving" not in result.stdout and "Traceback" not in result.stderr


def test_dev_serve_hands_its_arguments_to_inv_reserve():
    script = (ROOT / "dev").read_text()
    serve = script[script.index("  serve)") : script.index(";;", script.index("  serve)"))]
    assert "shift" in serve and 'reserve "$@"' in serve
    # The branch runs as written: bash accepts the script.
    assert subprocess.run(["bash", "-n", str(ROOT / "dev")], capture_output=True, check=False).returncode == 0

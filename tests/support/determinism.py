"""Determinism as the deploy relies on it: the same content built in two separate processes, with
different hash seeds (set and dict orders that depend on str hashes change between them), a second
apart (anything that reads the clock shows), gives the same bytes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.support.sitefactory import ROOT


def run_twice(code: str, timeout: int = 600) -> None:
    """Run ``code`` twice, each in a fresh interpreter: once with PYTHONHASHSEED=1 and ``{run}`` set
    to "a", then a second later with PYTHONHASHSEED=2 and ``{run}`` "b"."""
    for seed, run in ((1, "a"), (2, "b")):
        if seed == 2:
            time.sleep(1.1)
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        prelude = f"import sys; sys.path.insert(0, {str(ROOT)!r}); RUN = {run!r}\n"
        result = subprocess.run(
            [sys.executable, "-c", prelude + code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(Path(root).rglob("*")) if p.is_file()
    }


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    return sorted(set(first) ^ set(second)) + [
        k for k in sorted(first) if k in second and first[k] != second[k]
    ]

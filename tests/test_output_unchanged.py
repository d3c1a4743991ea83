"""The demo practice builds to the same bytes as it did at a reference revision.

A restructuring of the code must not change what the site publishes. This test extracts the
reference revision with ``git archive``, builds the demo with that revision's own code, theme
and content (the same Python environment, the same day), builds it again with the working tree,
and compares every file of ``output/`` and of the internal folder (manifests, redirect map,
security headers) byte for byte.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.support.determinism import differences, tree
from tests.support.sitefactory import ROOT

# The revision whose output the working tree reproduces. A commit that changes the output on
# purpose (new markup, a content edit, a fixed bug that showed on the site) moves this to itself.
REFERENCE_REVISION = "fe6a6bda2d0e8cd00a5302e1949b7cb350c3dfc4"
AS_OF = "2026-11-22"  # both builds are for this day: which posts, specials and events are live

BUILD = """\
import sys
sys.path.insert(0, {root!r})
from {module} import build
build({settings!r}, {overrides!r})
"""


def _extract(revision: str, folder: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision], capture_output=True, check=False
    )
    assert archive.returncode == 0, (
        f"git cannot read revision {revision} here ({archive.stderr.decode().strip()}): this test needs "
        "the project's history (in CI, check out with fetch-depth: 0)"
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    (folder / ".venv").symlink_to(Path(sys.executable).parents[1])
    return folder


def _build(root: Path, module: str, settings: str, out: Path, cache: Path) -> tuple[dict, dict]:
    overrides = {
        "OUTPUT_PATH": str(out / "output"),
        "INTERNAL_PATH": str(out / "internal"),
        "AS_OF_DATE": AS_OF,
        "IMAGE_CACHE_PATH": str(cache / "images"),
        "TEMPLATE_CACHE_PATH": str(cache / "templates"),
    }
    code = BUILD.format(root=str(root), module=module, settings=settings, overrides=overrides)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return tree(out / "output"), tree(out / "internal")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return _extract(REFERENCE_REVISION, tmp_path_factory.mktemp("reference"))


@pytest.mark.parametrize("settings", ["publishconf.py", "pelicanconf.py"])
def test_the_demo_builds_to_the_reference_revisions_bytes(reference, settings, tmp_path):
    # Each tree keeps its own image cache (in cache/, kept between runs): a derivative the working
    # tree encoded differently could not be masked by one the reference encoded.
    caches = ROOT / "cache" / "output-unchanged"
    before = _build(reference, "runner", settings, tmp_path / "before", caches / REFERENCE_REVISION[:12])
    after = _build(ROOT, "runner", settings, tmp_path / "after", caches / "working-tree")
    for name, old, new in zip(("output", "internal"), before, after, strict=True):
        assert len(old) > (100 if name == "output" else 3), f"the reference build wrote too little in {name}/"
        assert differences(old, new) == [], f"{name}/ differs from revision {REFERENCE_REVISION[:12]}"

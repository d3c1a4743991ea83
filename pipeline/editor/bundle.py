"""The editor's files: Decap CMS from npm (pinned in ``editor/package.json``, integrity hashes in
its lockfile), and the project's own page, script and styles for ``/admin/``.

Nothing here is fetched from a CDN: ``npm ci --prefix editor`` (``./dev edit``, ``./dev test``)
installs the exact version the lockfile names, checking each package's integrity hash, and the
build copies its browser bundle into ``/admin/``. The bundle (5 MB) is never committed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.editor import EditorError

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "editor"  # package.json and package-lock.json; node_modules/ once installed
OWN = Path(__file__).resolve().parent / "admin"  # index.html, editor.js, editor.css
# What the browser needs of the package's dist/: the entry script, the chunks it loads on demand,
# its WebAssembly modules and the licence notice. Not the source maps (25 MB) or the other build.
SHIPPED = re.compile(r"^(decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]{20}\.wasm|decap-cms\.js\.LICENSE\.txt)$")
INSTALL = "./dev edit (or: npm ci --prefix editor)"


@dataclass(frozen=True)
class Installed:
    version: str
    dist: Path
    server: Path  # decap-server's entry script


def pinned(package: Path = PACKAGE) -> dict[str, str]:
    """The exact versions ``editor/package.json`` pins."""
    return json.loads((package / "package.json").read_text(encoding="utf-8"))["dependencies"]


def installed(package: Path = PACKAGE) -> Installed:
    """The installed editor, or an error that says how to install it."""
    wanted = pinned(package)
    modules = package / "node_modules"
    found = {}
    for name, version in wanted.items():
        manifest = modules / name / "package.json"
        try:
            found[name] = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            raise EditorError(
                f"The content editor is not installed ({name} is missing): run {INSTALL}."
            ) from None
        if found[name] != version:
            raise EditorError(
                f"The content editor's {name} is {found[name]}, but editor/package.json pins {version}: run {INSTALL}."
            )
    return Installed(
        found["decap-cms"],
        modules / "decap-cms" / "dist",
        modules / "decap-server" / "dist" / "index.js",
    )


def is_installed(package: Path = PACKAGE) -> bool:
    try:
        installed(package)
    except EditorError:
        return False
    return True


def shipped_files(dist: Path) -> list[Path]:
    """The package's files that go to ``/admin/``, in a stable order."""
    return sorted(p for p in dist.iterdir() if p.is_file() and SHIPPED.match(p.name))


def is_shipped_name(name: str) -> bool:
    """Is ``name`` (a file of ``/admin/``) one of the package's files?"""
    return bool(SHIPPED.match(name))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]

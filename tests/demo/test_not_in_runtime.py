"""Nothing that builds the site or runs the inquiry receiver imports the demo generators."""

from __future__ import annotations

import ast

from tests.support.sitefactory import ROOT

RUNTIME = ["pipeline", "plugins", "runner.py", "tasks.py", "pelicanconf.py", "publishconf.py"]


def imported_modules(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_runtime_module_imports_demo():
    files = [
        p
        for entry in RUNTIME
        for p in ([ROOT / entry] if entry.endswith(".py") else (ROOT / entry).rglob("*.py"))
    ]
    assert len(files) > 100
    offenders = {
        p.relative_to(ROOT).as_posix(): sorted(m for m in imported_modules(p) if m.split(".")[0] == "demo")
        for p in files
    }
    assert not {k: v for k, v in offenders.items() if v}
    generators = ["pipeline/demo_images.py", "pipeline/demo_gallery.py", "pipeline/reports/demo.py"]
    assert not [name for name in generators if (ROOT / name).exists()]

"""The plugins are independent: none imports another, none keeps a run's state in its module,
and their order in PLUGINS does not change a byte of the site.

What one plugin needs of another's work comes from the run's :class:`sitebuild.Build`
(``build.items``, ``build.practice``, ``build.images``, ``build.state(...)``); see ARCHITECTURE.md.
"""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

import runner
from tests.support.determinism import differences, tree
from tests.support.sitefactory import ROOT

PLUGINS = ROOT / "plugins"
# Methods that change a list, dict or set in place.
MUTATORS = {
    "append",
    "extend",
    "insert",
    "add",
    "update",
    "setdefault",
    "pop",
    "popitem",
    "clear",
    "remove",
    "discard",
    "sort",
}
CONTAINERS = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
CONTAINER_CALLS = {
    "dict",
    "list",
    "set",
    "defaultdict",
    "OrderedDict",
    "WeakKeyDictionary",
    "WeakValueDictionary",
}


def _modules() -> list[Path]:
    return sorted(PLUGINS.rglob("*.py"))


def _plugin_of(path: Path) -> str:
    return path.relative_to(PLUGINS).parts[0]


def _imported(path: Path) -> set[str]:
    """The plugins ``path`` imports (absolute ``plugins.x`` and relative imports leaving its package)."""
    found = set()
    own = _plugin_of(path)
    depth = len(path.relative_to(PLUGINS).parts) - 1  # folders below plugins/
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level > depth:  # from .. import x: out of the plugin's own package
                found.update(alias.name for alias in node.names)
                continue
            if node.level:
                continue
            names = [node.module or ""] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "plugins" and len(parts) > 1:
                found.add(parts[1])
    return found - {own}


def test_no_plugin_imports_another():
    crossing = {str(p.relative_to(ROOT)): sorted(_imported(p)) for p in _modules() if _imported(p)}
    assert crossing == {}, "plugins import other plugins (read the Build instead)"


def _state_problems(path: Path) -> list[str]:
    module = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    containers = set()
    for node in module.body:
        targets, value = [], None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        mutable = isinstance(value, CONTAINERS) or (
            isinstance(value, ast.Call)
            and getattr(value.func, "id", getattr(value.func, "attr", "")) in CONTAINER_CALLS
        )
        if mutable:
            containers.update(t.id for t in targets if isinstance(t, ast.Name))
    for node in ast.walk(module):
        if isinstance(node, ast.Global):
            problems.append(f"line {node.lineno}: global {', '.join(node.names)}")
        # NAME[...] = ..., del NAME[...], NAME[...] += ...
        targets = []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Subscript) and getattr(target.value, "id", None) in containers:
                problems.append(f"line {node.lineno}: {target.value.id}[...] changed")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MUTATORS
            and getattr(node.func.value, "id", None) in containers
        ):
            problems.append(f"line {node.lineno}: {node.func.value.id}.{node.func.attr}()")
    return problems


def test_no_plugin_keeps_build_state_in_its_module():
    found = {str(p.relative_to(ROOT)): _state_problems(p) for p in _modules()}
    assert {path: problems for path, problems in found.items() if problems} == {}


def test_the_structure_checks_catch_what_they_look_for(tmp_path):
    plugin = tmp_path / "plugins" / "feeds"
    plugin.mkdir(parents=True)
    bad = plugin / "__init__.py"
    bad.write_text(
        "from plugins.images import site\nfrom .. import seo\n_state = {}\n_seen: list = []\n_last = None\n"
        "def f(x):\n    global _last\n    _state['k'] = x\n    _seen.append(x)\n",
        encoding="utf-8",
    )
    global PLUGINS
    kept, PLUGINS = PLUGINS, tmp_path / "plugins"
    try:
        assert _imported(bad) == {"images", "seo"}
        assert len(_state_problems(bad)) == 3
    finally:
        PLUGINS = kept


def _build(plugins: list, out: Path) -> tuple[dict, dict]:
    runner.build(
        "publishconf.py",
        {
            "PLUGINS": plugins,
            "OUTPUT_PATH": str(out / "output"),
            "INTERNAL_PATH": str(out / "internal"),
            "AS_OF_DATE": "2026-11-22",
        },
    )
    return tree(out / "output"), tree(out / "internal")


@pytest.fixture(scope="module")
def listed(tmp_path_factory):
    plugins = list(runner.load_settings("publishconf.py")["PLUGINS"])
    return plugins, _build(plugins, tmp_path_factory.mktemp("listed"))


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_the_plugins_in_any_order_build_the_same_bytes(listed, order, tmp_path):
    plugins, (output, internal) = listed
    other = plugins[::-1] if order == "reversed" else random.Random(15).sample(plugins, len(plugins))
    assert other != plugins
    # Builds in one process, one after the other: none sees another's state either.
    again_output, again_internal = _build(other, tmp_path)
    assert len(output) > 100
    assert differences(output, again_output) == []
    assert differences(internal, again_internal) == []

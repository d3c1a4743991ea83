"""Compare the local build with what is deployed and say what to do. Pure: no I/O.

Order matters to visitors: assets (images, CSS, JS, fonts) go first, then pages, then the
indexes that point at pages (sitemap, feeds, search index), and deletes last, so a page
never points at a file that is not there yet and nothing is removed while still linked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pipeline.deploy.local import LocalFile
from pipeline.deploy.remote import RemoteObject
from pipeline.deploy.rules import key_matches

PHASES = ("assets", "pages", "indexes", "deletes")
UPLOAD, HEADERS, DELETE = "upload", "headers", "delete"

_INDEXES = re.compile(
    r"(^|/)(sitemap[^/]*\.xml|robots\.txt|[^/]*\.(atom|rss)\.xml|feed[^/]*\.xml)$|^feeds/|^pagefind/|\.ics$"
)


@dataclass(frozen=True)
class PlanRules:
    """What the plan may do besides uploading: the delete guard and the keys it must keep."""

    max_deletes: int = 200
    keep: tuple[str, ...] = ()  # globs (see rules.py) of remote keys never deleted


@dataclass(frozen=True)
class Action:
    kind: str  # upload | headers | delete
    key: str  # relative to the prefix
    phase: str
    reason: str  # new | changed | headers | redirect | gone
    size: int = 0


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...]
    unchanged: tuple[str, ...]
    max_deletes: int
    deletes: int = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "deletes", sum(a.kind == DELETE for a in self.actions))

    @property
    def delete_guard_tripped(self) -> bool:
        return self.deletes > self.max_deletes

    def phase(self, name: str) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.phase == name)

    def count(self, kind: str) -> int:
        return sum(a.kind == kind for a in self.actions)

    @property
    def upload_bytes(self) -> int:
        return sum(a.size for a in self.actions if a.kind == UPLOAD)

    @property
    def changed_keys(self) -> tuple[str, ...]:
        return tuple(sorted(a.key for a in self.actions))

    def to_json(self) -> dict:
        return {
            "summary": {
                "uploads": self.count(UPLOAD),
                "header_updates": self.count(HEADERS),
                "deletes": self.deletes,
                "unchanged": len(self.unchanged),
                "upload_bytes": self.upload_bytes,
                "max_deletes": self.max_deletes,
                "delete_guard_tripped": self.delete_guard_tripped,
            },
            "actions": [
                {"phase": a.phase, "kind": a.kind, "key": a.key, "reason": a.reason, "size": a.size}
                for a in self.actions
            ],
        }


def phase_of(key: str) -> str:
    if _INDEXES.search(key):
        return "indexes"
    if key.endswith((".html", "/")) or "." not in key.rsplit("/", 1)[-1]:
        return "pages"
    return "assets"


def plan_deploy(local: Mapping[str, LocalFile], remote: Mapping[str, RemoteObject], rules: PlanRules) -> Plan:
    """Uploads, header-only updates, deletes and unchanged keys, in visitor-safe order."""
    actions: list[Action] = []
    unchanged: list[str] = []
    for key, file in local.items():
        have = remote.get(key)
        if have is None:
            actions.append(
                Action(UPLOAD, key, phase_of(key), "redirect" if file.redirect else "new", file.size)
            )
        elif have.sha256 != file.sha256 or have.redirect != file.redirect:
            actions.append(Action(UPLOAD, key, phase_of(key), "changed", file.size))
        elif have.headers != file.headers:
            actions.append(Action(HEADERS, key, phase_of(key), "headers"))
        else:
            unchanged.append(key)
    for key in remote:
        if key not in local and not any(key_matches(pattern, key) for pattern in rules.keep):
            actions.append(Action(DELETE, key, "deletes", "gone"))
    order = {name: i for i, name in enumerate(PHASES)}
    actions.sort(key=lambda a: (order[a.phase], a.key))
    return Plan(tuple(actions), tuple(sorted(unchanged)), rules.max_deletes)

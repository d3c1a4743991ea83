"""Cross-links computed from what each file declares, never written by hand.

A post names its author and procedures; a team member names the procedures they perform
and where they work; a procedure names related procedures. Everything else is derived:
a procedure's posts and providers, a member's posts, a location's team and services,
and related procedures in both directions.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Links:
    procedure_posts: dict[str, list[str]] = field(default_factory=dict)
    procedure_providers: dict[str, list[str]] = field(default_factory=dict)
    procedure_related: dict[str, list[str]] = field(default_factory=dict)
    procedure_locations: dict[str, list[str]] = field(default_factory=dict)
    member_posts: dict[str, list[str]] = field(default_factory=dict)
    location_team: dict[str, list[str]] = field(default_factory=dict)
    location_procedures: dict[str, list[str]] = field(default_factory=dict)
    procedure_specials: dict[str, list[str]] = field(default_factory=dict)
    procedure_events: dict[str, list[str]] = field(default_factory=dict)


def _add(index: dict[str, list[str]], key: str, value: str) -> None:
    bucket = index.setdefault(key, [])
    if value not in bucket:
        bucket.append(value)


def compute(
    posts: list[tuple[str, str, list[str]]],
    team: list[tuple[str, list[str], list[str]]],
    procedures: list[tuple[str, list[str]]],
    specials: list[tuple[str, list[str]]] = (),
    events: list[tuple[str, list[str]]] = (),
) -> Links:
    """Derive every cross-link.

    ``posts``: (id, author id, procedure ids), in display order (newest first).
    ``team``: (id, procedure ids, location ids), in display order.
    ``procedures``: (id, related procedure ids), in display order.
    ``specials`` / ``events``: (id, procedure ids) of the listed ones, in display order.
    Ids that are not in the given lists (drafts) are ignored.
    """
    links = Links()
    procedure_ids = [pid for pid, _ in procedures]
    known_procedures = set(procedure_ids)
    known_team = {mid for mid, _, _ in team}
    for pid in procedure_ids:
        for index in (
            links.procedure_posts,
            links.procedure_providers,
            links.procedure_related,
            links.procedure_locations,
            links.procedure_specials,
            links.procedure_events,
        ):
            index[pid] = []
    for mid, _, _ in team:
        links.member_posts[mid] = []

    for post_id, author, post_procedures in posts:
        if author in known_team:
            _add(links.member_posts, author, post_id)
        for pid in post_procedures:
            if pid in known_procedures:
                _add(links.procedure_posts, pid, post_id)

    for mid, member_procedures, member_locations in team:
        for lid in member_locations:
            _add(links.location_team, lid, mid)
        for pid in member_procedures:
            if pid not in known_procedures:
                continue
            _add(links.procedure_providers, pid, mid)
            for lid in member_locations:
                _add(links.procedure_locations, pid, lid)

    for pid, related in procedures:
        for other in related:
            if other in known_procedures and other != pid:
                _add(links.procedure_related, pid, other)
                _add(links.procedure_related, other, pid)

    for index, items in ((links.procedure_specials, specials), (links.procedure_events, events)):
        for item_id, item_procedures in items:
            for pid in item_procedures:
                if pid in known_procedures:
                    _add(index, pid, item_id)

    order = {pid: i for i, pid in enumerate(procedure_ids)}
    for pid in procedure_ids:
        links.procedure_related[pid].sort(key=order.__getitem__)
        for lid in links.procedure_locations[pid]:
            _add(links.location_procedures, lid, pid)
    for pids in links.location_procedures.values():
        pids.sort(key=order.__getitem__)
    return links

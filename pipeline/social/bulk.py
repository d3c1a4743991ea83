"""The bulk-schedule files: Sprout Social CSV, Hootsuite CSV (one per profile) and plain JSON.

- Sprout Social: case-sensitive headers ``date``, ``time_24hr``, ``message_text`` (required), plus
  ``link`` and ``image_url``; one file per network, because Sprout imports a file into the
  profiles chosen in its dialog and each network has its own caption. ``image_url`` is the post's
  first image as the site publishes it (``pipeline.social.public``), where the network's row
  carries an image; a link goes in the text or in ``link``, never both.
- Hootsuite: columns by position (date and time, message, link), no header row, one file per
  profile, UTF-8. Hootsuite's bulk composer has no image column (``networks.HOOTSUITE_COLUMNS``):
  the contact sheet names the image to attach to each post in its review step. A profile is the practice's account on a network, except on Google Business
  Profile, where each clinic has its own: ``hootsuite/gbp-<clinic>.csv`` holds the posts about that
  clinic (an offer or event there) and those about the whole practice.
- Both: at most 350 rows per file (REFERENCE.md); more are split into numbered files.
- CSVs are UTF-8 without a byte-order mark (a BOM would turn the ``date`` header into another
  name), with CRLF line ends as RFC 4180 writes them. Cells are written as they are, without the
  spreadsheet formula guard: the scheduling tool would publish its leading ``'`` in the post.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pipeline.files import csv_bytes
from pipeline.social.networks import HOOTSUITE_COLUMNS, MAX_ROWS_PER_FILE, NETWORKS, SPROUT_HEADERS


def chunks(rows: Sequence, size: int = MAX_ROWS_PER_FILE) -> list[Sequence]:
    return [rows[i : i + size] for i in range(0, len(rows), size)] or [rows]


def file_names(stem: str, count: int) -> list[str]:
    """``x.csv``, or ``x-1-of-3.csv`` ... when a network has more rows than one file may hold."""
    if count == 1:
        return [f"{stem}.csv"]
    return [f"{stem}-{i}-of-{count}.csv" for i in range(1, count + 1)]


def sprout_row(post, date_format: str, image_base_url: str) -> list[str]:
    """``image_base_url``: the folder the images are published in (the file name is appended once)."""
    net = NETWORKS[post.network]
    image = post.images[0].file if post.images and net.image_url else ""
    return [
        post.at.strftime(date_format),
        post.at.strftime("%H:%M"),
        post.caption.text,
        post.caption.link if net.link_column else "",
        f"{image_base_url.rstrip('/')}/{image}" if image_base_url and image else "",
    ]


def hootsuite_row(post, date_format: str) -> list[str]:
    net = NETWORKS[post.network]
    return [
        post.at.strftime(f"{date_format} %H:%M"),
        post.caption.text,
        post.caption.link if net.link_column else "",
    ]


def hootsuite_profiles(network: str, posts: Sequence, clinics: Sequence[str]) -> dict[str, list]:
    """Profile file stem -> its posts: one profile per network, one per clinic on Google Business Profile."""
    if not NETWORKS[network].per_location or len(clinics) < 2:
        return {network: list(posts)}
    return {
        f"{network}-{clinic}": [p for p in posts if not p.item.locations or clinic in p.item.locations]
        for clinic in sorted(clinics)
    }


def bulk_files(
    posts: Sequence, date_format: str, image_base_url: str, clinics: Sequence[str] = ()
) -> dict[str, bytes]:
    """{"sprout/instagram.csv": b"...", "hootsuite/x.csv": b"...", ...} for the networks that have posts."""
    files: dict[str, bytes] = {}
    for network in NETWORKS:
        mine = [p for p in posts if p.network == network]
        if not mine:
            continue
        sprout = chunks([sprout_row(p, date_format, image_base_url) for p in mine])
        for name, rows in zip(file_names(f"sprout/{network}", len(sprout)), sprout, strict=False):
            files[name] = csv_bytes(SPROUT_HEADERS, rows, guard=False)
        for profile, theirs in hootsuite_profiles(network, mine, clinics).items():
            if not theirs:
                continue
            hoot = chunks([hootsuite_row(p, date_format) for p in theirs])
            for name, rows in zip(file_names(f"hootsuite/{profile}", len(hoot)), hoot, strict=False):
                files[name] = csv_bytes(None, rows, guard=False)
    return files


def json_bytes(data: object) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


__all__ = [
    "HOOTSUITE_COLUMNS",
    "SPROUT_HEADERS",
    "bulk_files",
    "chunks",
    "file_names",
    "json_bytes",
]

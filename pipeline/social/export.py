"""One export: items in, a dated folder of ready-to-schedule posts out.

``plan_export`` does the work on plain values: captions for every network (all rule breaks are
collected and raised together), the schedule, and each network's images. ``write_export`` is
the I/O edge: it writes the batch to ``<export folder>/<as-of day>/`` through a temporary folder
and a rename (nothing half-written), then records what was exported in the state file, so the
next export holds only what is new since (``SOCIAL_SELECT = "new"``).

Deterministic: the same content, settings and day give the same bytes. Nothing carries the time
of the export; the state file records the build's day, not the clock.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import dates
from pipeline.content.errors import Problem
from pipeline.images.cache import ImageCache, write_atomic
from pipeline.social import bulk, images, sheet
from pipeline.social.captions import Caption, captions_for
from pipeline.social.config import SocialConfig
from pipeline.social.errors import SocialError
from pipeline.social.items import SocialItem
from pipeline.social.networks import NETWORKS
from pipeline.social.schedule import schedule

STATE = "state.json"
STATE_VERSION = 1


@dataclass(frozen=True)
class PostImage:
    name: str  # images/<hash16>-1080x1080.jpg
    role: str  # feed, portrait, story, link, photo
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class Post:
    """An item on one network: its time, caption and images."""

    item: SocialItem
    network: str
    at: dt.datetime
    caption: Caption
    images: tuple[PostImage, ...]


@dataclass
class Batch:
    day: dt.date  # the build's day: the folder's name
    timezone: str
    posts: list[Post] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # images, by name
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (content file, why)
    exported: dict[str, str] = field(default_factory=dict)  # item key -> day first exported (the state)
    clinics: tuple[str, ...] = ()  # location ids: each clinic has its own Google Business Profile


# -- state: what earlier exports held ---------------------------------------------------------


def read_state(root: Path) -> dict[str, str]:
    path = Path(root) / STATE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError):
        raise SocialError([Problem(str(path), "file", "is not a readable export state",
                                   "delete it; the next export then holds everything that may be posted")]) from None
    exported = data.get("exported") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in exported.items()} if isinstance(exported, dict) else {}


def select_new(items: Sequence[SocialItem], state: Mapping[str, str], day: dt.date) -> list[SocialItem]:
    """Items no earlier export held; the ones first exported today stay in (re-running gives the same batch)."""
    return [i for i in items if state.get(i.key, day.isoformat()) == day.isoformat()]


# -- planning ---------------------------------------------------------------------------------


def _images(item: SocialItem, network: str, config: SocialConfig, cache: ImageCache | None,
            files: dict[str, bytes]) -> tuple[PostImage, ...]:
    source = item.pair or item.photo
    if source is None:
        return ()
    alt = source.alt
    made = []
    for spec in NETWORKS[network].images:
        rendered = images.render(source, spec.size, item.watermark, config.quality, cache)
        limit = NETWORKS[network].max_image_bytes
        if limit is not None and len(rendered.data) > limit:
            raise SocialError([Problem(item.path, "image", f"the {NETWORKS[network].label} image is "
                                       f"{len(rendered.data):,} bytes, over its {limit:,}-byte limit",
                                       "lower SOCIAL_IMAGE_QUALITY")])
        files[rendered.name] = rendered.data
        made.append(PostImage(rendered.name, spec.name, spec.size[0], spec.size[1], alt))
    return tuple(made)


def plan_export(items: Sequence[SocialItem], *, config: SocialConfig, day: dt.date, now: dt.datetime,
                tz: dt.tzinfo, timezone: str, cache: ImageCache | None = None,
                skipped: Sequence[tuple[str, str]] = (), state: Mapping[str, str] | None = None,
                clinics: Sequence[str] = ()) -> Batch:
    """The batch for ``items`` (already selected); raises ``SocialError`` listing every problem."""
    problems: list[Problem] = []
    captions: dict[tuple[str, str], Caption] = {}
    for item in items:
        for network in item.networks:
            try:
                captions[item.key, network] = captions_for(item, network, config.phone_region)
            except SocialError as exc:
                problems.extend(exc.problems)
    try:
        when = schedule(items, now=now, first_day=day + dt.timedelta(days=1), times=config.times, tz=tz)
    except SocialError as exc:
        problems.extend(exc.problems)
        when = {}
    if problems:
        raise SocialError(problems)
    batch = Batch(day, timezone, skipped=sorted(set(skipped)), clinics=tuple(sorted(clinics)))
    order = {n: i for i, n in enumerate(NETWORKS)}
    for item in items:
        for network in item.networks:
            post_images = _images(item, network, config, cache, batch.files)
            batch.posts.append(Post(item, network, when[item.key], captions[item.key, network], post_images))
    batch.posts.sort(key=lambda p: (p.at, order[p.network], p.item.kind, p.item.id))
    batch.exported = dict(sorted({**(state or {}), **{i.key: day.isoformat() for i in items}}.items()))
    return batch


# -- files --------------------------------------------------------------------------------------


def _post_json(post: Post) -> dict:
    item, caption = post.item, post.caption
    data = {
        "network": post.network,
        "network_label": NETWORKS[post.network].label,
        "scheduled": dates.iso(post.at),
        "kind": item.kind,
        "id": item.id,
        "source": item.path,
        "title": item.title,
        "caption": caption.text,
        "length": caption.length,
        "limit": caption.limit,
        "counting": caption.counting,
        "hashtags": list(caption.hashtags),
        "link": caption.link,
        "campaign": item.campaign,
        "images": [{"file": i.name, "role": i.role, "width": i.width, "height": i.height, "alt": i.alt}
                   for i in post.images],
    }
    if NETWORKS[post.network].post_types:
        # The clinics whose profiles carry it: those it is about, or every one.
        data["gbp"] = {"type": "STANDARD", **item.gbp, "url": caption.link, "locations": list(item.locations)}
    return data


def batch_files(batch: Batch, config: SocialConfig) -> dict[str, bytes]:
    """Every file of the batch's folder, by relative name."""
    files = dict(batch.files)
    campaigns = {p.item.campaign: {"source": p.item.path, "kind": p.item.kind, "title": p.item.title}
                 for p in batch.posts}
    files["posts.json"] = bulk.json_bytes({
        "export": {"day": batch.day.isoformat(), "timezone": batch.timezone, "posts": len(batch.posts),
                   "date_format": config.date_format},
        "posts": [_post_json(p) for p in batch.posts],
        "campaigns": dict(sorted(campaigns.items())),
        "skipped": [{"source": path, "reason": reason} for path, reason in batch.skipped],
    })
    bulk_files = bulk.bulk_files(batch.posts, config.strftime_date, config.image_base_url, batch.clinics)
    files.update(bulk_files)
    files[sheet.NAME] = sheet.contact_sheet(batch, sorted(bulk_files))
    return dict(sorted(files.items()))


def write_export(batch: Batch, config: SocialConfig, root: Path) -> Path:
    """Write the batch to ``root/<day>/`` (replacing an earlier export of that day) and the state file."""
    root = Path(root)
    target = root / batch.day.isoformat()
    staging = root / f".tmp-{batch.day.isoformat()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for name, data in batch_files(batch, config).items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        old = root / f".old-{batch.day.isoformat()}"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    state = {"version": STATE_VERSION, "exported": batch.exported}
    write_atomic(root / STATE, (json.dumps(state, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return target

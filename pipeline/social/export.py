"""One export: items in, a dated folder of ready-to-schedule posts out.

``plan_export`` does the work on plain values: captions for every network, the schedule, and each
network's images. An item that breaks a rule (a caption too long, a time in the past) is left
out with its problem and fix, and the others are exported; a gallery case is checked against its
consent again on the day each of its posts goes out, and withheld if the consent has lapsed by
then. Both are listed on the contact sheet. ``write_export`` is the I/O edge: it writes the batch
to ``<export folder>/<as-of day>/`` through a temporary folder and a rename (nothing
half-written), then records what was exported in the state file, so the next export holds only
what is new since (``SOCIAL_SELECT = "new"``); an item left out is not recorded, so it comes back
once fixed. Run again with nothing changed, it writes nothing.

Deterministic: the same content, settings and day give the same bytes. Nothing carries the time
of the export; the state file records the build's day, not the clock.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import dates
from pipeline.consent import Ledger, decide
from pipeline.content.errors import Problem
from pipeline.files import write_atomic, write_folder
from pipeline.images.cache import ImageCache
from pipeline.social import bulk, images, sheet
from pipeline.social.captions import Caption, captions_for
from pipeline.social.config import SocialConfig
from pipeline.social.errors import SocialError
from pipeline.social.items import SocialItem
from pipeline.social.networks import NETWORKS
from pipeline.social.public import image_base, image_url
from pipeline.social.schedule import plan_schedule

STATE = "state.json"
STATE_VERSION = 1


@dataclass(frozen=True)
class PostImage:
    name: str  # images/<hash16>-1080x1080.jpg
    role: str  # feed, portrait, story, link, photo
    width: int
    height: int
    alt: str

    @property
    def file(self) -> str:
        return self.name.rsplit("/", 1)[-1]


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
    problems: list[Problem] = field(default_factory=list)  # rules broken by the items left out


# -- state: what earlier exports held ---------------------------------------------------------


def read_state(root: Path) -> dict[str, str]:
    path = Path(root) / STATE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError):
        raise SocialError(
            [
                Problem(
                    str(path),
                    "file",
                    "is not a readable export state",
                    "delete it; the next export then holds everything that may be posted",
                )
            ]
        ) from None
    exported = data.get("exported") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in exported.items()} if isinstance(exported, dict) else {}


def select_new(items: Sequence[SocialItem], state: Mapping[str, str], day: dt.date) -> list[SocialItem]:
    """Items no earlier export held; the ones first exported today stay in (re-running gives the same batch)."""
    return [i for i in items if state.get(i.key, day.isoformat()) == day.isoformat()]


# -- planning ---------------------------------------------------------------------------------


def _images(
    item: SocialItem, network: str, config: SocialConfig, cache: ImageCache | None, files: dict[str, bytes]
) -> tuple[PostImage, ...]:
    source = item.pair or item.photo
    if source is None:
        return ()
    alt = source.alt
    made = []
    for spec in NETWORKS[network].images:
        rendered = images.render(source, spec.size, item.watermark, config.quality, cache)
        limit = NETWORKS[network].max_image_bytes
        if limit is not None and len(rendered.data) > limit:
            raise SocialError(
                [
                    Problem(
                        item.path,
                        "image",
                        f"the {NETWORKS[network].label} image is "
                        f"{len(rendered.data):,} bytes, over its {limit:,}-byte limit",
                        "lower SOCIAL_IMAGE_QUALITY",
                    )
                ]
            )
        files[rendered.name] = rendered.data
        made.append(PostImage(rendered.name, spec.name, spec.size[0], spec.size[1], alt))
    return tuple(made)


def left_out(problems: Sequence[Problem]) -> list[tuple[str, str]]:
    return [
        (p.path, f"not exported: {p.field}: {p.message} — {p.fix}" + (f" (line {p.line})" if p.line else ""))
        for p in problems
    ]


def plan_export(
    items: Sequence[SocialItem],
    *,
    config: SocialConfig,
    day: dt.date,
    now: dt.datetime,
    tz: dt.tzinfo,
    timezone: str,
    cache: ImageCache | None = None,
    skipped: Sequence[tuple[str, str]] = (),
    state: Mapping[str, str] | None = None,
    clinics: Sequence[str] = (),
    ledger: Ledger | None = None,
) -> Batch:
    """The batch for ``items`` (already selected). An item that breaks a rule is left out (its
    problems are in ``Batch.problems`` and on the contact sheet); the others are exported."""
    problems: list[Problem] = []
    captions: dict[tuple[str, str], Caption] = {}
    for item in items:
        for network in item.networks:
            try:
                captions[item.key, network] = captions_for(item, network, config.phone_region)
            except SocialError as exc:
                problems.extend(exc.problems)
    bad = {p.path for p in problems}
    when, late = plan_schedule(
        [i for i in items if i.path not in bad],
        now=now,
        first_day=day + dt.timedelta(days=1),
        times=config.times,
        tz=tz,
    )
    problems += late
    bad |= {p.path for p in late}
    withheld = []
    for item in items:
        if item.path in bad or item.consent is None or ledger is None:
            continue
        # Consent on the day the post goes out, not on the day of the export (45 CFR 164.508: an
        # authorization ends at its expiry).
        decision = decide(
            item.consent, ledger, "social", when[item.key].astimezone(tz).date(), case=item.path
        )
        if not decision.allowed:
            why = decision.reason.removeprefix("consent ")
            withheld.append(
                (item.path, f"withheld: it would be posted {when[item.key]:%Y-%m-%d %H:%M}, when {why}")
            )
            bad.add(item.path)
    posted = [i for i in items if i.path not in bad]
    batch = Batch(
        day,
        timezone,
        skipped=sorted({*skipped, *left_out(problems), *withheld}),
        clinics=tuple(sorted(clinics)),
        problems=sorted(set(problems), key=lambda p: (p.path, p.field)),
    )
    order = {n: i for i, n in enumerate(NETWORKS)}
    for item in list(posted):
        files: dict[str, bytes] = {}
        try:
            made = {network: _images(item, network, config, cache, files) for network in item.networks}
        except SocialError as exc:
            batch.problems += exc.problems
            batch.skipped = sorted({*batch.skipped, *left_out(exc.problems)})
            posted.remove(item)
            continue
        batch.files.update(files)
        for network in item.networks:
            batch.posts.append(
                Post(item, network, when[item.key], captions[item.key, network], made[network])
            )
    batch.posts.sort(key=lambda p: (p.at, order[p.network], p.item.kind, p.item.id))
    batch.exported = dict(sorted({**(state or {}), **{i.key: day.isoformat() for i in posted}}.items()))
    return batch


# -- files --------------------------------------------------------------------------------------


def _post_json(post: Post, config: SocialConfig) -> dict:
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
        "shortened": caption.shortened,
        "link": caption.link,
        "campaign": item.campaign,
        "images": [
            {"file": i.name, "role": i.role, "width": i.width, "height": i.height, "alt": i.alt}
            for i in post.images
        ],
        # The image a scheduler fetches (Sprout's image_url), as the site publishes it.
        "image_url": image_url(config, post.images[0].file)
        if post.images and NETWORKS[post.network].image_url
        else None,
    }
    if NETWORKS[post.network].post_types:
        # The clinics whose profiles carry it: those it is about, or every one.
        data["gbp"] = {"type": "STANDARD", **item.gbp, "url": caption.link, "locations": list(item.locations)}
    return data


def batch_files(batch: Batch, config: SocialConfig) -> dict[str, bytes]:
    """Every file of the batch's folder, by relative name."""
    files = dict(batch.files)
    campaigns = {
        p.item.campaign: {"source": p.item.path, "kind": p.item.kind, "title": p.item.title}
        for p in batch.posts
    }
    files["posts.json"] = bulk.json_bytes(
        {
            "export": {
                "day": batch.day.isoformat(),
                "timezone": batch.timezone,
                "posts": len(batch.posts),
                "date_format": config.date_format,
            },
            "posts": [_post_json(p, config) for p in batch.posts],
            "campaigns": dict(sorted(campaigns.items())),
            "skipped": [{"source": path, "reason": reason} for path, reason in batch.skipped],
        }
    )
    bulk_files = bulk.bulk_files(batch.posts, config.strftime_date, image_base(config), batch.clinics)
    files.update(bulk_files)
    files[sheet.NAME] = sheet.contact_sheet(batch, sorted(bulk_files))
    return dict(sorted(files.items()))


def _same_tree(folder: Path, files: Mapping[str, bytes]) -> bool:
    """Whether ``folder`` holds exactly ``files``, byte for byte."""
    if not folder.is_dir():
        return False
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    return found == set(files) and all((folder / name).read_bytes() == data for name, data in files.items())


def write_export(batch: Batch, config: SocialConfig, root: Path) -> tuple[Path, bool]:
    """Write the batch to ``root/<day>/`` (replacing an earlier export of that day) and the state file;
    returns the folder and whether anything was written (nothing is when the same export is there)."""
    root = Path(root)
    target = root / batch.day.isoformat()
    files = batch_files(batch, config)
    state = (
        json.dumps({"version": STATE_VERSION, "exported": batch.exported}, indent=2, sort_keys=True) + "\n"
    ).encode("utf-8")
    state_path = root / STATE
    if _same_tree(target, files) and state_path.is_file() and state_path.read_bytes() == state:
        return target, False
    write_folder(target, files)
    write_atomic(state_path, state)
    return target, True

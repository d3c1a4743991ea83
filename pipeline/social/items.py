"""What goes to the social networks: content records in, plain ``SocialItem`` values out.

- :func:`skip_reason`: the rules of what may be posted on the build's day: posts once published
  (never drafts or scheduled), specials only while current, events only while upcoming (not
  cancelled or postponed), gallery cases only under a consent whose scope includes ``social``
  (``pipeline.consent.decide`` with purpose "social"), and nothing marked ``social: false``.
- :func:`make_item`: one ``SocialItem`` from a validated record; each kind's builder is declared
  in ``BUILDERS``.

Pure: records, ids and paths in; no settings, no files read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import dates, gallery
from pipeline.consent import Ledger, decide
from pipeline.content import models
from pipeline.social.config import SocialConfig
from pipeline.social.links import campaign_id

if TYPE_CHECKING:
    from pipeline.watermark import WatermarkSpec

KINDS = ("post", "special", "event", "case")
# Which watermark (WATERMARK_APPLIES_TO kinds) an item's image gets; see sitebuild/images.py.
WATERMARK_KIND = {"post": "post", "special": "page", "event": "page", "case": "gallery"}
_SYMBOLS = {"USD": "$", "CAD": "$", "AUD": "$", "NZD": "$", "EUR": "€", "GBP": "£"}


@dataclass(frozen=True)
class Photo:
    """A source image to crop to each network's size."""

    path: Path
    alt: str
    focus: tuple[float, float] | None = None
    fit: str = "cover"  # "contain": letterboxed, for the logo


@dataclass(frozen=True)
class PairPhotos:
    """A gallery case's before/after pair, shown side by side (or stacked) with its labels."""

    before: Path
    after: Path
    before_label: str
    after_label: str
    alt: str


@dataclass(frozen=True)
class SocialItem:
    kind: str  # post, special, event, case
    id: str
    path: str  # the content file, e.g. content/blog/botox-myths.md
    title: str
    summary: str
    url: str  # the page on the public site
    campaign: str  # utm_campaign: never a treatment's name (pipeline.social.links)
    networks: tuple[str, ...]
    cta: str
    details: tuple[tuple[str, str], ...] = ()  # (field it comes from, text): the offer, the date, the place
    disclaimer: str = ""
    hashtags: tuple[tuple[str, str], ...] = ()  # (field, "#Tag")
    caption: str | Mapping[str, str] | None = None  # social.caption
    at: dt.datetime | None = None  # social.at, in the practice's time zone
    deadline: dt.datetime | None = None  # a post after this is pointless (offer ends, event starts)
    day: dt.date | None = None  # for ordering
    photo: Photo | None = None
    pair: PairPhotos | None = None
    watermark: WatermarkSpec | None = None
    gbp: Mapping[str, str] = field(default_factory=dict)  # Google Business Profile post type and fields
    locations: tuple[str, ...] = ()  # the clinics it is about (an offer's, an event's); () = every clinic
    consent: str | None = None  # a gallery case's consent id: checked again on the day each post goes out
    lines: Mapping[str, int] = field(default_factory=dict)  # dotted field -> line in the file

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.id}"

    def line_of(self, dotted: str) -> int | None:
        parts = dotted.split(".")
        while parts:
            if ".".join(parts) in self.lines:
                return self.lines[".".join(parts)]
            parts.pop()
        return None


@dataclass(frozen=True)
class Context:
    """What every item needs from the rest of the site, as plain values."""

    config: SocialConfig
    site_url: str
    content_root: Path
    tz: dt.tzinfo
    practice: models.Practice
    procedures: Mapping[str, str] = field(default_factory=dict)  # id -> name
    locations: Mapping[str, str] = field(default_factory=dict)  # id -> name
    watermarks: Mapping[str, WatermarkSpec | None] = field(default_factory=dict)  # WATERMARK kind -> spec
    disclaimer: str = ""  # the gallery's results disclaimer


# -- what may be posted -------------------------------------------------------------------


def skip_reason(kind: str, phase: str, record) -> str | None:
    """Why the item is not posted on the build's day, or None. ``phase`` is its lifecycle phase."""
    if getattr(record, "social", None) is False:
        return "marked social: false"
    if phase == "draft":
        return "a draft"
    allowed = {"post": "published", "special": "current", "event": "upcoming", "case": "published"}[kind]
    if phase != allowed:
        return {
            "scheduled": "not published yet",
            "expired": "the offer has ended",
            "past": "the event is over",
        }.get(phase, f"{phase}, not {allowed}")
    if kind == "event" and record.event_status in ("cancelled", "postponed"):
        return f"the event is {record.event_status}"
    if kind == "case" and record.sensitive and not isinstance(record.social, models.Social):
        return "marked sensitive: add a social: block to post it anyway"
    return None


def case_consent(record: models.GalleryCase, ledger: Ledger, today: dt.date, path: str) -> str | None:
    """Why a case's consent does not allow social media today, or None (an unknown id raises ConsentError)."""
    decision = decide(record.consent, ledger, "social", today, case=path)
    return None if decision.allowed else decision.reason


# -- building items -----------------------------------------------------------------------


def money(value: Decimal, currency: str | None) -> str:
    amount = f"{value:,.2f}".removesuffix(".00")
    symbol = _SYMBOLS.get(currency or "")
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}".strip()


def offer_text(offer: models.Offer) -> str:
    """ "$11 a unit instead of $14", "25% off (regularly $165)", "$50 off (regularly $199)"."""
    regular = money(offer.regular_price, offer.currency)
    if offer.price is not None:
        per = f" a {offer.per}" if offer.per else ""
        return f"{money(offer.price, offer.currency)}{per} instead of {regular}"
    if offer.percent_off is not None:
        return f"{offer.percent_off.normalize():f}% off (regularly {regular})"
    return f"{money(offer.amount_off, offer.currency)} off (regularly {regular})"


def _day_range(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"{first:%B} {first.day}, {first.year}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%B} {first.day}–{last.day}, {last.year}"
    if first.year == last.year:
        return f"{first:%B} {first.day} – {last:%B} {last.day}, {last.year}"
    return f"{first:%B} {first.day}, {first.year} – {last:%B} {last.day}, {last.year}"


def at_clinics(names: list[str]) -> str:
    """ "At our Harbor District clinic.", "At our Harbor District Clinic." (a name that already says
    clinic gets no second one), "At our North and South clinics." """
    says_clinic = [bool(re.search(r"\bclinic\b", name, re.IGNORECASE)) for name in names]
    if not any(says_clinic):
        return "At our " + " and ".join(names) + (" clinics." if len(names) > 1 else " clinic.")
    return (
        "At our "
        + " and ".join(n if named else f"{n} clinic" for n, named in zip(names, says_clinic, strict=False))
        + "."
    )


def _social(record) -> models.Social:
    return record.social if isinstance(record.social, models.Social) else models.Social()


def _photo(image: models.Image | None, social: models.Social, ctx: Context) -> Photo | None:
    if image is None:
        logo = ctx.practice.logo
        return Photo(ctx.content_root / logo.src.lstrip("/"), logo.alt, None, "contain") if logo else None
    focus = social.focus or image.focus
    return Photo(ctx.content_root / image.src.lstrip("/"), image.alt, tuple(focus) if focus else None)


def _common(
    kind: str,
    record,
    ident: str,
    path: str,
    url: str,
    lines: Mapping[str, int],
    ctx: Context,
    day: dt.date | None,
    **fields,
) -> SocialItem:
    social = _social(record)
    at = dates.localize(social.at, ctx.tz) if social.at else None
    tags = [("settings: SOCIAL_HASHTAGS", t) for t in ctx.config.hashtags]
    tags += [
        (f"social.hashtags.{i}", t if t.startswith("#") else f"#{t}") for i, t in enumerate(social.hashtags)
    ]
    return SocialItem(
        kind=kind,
        id=ident,
        path=path,
        url=url,
        lines=dict(lines),
        campaign=social.campaign or campaign_id(kind, ident, day),
        networks=tuple(social.networks) if social.networks else ctx.config.networks,
        cta=ctx.config.cta[kind],
        hashtags=tuple(tags),
        caption=social.caption,
        at=at,
        day=day,
        watermark=ctx.watermarks.get(WATERMARK_KIND[kind]),
        **fields,
    )


def _post(record: models.Post, ident, path, url, lines, ctx: Context) -> SocialItem:
    return _common(
        "post",
        record,
        ident,
        path,
        url,
        lines,
        ctx,
        dates.day_of(record.date, ctx.tz),
        title=record.title,
        summary=record.summary,
        photo=_photo(record.cover, _social(record), ctx),
        gbp={"type": "STANDARD", "action": "LEARN_MORE"},
    )


def _special(record: models.Special, ident, path, url, lines, ctx: Context) -> SocialItem:
    details = [
        ("offer", offer_text(record.offer) + "."),
        ("valid_through", f"Valid {_day_range(record.valid_from, record.valid_through)}."),
    ]
    if record.promo_code:
        details.append(("promo_code", f"Use code {record.promo_code}."))
    if record.locations:
        names = [ctx.locations.get(i, i) for i in record.locations]
        details.append(("locations", at_clinics(names)))
    details.append(("terms", "Terms apply."))
    ends = dates.day_end(record.valid_through, ctx.tz)
    gbp = {
        "type": "OFFER",
        "title": record.title,
        "start": record.valid_from.isoformat(),
        "end": record.valid_through.isoformat(),
        "terms": record.terms,
        "coupon_code": record.promo_code or "",
    }
    return _common(
        "special",
        record,
        ident,
        path,
        url,
        lines,
        ctx,
        record.valid_from,
        title=record.title,
        summary=record.summary,
        details=tuple(details),
        deadline=ends,
        photo=_photo(record.image, _social(record), ctx),
        gbp=gbp,
        locations=tuple(record.locations),
    )


def _event(record: models.Event, ident, path, url, lines, ctx: Context) -> SocialItem:
    start, end = dates.localize(record.start, ctx.tz), dates.localize(record.end, ctx.tz)
    details = [("start", dates.span_text(start, end) + ".")]
    if record.location:
        details.append(("location", at_clinics([ctx.locations.get(record.location, record.location)])))
    elif record.venue is not None:
        details.append(("venue", f"At {record.venue.name}, {record.venue.address.city}."))
    else:
        details.append(("online_url", "Online."))
    gbp = {
        "type": "EVENT",
        "title": record.title,
        "start": dates.iso(start),
        "end": dates.iso(end),
        "action": "SIGN_UP" if record.rsvp else "LEARN_MORE",
    }
    return _common(
        "event",
        record,
        ident,
        path,
        url,
        lines,
        ctx,
        start.date(),
        title=record.title,
        summary=record.summary,
        details=tuple(details),
        deadline=start,
        photo=_photo(record.image, _social(record), ctx),
        gbp=gbp,
        locations=(record.location,) if record.location else (),
    )


def _case(record: models.GalleryCase, ident, path, url, lines, ctx: Context) -> SocialItem:
    procedure = ctx.procedures.get(record.procedure, record.procedure)
    title = record.title or f"{procedure}: {', '.join(record.body_areas)}"
    pair = record.pairs[0]
    before, after = gallery.pair_labels(pair.view, record.time_since_treatment)
    folder = ctx.content_root / "gallery" / ident
    photos = PairPhotos(
        folder / pair.before.src,
        folder / pair.after.src,
        pair.before.label or before,
        pair.after.label or after,
        f"Before and after. Before: {pair.before.alt}. After: {pair.after.alt}",
    )
    details = (
        (
            "procedure",
            f"{procedure}, {gallery.sessions_text(record.sessions)}; "
            f"photos {gallery.after_text(record.time_since_treatment)}.",
        ),
    )
    return _common(
        "case",
        record,
        ident,
        path,
        url,
        lines,
        ctx,
        None,
        title=title,
        summary=record.description,
        details=details,
        disclaimer=ctx.disclaimer or ctx.practice.disclaimer,
        pair=photos,
        gbp={"type": "STANDARD", "action": "LEARN_MORE"},
        consent=record.consent,
    )


BUILDERS: Mapping[str, Callable[..., SocialItem]] = {
    "post": _post,
    "special": _special,
    "event": _event,
    "case": _case,
}


def make_item(
    kind: str, record, ident: str, path: str, url_path: str, lines: Mapping[str, int], ctx: Context
) -> SocialItem:
    """The social item for a validated record; ``url_path`` is its page's path on the site (``blog/x/``)."""
    url = f"{ctx.site_url.rstrip('/')}/{url_path.lstrip('/')}"
    return BUILDERS[kind](record, ident, path, url, lines, ctx)

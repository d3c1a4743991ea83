"""The whole export on plain values: candidates in (every post, special, event and case the build
read, with its phase), a written batch out.

The adapter (``plugins/social_export``) turns Pelican's content into ``Candidate`` values and
passes the settings as a ``SocialConfig``; nothing here reads settings or knows Pelican.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.consent import Ledger
from pipeline.content.errors import Problem
from pipeline.images.cache import ImageCache
from pipeline.sitepolicy.tracking import terms_table
from pipeline.social.export import Batch, left_out, plan_export, read_state, select_new, write_export
from pipeline.social.items import Context, SocialItem, case_consent, make_item, skip_reason
from pipeline.social.links import campaign_problem

logger = logging.getLogger(__name__)

# Phase-based skips (drafts, scheduled posts, expired specials, past events) are expected and not
# listed; these are worth a line on the contact sheet.
_WORTH_LISTING = ("consent", "social: false", "sensitive", "cancelled", "postponed")


@dataclass(frozen=True)
class Candidate:
    kind: str  # post, special, event, case
    id: str
    path: str  # content file, e.g. content/blog/botox-myths.md
    url_path: str  # the page its link goes to, e.g. blog/botox-myths/
    record: object  # the validated model (pipeline.content.models)
    phase: str  # its lifecycle phase on the build's day (pipeline.content.types.PHASES)
    lines: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    folder: Path | None  # None: nothing new to export
    batch: Batch | None
    items: int
    changed: bool = True  # False: the same export was already there, and nothing was written


def collect(
    candidates: Sequence[Candidate],
    ctx: Context,
    *,
    ledger: Ledger | None,
    today: dt.date,
    sensitive_terms: Mapping[str, str] | None = None,
) -> tuple[list[SocialItem], list[tuple[str, str]], list[Problem]]:
    """The items that may be posted today, the notable ones that may not (path, why), and the
    problems of those left out for breaking a rule (a campaign that names a treatment)."""
    items, skipped, problems = [], [], []
    for c in sorted(candidates, key=lambda c: (c.kind, c.id)):
        reason = skip_reason(c.kind, c.phase, c.record)
        if reason is None and c.kind == "case":
            reason = (
                case_consent(c.record, ledger, today, c.path) if ledger is not None else "no consent ledger"
            )
        if reason is not None:
            if any(word in reason for word in _WORTH_LISTING):
                skipped.append((c.path, reason))
            continue
        item = make_item(c.kind, c.record, c.id, c.path, c.url_path, c.lines, ctx)
        social = getattr(c.record, "social", None)
        if sensitive_terms and getattr(social, "campaign", None):
            text = campaign_problem(item.campaign, sensitive_terms)
            if text:
                what, _, fix = text.partition(" — ")
                problems.append(
                    Problem(c.path, "social.campaign", what, fix, item.line_of("social.campaign"))
                )
                continue
        items.append(item)
    return items, skipped, problems


def procedure_terms(procedures: Sequence[Mapping], extra: Sequence[str] = ()) -> dict[str, str]:
    """The tag firewall's sensitive terms (procedures, devices, body areas, conditions) for campaign checks."""
    return terms_table(procedures, extra)


def run_export(
    candidates: Sequence[Candidate],
    ctx: Context,
    *,
    ledger: Ledger | None,
    day: dt.date,
    now: dt.datetime,
    timezone: str,
    root: Path,
    cache: ImageCache | None = None,
    select_all: bool = False,
    sensitive_terms: Mapping[str, str] | None = None,
) -> Result:
    """Select, plan and write one export into ``root/<day>/``. Items that break a rule are left out and
    listed (``Result.batch.problems`` and the contact sheet); the others are exported."""
    items, skipped, problems = collect(
        candidates, ctx, ledger=ledger, today=day, sensitive_terms=sensitive_terms
    )
    skipped = [*skipped, *left_out(problems)]
    state = read_state(root)
    chosen = items if select_all or ctx.config.select == "all" else select_new(items, state, day)
    if not chosen and not problems:
        logger.info(
            "social: nothing new to post since the last export (%d items already exported)", len(items)
        )
        return Result(None, None, 0)
    batch = plan_export(
        chosen,
        config=ctx.config,
        day=day,
        now=now,
        tz=ctx.tz,
        timezone=timezone,
        cache=cache,
        skipped=skipped,
        state=state,
        clinics=tuple(ctx.locations),
        ledger=ledger,
    )
    batch.problems = sorted({*problems, *batch.problems}, key=lambda p: (p.path, p.field))
    for problem in batch.problems:
        logger.warning("social: left out of the export: %s", problem)
    folder, changed = write_export(batch, ctx.config, root)
    if changed:
        logger.info("social: %d posts of %d items written to %s", len(batch.posts), len(chosen), folder)
    return Result(folder, batch, len(chosen), changed)

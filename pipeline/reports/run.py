"""`inv report`: read every source, build the period's report, write its folder in one step.

This is the I/O edge of the reports: files, the inquiry store and the content folder are
read here; everything between is pure (:mod:`pipeline.reports.report`). Long steps show a
rich progress bar on the terminal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import glob
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pipeline.business_hours import Calendar
from pipeline.files import write_folder
from pipeline.inbox.content import calendar_table
from pipeline.reports import emr, ingest
from pipeline.reports.config import ReportConfig
from pipeline.reports.errors import ReportError
from pipeline.reports.normalize import read_table
from pipeline.reports.periods import Period, report_period
from pipeline.reports.records import Catalogue, Special
from pipeline.reports.render import report_files
from pipeline.reports.report import Inputs, Options, Report, period_report

if TYPE_CHECKING:
    from pipeline.reports.daily import Daily

log = logging.getLogger(__name__)
PRIVATE = 0o700  # the folder is its owner's alone: it may hold a lead list


@dataclass(frozen=True)
class Practice:
    name: str = "The practice"
    currency: str = "USD"
    contacts: tuple[str, ...] = ()  # its own phones and emails, as written anywhere


def read_catalogue(content_root: Path) -> Catalogue:
    """Procedures (id -> name) and specials (id, title, promo code) from the content folder."""
    from pipeline.content import frontmatter

    procedures, specials = {}, []
    for path in sorted((content_root / "procedures").glob("*.md")):
        data = frontmatter.split(path.read_text(encoding="utf-8"), path.name).data
        procedures[path.stem] = str(data.get("name") or path.stem)
    for path in sorted((content_root / "specials").glob("*.md")):
        data = frontmatter.split(path.read_text(encoding="utf-8"), path.name).data
        code = data.get("promo_code")
        specials.append(Special(path.stem, str(data.get("title") or path.stem), str(code) if code else None))
    return Catalogue(procedures, specials)


def _glob(root: Path, pattern: str) -> list[Path]:
    path = Path(pattern)
    matches = sorted(glob.glob(str(path if path.is_absolute() else root / path)))
    return [Path(m) for m in matches if Path(m).is_file()]


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


@contextlib.contextmanager
def _no_gc():
    """Pause the cyclic garbage collector while ~10^5 records are built: they form no cycles, and its
    repeated full scans of them doubled the run time (bench/reports_bench.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Progress:
    """A rich progress bar when a console is given; silent otherwise (tests, CI logs)."""

    def __init__(self, console=None):
        self.console = console
        self.bar = None

    def __enter__(self):
        if self.console is not None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def task(self, description: str, total: int | None = None):
        return self.bar.add_task(description, total=total) if self.bar else None

    def advance(self, task, amount: int = 1) -> None:
        if self.bar is not None and task is not None:
            self.bar.advance(task, amount)

    def done(self, task) -> None:
        if self.bar is not None and task is not None:
            state = self.bar.tasks[task]
            total = state.total if state.total is not None else state.completed
            self.bar.update(task, total=total, completed=total)


def gather(
    config: ReportConfig,
    root: Path,
    registry_codes: Iterable[str],
    registry_path: str,
    open_store: Callable | None = None,
    progress: _Progress | None = None,
) -> Inputs:
    """Read every source REPORT_SOURCES names into plain records."""
    progress = progress or _Progress()
    tz = ZoneInfo(config.timezone)
    files: list[str] = []
    notes: list[str] = []
    records = []
    task = progress.task("Reading web inquiries")
    for spec in config.sources["inquiries"]:
        found = 0
        for _, record in ingest.read_inquiry_source(spec, root, open_store):
            records.append(record)
            found += 1
            if found % 500 == 0:
                progress.advance(task, 500)
        progress.advance(task, found % 500)
        files.append(f"{spec} ({found:,} inquiries)")
        if not found and (
            spec.startswith("s3://") or (root / spec).exists() or any(c in spec for c in "*?[")
        ):
            notes.append(f"REPORT_SOURCES['inquiries']: no inquiries in {spec}.")
    leads = ingest.leads_from_records(records, config.attribution, config.phone_region)
    progress.done(task)

    codes = list(registry_codes)
    front_desk = [p for spec in config.sources["front_desk"] for p in _glob(root, spec)]
    task = progress.task("Reading the front-desk log", len(front_desk))
    for path in front_desk:
        shown = _shown(path, root)
        found = ingest.read_front_desk(
            read_table(path, shown), tz, codes, config.phone_region, config.date_order, registry_path
        )
        leads.extend(found)
        files.append(f"{shown} ({len(found):,} inquiries)")
        progress.advance(task)

    fmt = config.format
    exports = [p for spec in config.sources["emr"] for p in _glob(root, spec)]
    conversions, clients = [], []
    task = progress.task(f"Reading {fmt.label} exports", len(exports))
    for path in exports:
        shown = _shown(path, root)
        parsed = emr.read_export(read_table(path, shown), fmt, tz, config.phone_region, config.date_order)
        conversions.extend(parsed.conversions)
        clients.extend(parsed.clients)
        notes.extend(parsed.warnings)
        rows = len(parsed.conversions) or len(parsed.clients)
        files.append(f"{shown} ({rows:,} rows" + (f", {parsed.skipped} skipped)" if parsed.skipped else ")"))
        progress.advance(task)
    for kind, specs in config.sources.items():
        for spec in specs:
            if kind != "inquiries" and not _glob(root, spec):
                notes.append(f"REPORT_SOURCES['{kind}']: nothing matches {spec}.")
    return Inputs(
        leads=leads,
        conversions=emr.dedupe(conversions),
        clients=clients,
        notes=notes,
        files=files,
        rsvps=ingest.rsvps_from_records(records),
    )


def clinic_hours(content_root: Path, timezone: str) -> Calendar:
    """The clinics' opening hours (content/locations/*.md), for speed to lead in business time."""
    try:
        return Calendar.from_table(calendar_table(content_root, timezone))
    except ValueError as exc:
        raise ReportError(f"{Path(content_root) / 'locations'}: {exc}; fix the clinic's hours.") from None


def run_report(
    config: ReportConfig,
    period_kind: str,
    as_of: dt.date | None,
    root: Path,
    content_root: Path,
    practice: Practice,
    partners: list[tuple[str, str, str, str]],
    registry_path: str = "content/partners.yml",
    today: dt.date | None = None,
    open_store: Callable | None = None,
    console=None,
) -> tuple[Path, Report]:
    """Build the report for the period and write ``<INTERNAL_PATH>/reports/<period>-<start>/``."""
    tz = ZoneInfo(config.timezone)
    today = today or dt.datetime.now(tz).date()
    period: Period = report_period(period_kind, today, as_of, config.week_start)
    if period.start > today:
        raise ReportError(
            f"--as-of {as_of} is in the future: a report can only count what has happened; "
            f"use a day up to {today.isoformat()}."
        )
    with _Progress(console) as progress, _no_gc():
        inputs = gather(config, root, [p[0] for p in partners], registry_path, open_store, progress)
        inputs.catalogue = read_catalogue(content_root)
        inputs.partners = partners
        task = progress.task("Matching inquiries to bookings and sales", 1)
        options = Options(
            tz_name=config.timezone,
            window_days=config.window_days,
            attribution=config.attribution,
            currency=config.currency or practice.currency,
            conversion_names=config.conversion_names,
            lead_list=config.lead_list,
            ignore_contacts=practice.contacts,
            calendar=clinic_hours(content_root, config.timezone),
        )
        report = period_report(inputs, period, options, practice.name)
        progress.advance(task)
        steps = ("tables", "charts", "html", "pdf")
        task = progress.task("Writing charts, tables, HTML and PDF", len(steps))
        files = report_files(report, step=lambda name: progress.advance(task) if name != "tables" else None)
        progress.done(task)
    target = Path(root) / config.internal_path / "reports" / period.slug
    write_folder(target, files, mode=PRIVATE)
    log.info("reports: wrote %d files to %s", len(files), target)
    return target, report


def normalized_contacts(emails: Iterable[str], phones: Iterable[str], region: str = "US") -> tuple[str, ...]:
    """The practice's own contacts, normalized like everyone's (so they never join two people)."""
    from pipeline.reports.normalize import normalize_email, normalize_phone

    found = {normalize_email(e) for e in emails} | {normalize_phone(p, region) for p in phones}
    return tuple(sorted(c for c in found if c))


def report_from_settings(
    settings: dict,
    period: str,
    as_of: str | None,
    root: Path,
    contacts: dict | None = None,
    console=None,
    open_store: Callable | None = None,
    today: dt.date | None = None,
) -> tuple[Path, Report]:
    """`inv report`: settings (a plain mapping) in; the report folder and the report out."""
    from pipeline import partners as partner_registry
    from pipeline.reports.config import load_config
    from pipeline.reports.periods import parse_day

    config = load_config(settings)
    content_root = Path(settings.get("PATH") or root / "content")
    path, shown = partner_registry.registry_path(settings)
    registry = partner_registry.load_registry(path, shown)  # a PartnerError names the registry's problems
    practice_data = partner_registry.read_practice(content_root)
    contacts = contacts or {}
    practice = Practice(
        practice_data["name"],
        practice_data["currency"],
        normalized_contacts(contacts.get("emails", ()), contacts.get("phones", ()), config.phone_region),
    )
    partners = [(p.code, p.name, p.kind_label, p.status) for p in registry.partners]
    folder, report = run_report(
        config,
        period,
        parse_day(as_of),
        Path(root),
        content_root,
        practice,
        partners,
        shown,
        today=today,
        open_store=open_store,
        console=console,
    )
    return folder, report


def daily_from_settings(
    settings: Mapping,
    as_of: str | dt.date | None,
    root: Path,
    console=None,
    open_store: Callable | None = None,
    now: dt.datetime | None = None,
    ses_client=None,
) -> tuple[Path, Daily, bool | None]:
    """`inv report --period day`: the day's page (default today), and its email when configured.

    Returns the folder, the report, and whether the email went out (None: none configured)."""
    from pipeline import partners as partner_registry
    from pipeline.inbox.content import read_events
    from pipeline.reports import daily
    from pipeline.reports.config import load_config
    from pipeline.reports.periods import parse_day

    config = load_config(settings)
    tz = ZoneInfo(config.timezone)
    now = now or dt.datetime.now(tz)
    day = parse_day(as_of) or now.astimezone(tz).date()
    if day > now.astimezone(tz).date():
        raise ReportError(f"--as-of {day} is in the future: a day report can only count what has happened.")
    content_root = Path(settings.get("PATH") or root / "content")
    path, shown = partner_registry.registry_path(settings)
    registry = partner_registry.load_registry(path, shown)
    practice = partner_registry.read_practice(content_root)
    calendar = clinic_hours(content_root, config.timezone)
    with _Progress(console) as progress:
        inputs = gather(config, root, [p.code for p in registry.partners], shown, open_store, progress)
    events = {e.id: e.title for e in read_events(content_root, tz).values()}
    report = daily.daily_report(
        practice["name"],
        day,
        now,
        tz,
        calendar,
        inputs.leads,
        inputs.conversions,
        inputs.rsvps,
        {p.code: p.name for p in registry.partners},
        events,
        config.currency or practice["currency"],
    )
    target = daily.folder_for(root, config.internal_path, day)
    write_folder(target, daily.daily_files(report), mode=PRIVATE)
    sent = None
    if config.daily_email:
        from pipeline.inquiry.notify import SesNotifier

        if ses_client is None:
            import boto3

            ses_client = boto3.client("ses")
        notifier = SesNotifier(ses_client, config.daily_email, config.daily_email, str(target))
        sent = daily.send_summary(
            report, lambda subject, body: notifier.send_text(subject, body, "day report")
        )
    return target, report, sent


def events_from_settings(
    settings: Mapping,
    root: Path,
    console=None,
    open_store: Callable | None = None,
    now: dt.datetime | None = None,
) -> tuple[Path, list]:
    """`inv report --period events`: every past event's replies, guests and what they became."""
    from pipeline import partners as partner_registry
    from pipeline.inbox.content import read_events
    from pipeline.reports import event_report
    from pipeline.reports.config import load_config

    config = load_config(settings)
    tz = ZoneInfo(config.timezone)
    now = now or dt.datetime.now(tz)
    content_root = Path(settings.get("PATH") or root / "content")
    path, shown = partner_registry.registry_path(settings)
    registry = partner_registry.load_registry(path, shown)
    with _Progress(console) as progress:
        inputs = gather(config, root, [p.code for p in registry.partners], shown, open_store, progress)
    events = {e.id: (e.title, e.start) for e in read_events(content_root, tz).values()}
    rows = event_report.event_rows(events, inputs.rsvps, inputs.leads, inputs.conversions, now)
    target = Path(root) / config.internal_path / "reports" / "events"
    practice = partner_registry.read_practice(content_root)["name"]
    write_folder(target, event_report.event_files(practice, rows, tz), mode=PRIVATE)
    return target, rows


def treated_referrals(
    settings: Mapping, root: Path, today: dt.date, open_store: Callable | None = None
) -> dict[str, int]:
    """Partner code -> people referred by it (its code on their inquiry) who were treated from the
    first of ``today``'s month to ``today``, by the practice software's export."""
    from pipeline import partners as partner_registry
    from pipeline.reports import analysis
    from pipeline.reports.config import load_config
    from pipeline.reports.periods import Period

    config = load_config(settings)
    tz = ZoneInfo(config.timezone)
    path, shown = partner_registry.registry_path(settings)
    registry = partner_registry.load_registry(path, shown)
    with _Progress(None) as progress:
        inputs = gather(config, root, [p.code for p in registry.partners], shown, open_store, progress)
    leads, conversions = list(inputs.leads), list(inputs.conversions)
    lead_people, conv_people = analysis.link_people(leads, conversions, inputs.clients, ())
    start = today.replace(day=1)
    month = Period("month", start, today, today)
    found = analysis.attribute(
        leads, lead_people, conversions, conv_people, config.window_days, analysis.cutoff_for(month, tz)
    )
    people: dict[str, set[str]] = {}
    for lead, person, outcome in zip(leads, lead_people, found.outcomes, strict=True):
        if lead.partner and outcome.treated and start <= outcome.treated_at.astimezone(tz).date() <= today:
            people.setdefault(lead.partner, set()).add(person)
    return {code: len(who) for code, who in sorted(people.items())}

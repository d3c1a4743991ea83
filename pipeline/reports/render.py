"""A report's files: CSV tables, charts, the HTML report, the PDF, and the Google Ads upload.

:func:`report_tables` is the one description of every table: the CSV files, the HTML and
the PDF all render from it. :func:`report_files` returns every file as bytes by relative
path; the caller writes them in one step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from pipeline.files import csv_bytes
from pipeline.reports import analysis, charts
from pipeline.reports.report import Report, change

ADS_FILE = "google-ads-offline-conversions.csv"
# Google Ads Help, "Import conversions from ad clicks into Google Ads using files (legacy)": this
# header, exactly; its one click-id column is the GCLID.
ADS_HEADER = (
    "Google Click ID",
    "Conversion Name",
    "Conversion Time",
    "Conversion Value",
    "Conversion Currency",
)
# A click from iOS can carry only a GBRAID or WBRAID. The file upload has no column for them; the
# Google Ads API takes them (ClickConversion.gbraid / .wbraid, "Upload click conversions": exactly
# one of gclid, gbraid, wbraid per conversion). This file holds those conversions under the API's
# own field names, for an uploader that uses the API.
ADS_IOS_FILE = "google-ads-ios-click-conversions.csv"
ADS_IOS_HEADER = (
    "gbraid",
    "wbraid",
    "conversion_action",
    "conversion_date_time",
    "conversion_value",
    "currency_code",
)
LEAD_LIST_FILE = "INTERNAL-lead-list-PERSONAL-DATA.csv"
_GCLID = re.compile(r"^[A-Za-z0-9_-]{10,200}$")
HTML_ROWS = 15  # rows per table in the HTML and PDF; the CSV has them all
YES_NO = ("yes", "no")  # how the CSV tables write true and false


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "int"  # text | int | pct | money | change


@dataclass
class Table:
    key: str  # file name stem: tables/<key>.csv
    title: str
    columns: list[Column]
    rows: list[list]
    note: str = ""


def _metric_columns(prefix: str = "") -> list[Column]:
    return [
        Column(f"{prefix}Inquiries"),
        Column(f"{prefix}Booked"),
        Column(f"{prefix}Treated"),
        Column(f"{prefix}Conversion rate", "pct"),
        Column(f"{prefix}Revenue", "money"),
    ]


def _metric_values(m: analysis.Metrics) -> list:
    return [m.inquiries, m.booked, m.treated, m.conversion_rate, m.revenue]


def report_tables(report: Report) -> list[Table]:
    now, before = report.now, report.before
    summary = Table(
        "summary",
        "Summary",
        [
            Column("Measure", "text"),
            Column("This period", "any"),
            Column("Previous period", "any"),
            Column("Change", "change"),
        ],
        [],
    )
    for label, a, b, kind in (
        ("Inquiries", now.inquiries, before.inquiries, "int"),
        ("Consults booked", now.booked, before.booked, "int"),
        ("Treated", now.treated, before.treated, "int"),
        ("Booking rate", now.booking_rate, before.booking_rate, "pct"),
        ("Conversion rate (treated / inquiries)", now.conversion_rate, before.conversion_rate, "pct"),
        ("Revenue", now.revenue, before.revenue, "money"),
        ("Revenue per inquiry", now.revenue_per_inquiry, before.revenue_per_inquiry, "money"),
    ):
        summary.rows.append([label, (a, kind), (b, kind), change(a or 0, b or 0)])
    tables = [summary]
    labels, series = report.over_time
    over = Table(
        "over-time",
        "Inquiries over time by channel",
        [Column("Period", "text"), *(Column(c) for c in series), Column("Total")],
        [],
    )
    for index, label in enumerate(labels):
        counts = [series[c][index] for c in series]
        over.rows.append([label, *counts, sum(counts)])
    tables.append(over)
    for key, (title, heading, _) in analysis.DIMENSIONS.items():
        rows = report.tables[key]
        tables.append(
            Table(
                f"by-{key}",
                title,
                [
                    Column(heading, "text"),
                    *_metric_columns(),
                    Column("Revenue per inquiry", "money"),
                    Column("Previous inquiries"),
                    Column("Previous treated"),
                    Column("Previous revenue", "money"),
                    Column("Change in inquiries", "change"),
                ],
                [
                    [
                        r.value,
                        *_metric_values(r.now),
                        r.now.revenue_per_inquiry,
                        r.before.inquiries,
                        r.before.treated,
                        r.before.revenue,
                        r.change,
                    ]
                    for r in rows
                ],
            )
        )
    board = Table(
        "partner-leaderboard",
        "Partner leaderboard",
        [
            Column("Rank"),
            Column("Partner", "text"),
            Column("Kind", "text"),
            *_metric_columns(),
            Column("Previous inquiries"),
            Column("Previous treated"),
            Column("Previous revenue", "money"),
        ],
        [
            [
                rank,
                r.name,
                r.kind,
                *_metric_values(r.now),
                r.before.inquiries,
                r.before.treated,
                r.before.revenue,
            ]
            for rank, r in enumerate(report.leaderboard, start=1)
        ],
        note="Active partners from the registry, and any partner code seen in this or the previous period.",
    )
    tables.append(board)
    tables.extend(_speed_tables(report))
    return tables


def _speed_tables(report: Report) -> list[Table]:
    """Like-with-like conversion, the funnel with the inbox's statuses, speed to lead."""
    days = report.options.cohort_days
    tables = [
        Table(
            "like-with-like",
            f"Conversion, like with like: within {days} days of the inquiry",
            [
                Column("Inquiries of", "text"),
                Column("Inquiries"),
                Column(f"At least {days} days old"),
                Column(f"Booked within {days} days"),
                Column(f"Treated within {days} days"),
                Column("Booking rate", "pct"),
                Column("Conversion rate", "pct"),
                Column("Figures", "text"),
            ],
            [
                [
                    c.label,
                    c.inquiries,
                    c.mature,
                    c.booked,
                    c.treated,
                    c.booking_rate,
                    c.conversion_rate,
                    f"maturing ({c.inquiries - c.mature:,} younger left out)" if c.maturing else "complete",
                ]
                for c in report.cohorts
            ],
            note=f"Only inquiries at least {days} days old on the last day, and what each became within "
            f"{days} days, so a recent period is not compared with an older one that had longer to convert.",
        )
    ]
    if report.funnel is not None:
        f = report.funnel
        stages = (
            ("Inquiries", f.inquiries),
            ("Contacted", f.contacted),
            ("Consultation booked", f.booked),
            ("Treated", f.treated),
        )
        tables.append(
            Table(
                "funnel",
                "Funnel: inquiry, contacted, booked, treated",
                [Column("Stage", "text"), Column("People"), Column("Share of inquiries", "pct")],
                [[name, n, n / f.inquiries if f.inquiries else None] for name, n in stages],
                note="Contacted and booked from the inbox's statuses or the practice software, whichever "
                "says so (the front desk's inquiries are contacted as they arrive).",
            )
        )
    for key, heading in (("channel", "Channel"), ("location", "Clinic")):
        if key not in report.speed:
            continue
        total, rows = report.speed[key]
        tables.append(
            Table(
                f"speed-by-{key}",
                f"Speed to lead by {heading.lower()}",
                [
                    Column(heading, "text"),
                    Column("Website inquiries"),
                    Column("Answered"),
                    Column("Median business minutes to first contact", "any"),
                    Column("Within 5 minutes", "pct"),
                    Column("Within 1 hour", "pct"),
                    Column("Within 1 business day", "pct"),
                ],
                [
                    [
                        r.value,
                        r.inquiries,
                        r.answered,
                        round(r.median_minutes, 1) if r.median_minutes is not None else ("not yet", "text"),
                        *r.within,
                    ]
                    for r in (total, *rows)
                ],
                note="Time from the inquiry to its first call, email or text recorded in the inbox, counting "
                "only the clinics' opening hours; an unanswered inquiry counts as not within any limit.",
            )
        )
    return tables


# --- formatting -------------------------------------------------------------------------------


def display(value, kind: str, currency: str) -> str:
    if isinstance(value, tuple):
        value, kind = value
    if value is None:
        return "—"
    if kind == "pct":
        return f"{value:.1%}"
    if kind == "money":
        return charts.money(value, currency)
    if kind == "change":
        return f"{value:+.0%}".replace("-", "−")
    if kind == "int":
        return f"{value:,}"
    return str(value)


def _csv_value(value, kind: str):
    if isinstance(value, tuple):
        value, kind = value
    if value is None:
        return ""
    if kind in ("pct", "change"):
        return f"{value * 100:.1f}"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def table_csv(table: Table) -> bytes:
    header = [c.name + (" (%)" if c.kind in ("pct", "change") else "") for c in table.columns]
    rows = [[_csv_value(v, c.kind) for v, c in zip(row, table.columns, strict=False)] for row in table.rows]
    return csv_bytes(header, rows, booleans=YES_NO)


def ads_ios_csv(report: Report) -> bytes | None:
    """The GBRAID/WBRAID conversions (one id per row, never both), or None when there are none."""
    rows = [
        [
            a.gclid if a.kind == "gbraid" else "",
            a.gclid if a.kind == "wbraid" else "",
            a.name,
            a.zoned,
            a.value,
            a.currency,
        ]
        for a in report.ads
        if a.kind != "gclid" and _GCLID.match(a.gclid)
    ]
    if not rows:
        return None
    # Written without the formula guard, as the GCLID file: a click id must reach Google as received.
    return csv_bytes(ADS_IOS_HEADER, rows, guard=False)


def ads_csv(report: Report) -> bytes:
    rows = [
        [a.gclid, a.name, a.time, a.value, a.currency]
        for a in report.ads
        if a.kind == "gclid" and _GCLID.match(a.gclid)
    ]
    # Written without the formula guard: a click id must reach Google exactly as received.
    return csv_bytes(
        ADS_HEADER, rows, preamble=[f"Parameters:TimeZone={report.options.tz_name}"], guard=False
    )


def lead_list_csv(report: Report) -> bytes:
    rows = report.lead_list or []
    header = [
        "received",
        "origin",
        "channel",
        "source",
        "campaign",
        "partner",
        "procedure",
        "name",
        "email",
        "phone",
        "inquiries",
        "booked",
        "treated",
        "revenue",
    ]
    return csv_bytes(header, ([row[h] for h in header] for row in rows), booleans=YES_NO)


# --- charts -----------------------------------------------------------------------------------

CHARTS = {  # file stem -> alt text
    "funnel": "Funnel: inquiries, consults booked and patients treated, this period and the previous one",
    "over-time": "Inquiries per {bucket} in the period, stacked by channel",
    "by-source": "Inquiries, treated patients, conversion rate and revenue by source",
    "by-campaign": "Inquiries, treated patients, conversion rate and revenue by campaign",
    "by-procedure": "Inquiries, treated patients, conversion rate and revenue by procedure asked about",
    "by-special": "Inquiries, treated patients, conversion rate and revenue by special",
    "by-landing-page": "Inquiries, treated patients, conversion rate and revenue by landing page",
    "partners": "Partner leaderboard: inquiries, treated patients and revenue per referral partner",
}


def chart_figures(report: Report) -> dict[str, object]:
    currency = report.options.currency
    labels, series = report.over_time
    figures = {
        "funnel": charts.standalone("funnel", report.now, report.before, currency, "Funnel"),
        "over-time": charts.standalone("over-time", labels, series, "Inquiries over time by channel"),
    }
    for key in ("source", "campaign", "procedure", "special", "landing-page"):
        title, heading, _ = analysis.DIMENSIONS[key]
        figures[f"by-{key}"] = charts.standalone("breakdown", report.tables[key], heading, currency, title)
    figures["partners"] = charts.standalone(
        "leaderboard", report.leaderboard, currency, "Partner leaderboard"
    )
    return figures


# --- HTML and PDF ----------------------------------------------------------------------------

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def report_html(report: Report, tables: list[Table], chart_sizes: dict[str, tuple[int, int]]) -> bytes:
    currency = report.options.currency
    by_key = {t.key: t for t in tables}
    bucket = "week" if report.period.kind == "quarter" else "day"
    html = _ENV.get_template("report.html").render(
        report=report,
        tables=by_key,
        charts={k: (v.format(bucket=bucket), chart_sizes[k]) for k, v in CHARTS.items()},
        fmt=lambda value, kind="any": display(value, kind, currency),
        money=lambda v: charts.money(v, currency),
        pct=lambda v: display(v, "pct", currency),
        chg=lambda v: display(v, "change", currency),
        points=lambda v: f"{v * 100:+.1f} pts".replace("-", "−"),
        rows=HTML_ROWS,
        ads_file=ADS_FILE,
        ads_ios_file=ADS_IOS_FILE,
        lead_list_file=LEAD_LIST_FILE,
        Markup=Markup,
        dimensions=[(f"by-{k}", v[0]) for k, v in analysis.DIMENSIONS.items()],
    )
    return html.encode("utf-8")


def report_files(report: Report, step: Callable[[str], None] = lambda name: None) -> dict[str, bytes]:
    """Every file of the report folder by relative path."""
    from pipeline.reports import pdf

    files: dict[str, bytes] = {}
    step("tables")
    tables = report_tables(report)
    for table in tables:
        files[f"tables/{table.key}.csv"] = table_csv(table)
    files[ADS_FILE] = ads_csv(report)
    ios = ads_ios_csv(report)
    if ios is not None:
        files[ADS_IOS_FILE] = ios
    if report.lead_list is not None:
        files[LEAD_LIST_FILE] = lead_list_csv(report)
    step("charts")
    figures = chart_figures(report)
    sizes = {}
    for name, fig in figures.items():
        rendered = charts.render(fig)
        files[f"charts/{name}.svg"] = rendered["svg"]
        files[f"charts/{name}.png"] = rendered["png"]
        width, height = fig.get_size_inches()
        sizes[name] = (int(width * 100), int(height * 100))
    step("html")
    files["report.html"] = report_html(report, tables, sizes)
    step("pdf")
    files["report.pdf"] = pdf.report_pdf(report, tables)
    return files


def text_summary(report: Report) -> str:
    """The few lines `inv report` prints."""
    now, before = report.now, report.before
    currency = report.options.currency

    def delta(a, b) -> str:
        value = change(a, b)
        return f" ({display(value, 'change', currency)})" if value is not None else ""

    best = next((r for r in report.leaderboard if r.now.inquiries), None)
    top_channel = next(iter(report.tables["channel"]), None)
    lines = [
        f"{report.period.label}",
        f"  Inquiries {now.inquiries:,}{delta(now.inquiries, before.inquiries)} · booked {now.booked:,} · "
        f"treated {now.treated:,} · conversion {display(now.conversion_rate, 'pct', currency)} · "
        f"revenue {charts.money(now.revenue, currency)}{delta(now.revenue, before.revenue)}",
    ]
    if top_channel:
        lines.append(f"  Top channel: {top_channel.value} ({top_channel.now.inquiries:,} inquiries)")
    if best:
        lines.append(
            f"  Top partner: {best.name} ({best.now.inquiries} inquiries, {best.now.treated} treated)"
        )
    if report.duplicates:
        lines.append(f"  {report.duplicates:,} repeat inquiries from the same people were counted once.")
    ios = sum(1 for a in report.ads if a.kind != "gclid")
    lines.append(
        f"  Google Ads offline conversions: {len(report.ads) - ios:,}"
        + (f" (and {ios:,} from iOS clicks, for the Google Ads API: {ADS_IOS_FILE})" if ios else "")
    )
    lines += [f"  Note: {note}" for note in report.notes]
    return "\n".join(lines)

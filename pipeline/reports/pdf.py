"""The executive PDF: landscape US Letter pages, each a chart and its table (matplotlib PdfPages)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from pipeline.reports import analysis, charts
from pipeline.reports.render import Table, display
from pipeline.reports.report import Report

PAGE = (11, 8.5)  # landscape US Letter, inches
# The PDF keeps the columns that fit a page: value, the funnel, revenue, previous, change.
PDF_ROWS = 12  # what fits under a chart; the CSV has every row
PDF_COLUMNS = (
    "Inquiries",
    "Booked",
    "Treated",
    "Conversion rate",
    "Revenue",
    "Previous inquiries",
    "Change in inquiries",
)


def _page(title: str, report: Report) -> tuple[Figure, object]:
    fig = Figure(figsize=PAGE, dpi=100)
    fig.text(0.05, 0.955, title, fontsize=16, fontweight="bold", color="#143938")
    fig.text(
        0.05,
        0.925,
        f"{report.practice} · {report.period.label} · internal, aggregated figures",
        fontsize=9,
        color=charts.MUTED,
    )
    return fig, fig.add_gridspec(
        2,
        2,
        left=0.22,
        right=0.96,
        top=0.88,
        bottom=0.05,
        hspace=0.3,
        height_ratios=[1, 1.1],
        width_ratios=[3, 2],
    )


def _table(
    ax, table: Table, currency: str, keep: tuple[str, ...] | None = None, limit: int = PDF_ROWS
) -> None:
    ax.set_axis_off()
    indexes = [0] + [i for i, c in enumerate(table.columns) if i and (keep is None or c.name in keep)]
    header = [table.columns[i].name for i in indexes]
    body = [[display(row[i], table.columns[i].kind, currency) for i in indexes] for row in table.rows[:limit]]
    if not body:
        ax.text(0, 0.9, "Nothing in this period.", color=charts.MUTED, transform=ax.transAxes)
        return
    body = [[cell if len(cell) <= 40 else cell[:39] + "…" for cell in row] for row in body]
    drawn = ax.table(
        cellText=body, colLabels=header, loc="upper left", cellLoc="right", colLoc="right", edges="horizontal"
    )
    drawn.auto_set_font_size(False)
    drawn.set_fontsize(8)
    drawn.scale(1, 1.25)
    drawn.auto_set_column_width(list(range(len(header))))
    for (row, col), cell in drawn.get_celld().items():
        cell.set_edgecolor(charts.GRID)
        if col == 0:
            cell.set_text_props(ha="left")
            cell._loc = "left"
        if row == 0:
            cell.set_text_props(fontweight="bold", color=charts.INK)
            cell.set_facecolor("#efe6da")
    if len(table.rows) > limit:
        ax.text(
            0,
            -0.02,
            f"Top {limit} of {len(table.rows)}; every row is in tables/{table.key}.csv.",
            fontsize=7,
            color=charts.MUTED,
            transform=ax.transAxes,
            va="top",
        )


def report_pdf(report: Report, tables: list[Table]) -> bytes:
    currency = report.options.currency
    by_key = {t.key: t for t in tables}
    buffer = io.BytesIO()
    with matplotlib.rc_context(charts.STYLE), PdfPages(buffer, metadata=charts.NO_STAMP["pdf"]) as pdf:
        fig, grid = _page(f"Inquiries and conversions: {report.period.name}", report)
        charts.draw_funnel(fig.add_subplot(grid[0, :]), report.now, report.before, currency, "Funnel")
        _table(fig.add_subplot(grid[1, :]), by_key["summary"], currency)
        pdf.savefig(fig)

        labels, series = report.over_time
        fig, grid = _page("Inquiries over time by channel", report)
        charts.draw_over_time(fig.add_subplot(grid[0, :]), labels, series, "Inquiries over time by channel")
        _table(fig.add_subplot(grid[1, :]), by_key["by-channel"], currency, PDF_COLUMNS)
        pdf.savefig(fig)

        for key in ("source", "campaign", "landing-page", "procedure", "special"):
            title, heading, _ = analysis.DIMENSIONS[key]
            fig, grid = _page(title, report)
            charts.draw_breakdown(
                fig.add_subplot(grid[0, 0]),
                fig.add_subplot(grid[0, 1]),
                report.tables[key],
                heading,
                currency,
                title,
            )
            _table(fig.add_subplot(grid[1, :]), by_key[f"by-{key}"], currency, PDF_COLUMNS)
            pdf.savefig(fig)

        fig, grid = _page("Referral partners", report)
        charts.draw_leaderboard(
            fig.add_subplot(grid[0, :]), report.leaderboard, currency, "Partner leaderboard"
        )
        _table(
            fig.add_subplot(grid[1, :]),
            by_key["partner-leaderboard"],
            currency,
            (
                "Partner",
                "Kind",
                "Inquiries",
                "Booked",
                "Treated",
                "Conversion rate",
                "Revenue",
                "Previous inquiries",
            ),
        )
        pdf.savefig(fig)

        fig, grid = _page("Like with like, and speed to lead", report)
        _table(fig.add_subplot(grid[0, :]), by_key["like-with-like"], currency)
        if "speed-by-channel" in by_key:
            _table(fig.add_subplot(grid[1, :]), by_key["speed-by-channel"], currency)
        pdf.savefig(fig)
    return buffer.getvalue()

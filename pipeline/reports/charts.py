"""The report's charts, drawn with matplotlib's Agg backend and written byte-for-byte the same.

Each ``draw_*`` function draws into an Axes, so one drawing serves the standalone SVG/PNG
files and the PDF's pages. No file carries a date or software stamp (the SVG ``Date``, the
PNG ``Software`` text, the PDF dates), and the SVG ids come from a fixed salt, so the same
report renders to the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pipeline.reports import channels
from pipeline.reports.analysis import LeaderRow, Metrics, Row

INK, MUTED, GRID = "#18232b", "#4f5a61", "#e0d3c2"
TEAL, ROSE, SAND = "#1d4f4e", "#8e5647", "#c79a86"
# One colour per channel, the same in every chart and report (colour-blind-safe order first).
PALETTE = [
    "#1d4f4e",
    "#c26a3d",
    "#3f7cac",
    "#8e5647",
    "#6a9f58",
    "#b8a03a",
    "#7d5ba6",
    "#3aa6a0",
    "#c94f6d",
    "#5b6770",
    "#a7b1b7",
    "#2f4858",
    "#e09f3e",
    "#9e2a2b",
    "#556b2f",
    "#b5838d",
]
CHANNEL_COLOURS = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(channels.ORDER)}
STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs on every machine
    "font.size": 9,
    "axes.edgecolor": GRID,
    "axes.labelcolor": MUTED,
    "axes.titlecolor": INK,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "svg.hashsalt": "practice-report",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": True,
    "text.parse_math": False,  # "$" is money here, not mathtext
}
NO_STAMP = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    # Keywords: the publish guard refuses a PDF that carries them (a report copied into the site).
    "pdf": {
        "CreationDate": None,
        "ModDate": None,
        "Producer": None,
        "Creator": None,
        "Keywords": "artefact=internal",
    },
}


PLACEHOLDERS = frozenset(
    {"(none)", "(no special)", "(not stated)", "(other)", "(direct)", "(offline)", "(unknown)"}
)


def colour(channel: str) -> str:
    return CHANNEL_COLOURS.get(channel, PALETTE[sum(map(ord, channel)) % len(PALETTE)])


def money(value, currency: str = "USD", compact: bool = False) -> str:
    symbol = {"USD": "$", "CAD": "$", "AUD": "$", "EUR": "€", "GBP": "£"}.get(currency, "")
    number = float(value)
    if compact and abs(number) >= 1000:
        amount = f"{number / 1000:,.0f}k" if abs(number) >= 10000 else f"{number / 1000:,.1f}k"
    else:
        amount = f"{number:,.0f}"
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"


def _clean(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="both", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", color=MUTED, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- drawings -----------------------------------------------------------------------------------


def draw_over_time(ax, labels: Sequence[str], series: dict[str, list[int]], title: str) -> None:
    """Inquiries per day (or week) stacked by channel."""
    ax.set_title(title)
    if not series:
        _empty(ax, "No inquiries in this period")
        return
    positions = list(range(len(labels)))
    bottom = [0] * len(labels)
    for channel, counts in series.items():
        ax.bar(positions, counts, bottom=bottom, color=colour(channel), label=channel, width=0.8, linewidth=0)
        bottom = [b + c for b, c in zip(bottom, counts, strict=False)]
    step = -(-len(labels) // 8)  # at most 8 labels: they never overlap
    ax.set_xticks(positions[::step], [labels[i] for i in positions[::step]])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("Inquiries")
    _clean(ax)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)


def draw_funnel(ax, now: Metrics, before: Metrics, currency: str, title: str) -> None:
    """Inquiry -> consult booked -> treated, this period against the previous one."""
    stages = ["Inquiries", "Consult booked", "Treated"]
    current = [now.inquiries, now.booked, now.treated]
    previous = [before.inquiries, before.booked, before.treated]
    ax.set_title(
        f"{title}  ·  revenue {money(now.revenue, currency)} (before: {money(before.revenue, currency)})"
    )
    y = list(range(len(stages)))[::-1]
    ax.barh([v + 0.2 for v in y], current, height=0.38, color=TEAL, label="This period")
    ax.barh([v - 0.2 for v in y], previous, height=0.38, color=SAND, label="Previous period")
    top = max(current + previous + [1])
    for v, count in zip(y, current, strict=False):
        share = f" ({count / now.inquiries:.0%})" if now.inquiries and count != now.inquiries else ""
        ax.text(count + top * 0.01, v + 0.2, f"{count:,}{share}", va="center", color=INK, fontsize=9)
    for v, count in zip(y, previous, strict=False):
        ax.text(count + top * 0.01, v - 0.2, f"{count:,}", va="center", color=MUTED, fontsize=8)
    ax.set_yticks(y, stages)
    ax.set_xlim(0, top * 1.25)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _clean(ax)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", frameon=False, fontsize=8)


def draw_breakdown(
    ax_count, ax_revenue, rows: Sequence[Row], heading: str, currency: str, title: str, limit: int = 8
) -> None:
    """Inquiries and treated patients (with the conversion rate), and revenue, per value.

    Placeholders such as "(none)" stay in the tables but would dwarf every real value here.
    """
    shown = [r for r in rows if r.now.inquiries and r.value not in PLACEHOLDERS][:limit]
    ax_count.set_title(title)
    if not shown:
        _empty(ax_count, "No inquiries in this period")
        ax_revenue.set_axis_off()
        return
    labels = [_short(r.value) for r in shown][::-1]
    inquiries = [r.now.inquiries for r in shown][::-1]
    treated = [r.now.treated for r in shown][::-1]
    y = list(range(len(shown)))
    ax_count.barh(y, inquiries, color=SAND, height=0.7, label="Inquiries")
    ax_count.barh(y, treated, color=TEAL, height=0.45, label="Treated")
    top = max(inquiries + [1])
    for v, row in zip(y, shown[::-1], strict=False):
        rate = row.now.conversion_rate
        ax_count.text(
            row.now.inquiries + top * 0.02,
            v,
            f"{rate:.0%}" if rate is not None else "",
            va="center",
            fontsize=8,
            color=INK,
        )
    ax_count.set_yticks(y, labels)
    ax_count.set_xlim(0, top * 1.22)
    ax_count.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_count.set_xlabel(f"Inquiries and treated (conversion rate) by {heading.lower()}")
    ax_count.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False, fontsize=8)
    _clean(ax_count)
    ax_count.grid(axis="y", visible=False)
    revenue = [float(r.now.revenue) for r in shown][::-1]
    ax_revenue.barh(y, revenue, color=ROSE, height=0.6)
    ax_revenue.set_yticks(y, [""] * len(y))
    ax_revenue.xaxis.set_major_locator(MaxNLocator(4))
    ax_revenue.xaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v, currency, compact=True)))
    ax_revenue.set_xlabel("Revenue")
    _clean(ax_revenue)
    ax_revenue.grid(axis="y", visible=False)


def draw_leaderboard(ax, rows: Sequence[LeaderRow], currency: str, title: str, limit: int = 10) -> None:
    ax.set_title(title)
    shown = [r for r in rows if r.now.inquiries or r.before.inquiries][:limit]
    if not shown:
        _empty(ax, "No referrals from partners in this period")
        return
    y = list(range(len(shown)))[::-1]
    ax.barh(
        [v + 0.18 for v in y], [r.now.inquiries for r in shown], height=0.34, color=SAND, label="Inquiries"
    )
    ax.barh([v - 0.18 for v in y], [r.now.treated for r in shown], height=0.34, color=TEAL, label="Treated")
    top = max([r.now.inquiries for r in shown] + [1])
    for v, row in zip(y, shown, strict=False):
        ax.text(
            row.now.inquiries + top * 0.02,
            v + 0.18,
            money(row.now.revenue, currency),
            va="center",
            fontsize=8,
            color=INK,
        )
    ax.set_yticks(y, [_short(r.name, 34) for r in shown])
    ax.set_xlim(0, top * 1.3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    _clean(ax)
    ax.grid(axis="y", visible=False)


# --- standalone files -------------------------------------------------------------------------


def render(fig: Figure) -> dict[str, bytes]:
    """The figure as SVG and PNG, with no date or software stamp."""
    out = {}
    with matplotlib.rc_context(STYLE):
        for fmt, dpi in (("svg", None), ("png", 150)):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata=NO_STAMP[fmt], dpi=dpi, facecolor="white")
            out[fmt] = buffer.getvalue()
    return out


def standalone(kind: str, *args) -> Figure:
    """One chart on its own figure: kind is over-time, funnel, breakdown or leaderboard."""
    with matplotlib.rc_context(STYLE):
        if kind == "breakdown":
            fig = Figure(figsize=(9, 3.6), dpi=100, layout="constrained")
            axes = fig.subplots(1, 2, width_ratios=[3, 2])
            draw_breakdown(axes[0], axes[1], *args)
        else:
            fig = Figure(figsize=(9, 3.6 if kind != "over-time" else 4), dpi=100, layout="constrained")
            ax = fig.subplots()
            {"over-time": draw_over_time, "funnel": draw_funnel, "leaderboard": draw_leaderboard}[kind](
                ax, *args
            )
        # Lay out once, then freeze it: each save (SVG, PNG) would otherwise solve the layout again.
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
    return fig

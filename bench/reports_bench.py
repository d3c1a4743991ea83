"""Benchmark: `inv report` over 100,000 inquiries and 50,000 appointments.

    .venv/bin/python bench/reports_bench.py                  # prints the table, updates bench/RESULTS.md
    .venv/bin/python bench/reports_bench.py --people 20000   # a quicker run

The data is the demo generator's (demo/reports.py) at scale, in the formats the report
reads in production: web inquiries as `inv inquiries --format jsonl` exports, the front desk's
CSV, and Boulevard appointment and sales exports with every quirk (BOM, title line, mixed dates,
messy phones). The report is a quarter to date, so both quarters' worth of data is matched and
counted. Anchor (issue 8): "finishes in seconds" — the goal here is <= 10 s end to end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.results import record  # noqa: E402

WORK = ROOT / "bench" / "work" / "reports"
GOAL_SECONDS = 10.0


def generate(people: int, appointments: int) -> dict:
    from demo import reports as demo

    data = demo.synthetic(
        8, dt.date(2026, 7, 1), dt.date(2026, 11, 30), inquiries=people, appointments=appointments
    )
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "inquiries").mkdir(parents=True)
    (WORK / "front-desk").mkdir()
    (WORK / "emr").mkdir()
    (WORK / "inquiries" / "export.jsonl").write_bytes(demo.web_jsonl(data.web))
    (WORK / "front-desk" / "log.csv").write_bytes(demo.front_desk_csv(data.front_desk))
    (WORK / "emr" / "appointments.csv").write_bytes(demo.boulevard_appointments_csv(data))
    (WORK / "emr" / "sales.csv").write_bytes(demo.boulevard_sales_csv(data))
    return {
        "web": len(data.web),
        "front_desk": len(data.front_desk),
        "appointments": len(data.appointments),
        "sales": len(data.sales),
    }


def run() -> tuple[dict, object, Path]:
    """Time the whole report, then each phase again: (wall, CPU) seconds by step."""
    import gc

    import runner as site_runner
    from pipeline import partners
    from pipeline.reports import run as runner
    from pipeline.reports.config import load_config
    from pipeline.reports.render import report_files
    from pipeline.reports.report import Options, period_report

    settings = {
        **site_runner.load_settings("pelicanconf.py"),
        "INTERNAL_PATH": str(WORK / "internal"),
        "REPORT_SOURCES": {
            "inquiries": [str(WORK / "inquiries" / "*.jsonl")],
            "front_desk": [str(WORK / "front-desk" / "*.csv")],
            "emr": [str(WORK / "emr" / "*.csv")],
        },
    }
    timings = {}

    def timed(name, fn):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        timings[name] = (time.perf_counter() - wall, time.process_time() - cpu)
        return result

    folder, report = timed(
        "end to end (what `inv report` runs, in-process)",
        lambda: runner.report_from_settings(settings, "quarter", "2026-11-30", ROOT),
    )
    config = load_config(settings)
    codes = partners.load_registry(ROOT / "content" / "partners.yml").codes
    gc.disable()  # as run_report does
    inputs = timed(
        "phase: read + normalize every file",
        lambda: runner.gather(config, ROOT, codes, "content/partners.yml"),
    )
    result = timed(
        "phase: match + aggregate",
        lambda: period_report(inputs, report.period, Options(tz_name=config.timezone)),
    )
    gc.enable()
    timed("phase: charts, tables, HTML, PDF", lambda: report_files(result))
    return timings, report, folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--people", type=int, default=94_200, help="people who get in touch (repeats come on top)"
    )
    parser.add_argument("--appointments", type=int, default=50_000)
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    args = parser.parse_args()
    t = time.perf_counter()
    counts = generate(args.people, args.appointments)
    generated = time.perf_counter() - t
    timings, report, folder = run()
    inquiries = counts["web"] + counts["front_desk"]
    total = timings["end to end (what `inv report` runs, in-process)"][0]
    load = ", ".join(f"{v:.1f}" for v in __import__("os").getloadavg()) + " (1, 5, 15 min; 2 cores)"
    lines = [
        "## Reports (issue 8): 100,000 inquiries and 50,000 appointments",
        "",
        f"Command: `.venv/bin/python bench/reports_bench.py` (people={args.people:,}, "
        f"appointments={args.appointments:,}; 2 cores).",
        "",
        f"Input: {inquiries:,} inquiries ({counts['web']:,} web in a JSONL export, {counts['front_desk']:,} "
        f"front-desk rows), {counts['appointments']:,} Boulevard appointments and {counts['sales']:,} sales "
        f"(generated in {generated:.1f} s, not timed below). Report: {report.period.label}; "
        f"{report.now.inquiries:,} people counted this quarter, {report.before.inquiries:,} the quarter before.",
        "",
        f"Machine load while running: {load}.",
        "",
        "| step | wall s | CPU s |",
        "|---|---:|---:|",
        *(f"| {name} | {wall:.2f} | {cpu:.2f} |" for name, (wall, cpu) in timings.items()),
        "",
        f"Goal: <= {GOAL_SECONDS:.0f} s end to end -> {total:.2f} s, {GOAL_SECONDS / total:.1f}x under the budget "
        f"({'met' if total <= GOAL_SECONDS else 'NOT met'}). Throughput: "
        f"{(inquiries + counts['appointments'] + counts['sales']) / total:,.0f} input rows/s.",
    ]
    text = "\n".join(lines)
    print(text)
    print(f"\nReport written to {folder}")
    if not args.no_write:
        record("reports-bench", text)


if __name__ == "__main__":
    main()

"""What the deploy tells the person running it: the plan, and a summary of what changed."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pipeline.deploy.plan import DELETE, HEADERS, UPLOAD, Plan

SHOWN = 25  # changed keys listed by name before "... and N more"
_VERB = {UPLOAD: "upload", HEADERS: "headers", DELETE: "delete"}


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def print_plan(console: Console, plan: Plan, where: str, dry_run: bool) -> None:
    title = f"Deploy plan for {where}" + (" (dry run: nothing will be written)" if dry_run else "")
    table = Table(title=title, show_edge=False, box=None, pad_edge=False)
    for column in ("phase", "action", "key", "why"):
        table.add_column(column)
    shown = plan.actions if dry_run else plan.actions[:SHOWN]
    for action in shown:
        table.add_row(action.phase, _VERB[action.kind], action.key, action.reason)
    if plan.actions:
        console.print(table)
    if len(shown) < len(plan.actions):
        console.print(f"  ... and {len(plan.actions) - len(shown)} more")
    console.print(
        f"{plan.count(UPLOAD)} to upload ({human_bytes(plan.upload_bytes)}), {plan.count(HEADERS)} header "
        f"update(s), {plan.deletes} to delete, {len(plan.unchanged)} unchanged."
    )
    if plan.delete_guard_tripped:
        console.print(
            f"[bold red]Delete guard:[/] {plan.deletes} deletions exceed S3_MAX_DELETES={plan.max_deletes}."
        )


def print_summary(console: Console, result) -> None:
    outcome = result.outcome
    done = outcome.done if outcome else []
    uploads = sum(a.kind == UPLOAD for a in done)
    headers = sum(a.kind == HEADERS for a in done)
    deletes = sum(a.kind == DELETE for a in done)
    lines = [
        (
            f"Deployed to {result.where} in {result.seconds:.1f} s: {uploads} uploaded "
            f"({human_bytes(outcome.bytes_uploaded if outcome else 0)}), {headers} header update(s), "
            f"{deletes} deleted, {len(result.plan.unchanged)} unchanged."
        )
    ]
    if result.function_updated:
        lines.append("CloudFront Function updated with the current redirects.")
    if result.invalidation_ids:
        lines.append(
            f"CloudFront invalidation of {len(result.invalidation_paths)} path(s): {', '.join(result.invalidation_ids)}."
        )
    for line in lines:
        console.print(line)

"""Tasks for the coordinator and CI. `inv --list` explains each one.

Every task is a few lines: the work lives in pipeline/ and plugins/. A mistake in content
ends the task with a message naming the file, the field and the fix (no traceback).
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import runner  # noqa: E402
from pipeline.errors import PipelineError  # noqa: E402

DEV, PUBLISH = "pelicanconf.py", "publishconf.py"
HOST, PORT = "127.0.0.1", 8000
PUBLIC_OUTPUT = "output-public"  # what `inv deploy` builds and uploads; output/ keeps the local preview


def _clean_exit(fn, *args, **kwargs):
    """Run ``fn``; a PipelineError becomes a clean message and a non-zero exit."""
    try:
        return fn(*args, **kwargs)
    except PipelineError as exc:
        raise Exit(f"\n{exc}\n", code=exc.exit_code) from None


def _show_warnings(settings: dict) -> None:
    """The drafts a build left off the site, and why, and the claims findings (they never stop it)."""
    from pipeline.content.errors import advisories_text, warnings_text

    advisories = runner.advisories_of(settings)
    if advisories:
        print(advisories_text(advisories), file=sys.stderr)
    warnings = runner.warnings_of(settings)
    if warnings:
        print(warnings_text(warnings), file=sys.stderr)


def _overrides(
    as_of: str | None = None, content: str | None = None, output: str | None = None, strict: bool = False
) -> dict:
    overrides = {"AS_OF_DATE": as_of} if as_of else {}
    if strict:
        overrides["CLAIMS_STRICT"] = True
    if content:
        overrides["PATH"] = str(Path(content).resolve())
    if output:
        overrides["OUTPUT_PATH"] = str(Path(output).resolve())
    return overrides


AS_OF_HELP = "build the site as it will look on this date (YYYY-MM-DD)"
STRICT_HELP = "stop on claims-check errors, as the public build does (default: list them as warnings)"
CONTENT_HELP = "another content folder (default: content/)"


@task(
    help={
        "as_of": AS_OF_HELP,
        "content": CONTENT_HELP,
        "output": "another folder to build into (default: output/)",
        "strict": STRICT_HELP,
    }
)
def build(c, as_of=None, content=None, output=None, strict=False):
    """Build the site into output/ with the local settings."""
    settings = _clean_exit(runner.build, DEV, _overrides(as_of, content, output, strict))
    _show_warnings(settings)
    print(f"Built {output or 'output/'} from {content or 'content/'} (as of {settings['AS_OF_DATE']}).")


@task(help={"as_of": AS_OF_HELP, "content": CONTENT_HELP, "strict": STRICT_HELP})
def check(c, as_of=None, content=None, strict=False):
    """Check everything a build checks (into a throwaway folder); list every problem at once."""
    settings = _clean_exit(runner.check, DEV, _overrides(as_of, content, strict=strict))
    _show_warnings(settings)
    drafts = " (drafts with problems stay off the site until fixed)" if runner.warnings_of(settings) else ""
    print(f"All content is valid{drafts}.")


@task
def clean(c):
    """Remove the built site (output/)."""
    shutil.rmtree(ROOT / "output", ignore_errors=True)


@task(pre=[clean])
def rebuild(c, as_of=None):
    """Remove output/, then build the site from scratch."""
    build(c, as_of)


@task
def regenerate(c):
    """Rebuild the site whenever content, theme or settings change."""
    from pelican.utils import wait_for_changes

    while True:
        try:
            _show_warnings(runner.build(DEV))
            print("Built output/. Waiting for changes (Ctrl-C to stop)...")
        except PipelineError as exc:
            print(f"\n{exc}\n\nWaiting for changes (Ctrl-C to stop)...", file=sys.stderr)
        try:
            wait_for_changes(str(ROOT / DEV), runner.load_settings(DEV))
        except KeyboardInterrupt:
            return


PORT_HELP = f"port to listen on (default {PORT}, or the next free one)"


@task(help={"port": PORT_HELP})
def serve(c, port=None):
    """Serve output/ and the inquiry receiver at http://127.0.0.1:8000 (inquiries go to internal/inquiries/)."""
    _serve(port)


def _inquiry_app():
    """The site in output/ and the inquiry receiver (/api/*) as one WSGI app, INQUIRY_* from pelicanconf.py,
    with the security headers (Content-Security-Policy...) the last build wrote, as CloudFront sends them."""
    from pipeline.inquiry import build_receiver, make_app
    from pipeline.inquiry.origin import LOCAL
    from pipeline.sitepolicy.csp import served_headers

    settings = runner.load_settings(DEV)
    if not settings.get("INQUIRY_CALL_PHONE"):  # the "not sent" page offers the practice's own number
        from pipeline.partners import read_practice

        phone = read_practice(Path(settings.get("PATH") or ROOT / "content"))["phone"]
        settings = {**settings, "INQUIRY_CALL_PHONE": phone}
    receiver = _clean_exit(build_receiver, settings, root=ROOT)
    headers = served_headers(ROOT / settings.get("INTERNAL_PATH", "internal"))
    # LOCAL: no CloudFront in front of this server, so no origin secret to ask for.
    app = make_app(receiver, static_root=ROOT / "output", origin=LOCAL, headers=headers)
    return app, f"{receiver.store.where}/inquiries/"


def _listen(app, port: str | int | None):
    """A server bound to ``port``; with none asked for, the default port or the next free one."""
    from pipeline.inquiry.wsgi import make_http_server

    wanted = [int(port)] if port is not None else range(PORT, PORT + 20)
    for number in wanted:
        try:
            return make_http_server(app, HOST, number)
        except OSError as exc:
            error = exc
    asked = f"port {port}" if port is not None else f"ports {PORT}-{PORT + 19}"
    raise Exit(
        f"Cannot listen on {HOST} {asked} ({error.strerror}): stop the other server, or use --port.", code=1
    )


def _serve(port: str | int | None) -> None:
    app, store = _inquiry_app()
    if not (ROOT / "output" / "index.html").exists():
        print("output/ has no site yet: run `inv build` (or `inv reserve`) first.")
    with _listen(app, port) as server:  # listening from here: the address printed is the one that serves
        print(
            f"Serving the site and the inquiry receiver at http://{HOST}:{server.server_port}/ (inquiries are "
            f"stored in {store}) — press Ctrl-C to stop.",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


@task
def csp(c):
    """Print the Content-Security-Policy header of the last build (infra/site.yaml's ContentSecurityPolicy)."""
    from pipeline.sitepolicy.csp import served_headers

    settings = runner.load_settings(DEV)
    print(dict(served_headers(ROOT / settings.get("INTERNAL_PATH", "internal")))["Content-Security-Policy"])


@task(help={"port": PORT_HELP})
def reserve(c, port=None):
    """Build the site, then serve it at http://127.0.0.1:8000."""
    build(c)
    _serve(port)


@task
def preview(c):
    """Build the site with the public settings (publishconf.py) into output/."""
    _clean_exit(runner.build, PUBLISH)
    print("Built output/ with the public settings.")


@task(help={"port": f"port to listen on (default {PORT})"})
def livereload(c, port=PORT):
    """Serve the site and reload the browser tab whenever a file changes."""
    from livereload import Server

    def rebuild_quietly():
        try:
            _show_warnings(runner.build(DEV))
        except PipelineError as exc:
            print(exc)

    rebuild_quietly()
    app, store = _inquiry_app()  # forms work here too; inquiries are stored in INQUIRY_STORE
    print(f"Inquiries sent from this preview are stored in {store}.")
    server = Server(app)
    for pattern in (DEV, "theme/templates/**/*.html", "theme/static/**/*", "content/**/*"):
        server.watch(str(ROOT / pattern), rebuild_quietly)
    server.serve(host=HOST, port=int(port), debug=False)


@task(
    help={
        "kind": "what to create: post, procedure, team, location, page, special, event or case",
        "title": "its title or name",
        "content": CONTENT_HELP,
    }
)
def new(c, kind, title, content=None):
    """Create a new content file (or gallery case folder) that starts blank: inv new post "Title"."""
    from pipeline import dates
    from pipeline.content import scaffold, types

    kinds = [t.kind for t in types.TYPES] + [types.GALLERY_CASE.kind]
    if kind not in kinds:
        raise Exit(f"Unknown kind '{kind}' — use one of: {', '.join(kinds)}", code=2)
    content = Path(content).resolve() if content else ROOT / "content"
    choices = {t.kind: sorted(p.stem for p in (content / t.folder).glob("*.md")) for t in types.TYPES}
    shown = content.relative_to(ROOT) if content.is_relative_to(ROOT) else content
    if kind == types.GALLERY_CASE.kind:
        folder_name, text = scaffold.case_file(title, choices)
        folder = content / types.GALLERY_CASE.folder / folder_name
        if folder.exists():
            raise Exit(f"{folder} already exists — choose another title, or edit that case.", code=1)
        folder.mkdir(parents=True)
        (folder / "case.yml").write_text(text, encoding="utf-8")
        ledger = runner.load_settings(DEV).get("CONSENT_LEDGER", "gallery/consent.yml")
        print(
            f"Created {shown}/{types.GALLERY_CASE.folder}/{folder_name}/case.yml (status: draft).\n"
            f"Put the photos in {shown}/{types.GALLERY_CASE.folder}/{folder_name}/ as front-before.jpg and "
            "front-after.jpg (one pair per angle),\n"
            f"write in `consent:` the id of the patient's signed marketing authorization from {shown}/{ledger},\n"
            "fill in every [write ...] value, then run `inv check`."
        )
        return
    ctype = types.BY_KIND[kind]
    # The practice's today: `inv new special` fills in next month's first and last day.
    today = dates.today(dates.zone(runner.load_settings(DEV).get("TIMEZONE")))
    name, text = scaffold.scaffold(ctype, title, today, choices)
    path = content / ctype.folder / name
    if path.exists():
        raise Exit(f"{path} already exists — choose another title, or edit that file.", code=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(
        f"Created {shown}/{ctype.folder}/{name} (status: draft, off the site). Fill in every [write ...] value, "
        "add its picture, run `inv check`, then set status: published."
    )


@task(
    help={
        "since": "only inquiries received on or after this day at the practice, YYYY-MM-DD (default: all)",
        "format": "csv (opens in a spreadsheet) or jsonl (one record per line)",
        "output": "file to write (default: internal/exports/inquiries-SINCE.FORMAT); - prints instead",
        "clicks": "export the phone, booking and directions clicks instead",
        "store": "another store to read: a folder or s3://bucket/prefix (default: INQUIRY_STORE)",
    }
)
def inquiries(c, since=None, format="csv", output=None, clicks=False, store=None):
    """Export stored inquiries as CSV or JSONL: inv inquiries --since 2026-11-01 --format csv."""
    from pipeline.inquiry import export_clicks, export_inquiries, load_config, open_store, write_export

    settings = runner.load_settings(DEV)
    source = _clean_exit(open_store, store or _clean_exit(load_config, settings).store, root=ROOT)
    kind = "clicks" if clicks else "inquiries"
    from pipeline import dates

    zone = dates.zone(settings.get("TIMEZONE"))  # --since is a day at the practice
    text = _clean_exit(export_clicks if clicks else export_inquiries, source, since, format, zone)
    if output == "-":
        sys.stdout.write(text)
        return
    count = len(text.splitlines()) if format == "jsonl" else _csv_rows(text)
    default = (
        ROOT / settings.get("INTERNAL_PATH", "internal") / "exports" / f"{kind}-{since or 'all'}.{format}"
    )
    path = _clean_exit(write_export, Path(output) if output else default, text)
    print(f"Wrote {count} {kind} from {source.where} to {path} (personal data: keep it inside the practice).")


@task(help={"folder": "where to write the zip (default: internal/lambda/)"})
def receiver_package(c, folder=None):
    """Package the inquiry receiver for AWS Lambda: a zip for infra/site.yaml (ReceiverCodeKey)."""
    from pipeline.inquiry.package import write_package

    path = _clean_exit(write_package, ROOT, Path(folder) if folder else ROOT / "internal" / "lambda")
    print(
        f"Wrote {path}.\nUpload it with `aws s3 cp {path} s3://ARTIFACT-BUCKET/` and deploy the stack with "
        f"ReceiverCodeBucket=ARTIFACT-BUCKET ReceiverCodeKey={path.name} (infra/README.md)."
    )


def _csv_rows(text: str) -> int:
    import csv
    import io

    return max(0, sum(1 for _ in csv.reader(io.StringIO(text))) - 1)


@task
def test(c):
    """Run the whole test suite (what CI runs)."""
    c.run(f"{sys.executable} -m pytest", pty=False)


@task(
    help={
        "target": "production or staging (DEPLOY_TARGETS in publishconf.py)",
        "dry_run": "print the plan and write internal/deploy-plan.json; change nothing",
        "bucket": "deploy to this bucket instead of S3_BUCKET",
        "prefix": "deploy under this folder of the bucket (pull-request previews)",
        "max_deletes": "allow this many deletions this time (S3_MAX_DELETES)",
        "content": CONTENT_HELP,
        "output": f"the folder the public site is built into (default: {PUBLIC_OUTPUT}/)",
    }
)
def deploy(
    c,
    target="production",
    dry_run=False,
    bucket=None,
    prefix=None,
    max_deletes=None,
    content=None,
    output=None,
):
    """Build the public site into output-public/, run the publish guard, then upload only what changed to S3."""
    from pipeline.deploy.config import deploy_config, target_overrides
    from pipeline.deploy.run import deploy_site

    public = runner.load_settings(PUBLISH)
    overrides = _clean_exit(target_overrides, public, target, bucket, prefix, max_deletes)
    _clean_exit(deploy_config, {**public, **overrides})  # a wrong target fails now, not after the build
    # Its own folder: the local preview in output/ (drafts included) is never overwritten.
    overrides.update(_overrides(None, content, output or str(ROOT / PUBLIC_OUTPUT)))
    settings = _clean_exit(runner.build, PUBLISH, overrides)
    _show_warnings(settings)
    # The guard allows the practice's own contacts as the build read them (PRACTICE_CONTACTS).
    _clean_exit(deploy_site, settings, root=ROOT, dry_run=dry_run)


@task(
    help={
        "period": "week, month or quarter (default: month)",
        "as_of": "count up to this day, YYYY-MM-DD (default: the last complete period)",
        "lead_list": "also write the internal lead list (names, emails, phones): keep it inside the practice",
    }
)
def report(c, period="month", as_of=None, lead_list=False):
    """Write the inquiries-and-conversions report (HTML, PDF, CSV, charts) to internal/reports/."""
    from rich.console import Console

    from pipeline.reports.render import text_summary
    from pipeline.reports.run import report_from_settings
    from plugins.content_model import practice_contacts

    settings = runner.load_settings(DEV, {"REPORT_LEAD_LIST": True} if lead_list else None)
    folder, result = _clean_exit(
        report_from_settings, settings, period, as_of, ROOT, practice_contacts(settings), Console(stderr=True)
    )
    shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    print(f"{text_summary(result)}\nWrote {shown}/: report.html, report.pdf, tables/, charts/.")


@task
def partners(c):
    """Write every referral partner's tracked link, QR code and printable cards to internal/partners/."""
    from pipeline.partners import kit_from_settings

    folder, count = _clean_exit(kit_from_settings, runner.load_settings(PUBLISH), ROOT)
    shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    print(f"Wrote links, QR codes and referral cards for {count} partners to {shown}/ (open index.html).")


@task(
    help={
        "as_of": "export as on this day, YYYY-MM-DD (default: today)",
        "content": CONTENT_HELP,
        "all": "export everything that may be posted, not only what is new since the last export",
        "folder": "export folder (default: SOCIAL_EXPORT_PATH, internal/social/)",
    }
)
def social(c, as_of=None, content=None, all=False, folder=None):
    """Write ready-to-schedule social posts (images, captions, Sprout/Hootsuite CSVs) to internal/social/."""
    from plugins.social_export import export_from_settings

    overrides = {
        **_overrides(as_of, content),
        **({"SOCIAL_EXPORT_PATH": str(Path(folder).resolve())} if folder else {}),
    }
    result = _clean_exit(export_from_settings, PUBLISH, overrides, all)
    if result.folder is None:
        print("Nothing new to post since the last export (use --all to export everything again).")
        return
    shown = result.folder.relative_to(ROOT) if result.folder.is_relative_to(ROOT) else result.folder
    for problem in result.batch.problems:  # one bad item is left out; the others are exported
        print(f"Left out (fix it, and the next export includes it): {problem}", file=sys.stderr)
    if not result.changed:
        print(f"Nothing changed since the last export today: {shown}/ is as it was.")
        return
    print(
        f"Wrote {len(result.batch.posts)} posts ({result.items} items) to {shown}/: open contact-sheet.html to "
        "review them, then upload sprout/*.csv or hootsuite/*.csv."
    )


@task(help={"as_of": AS_OF_HELP, "content": CONTENT_HELP})
def claims(c, as_of=None, content=None):
    """Write every claims finding and every page's reading grade to internal/claims/ (HTML and CSV)."""
    from pipeline.claims.report import report_files
    from pipeline.reports.files import write_tree
    from plugins.claims import RESULT_KEY

    settings = _clean_exit(runner.check, DEV, _overrides(as_of, content))
    result = settings[RESULT_KEY]
    folder = Path(settings.get("INTERNAL_PATH") or "internal").resolve() / "claims"
    practice = settings.get("SITENAME", "")
    write_tree(folder, report_files(result, practice))
    shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    print(
        f"{len(result.open)} open finding(s), {len(result.accepted)} accepted, {len(result.grades)} pages graded.\n"
        f"Wrote {shown}/: claims.html, findings.csv, readability.csv."
    )


def _day(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Exit(f"'{text}' is not a date — write it as YYYY-MM-DD, e.g. 2026-12-01", code=2) from None


def _content_root(content: str | None) -> Path:
    return Path(content).resolve() if content else ROOT / "content"


@task(
    positional=["id"],
    help={
        "id": "a procedure's or a device's id, e.g. botox or coolsculpting-elite",
        "all": "every procedure and every device",
        "as_of": "the day whose current specials the brief lists (default: today)",
        "content": CONTENT_HELP,
    },
)
def brief(c, id=None, all=False, as_of=None, content=None):
    """Write a staff brief (HTML, PDF, ten-question quiz) to internal/briefs/<id>/: inv brief botox, or --all."""
    from pipeline import dates
    from pipeline.briefs import run as briefs

    if not id and not all:
        raise Exit("Name a procedure or device (inv brief botox), or use --all.", code=2)
    settings = runner.load_settings(DEV)
    day = _day(as_of) if as_of else dates.today(dates.zone(settings.get("TIMEZONE")))
    ctx = _clean_exit(briefs.context, _content_root(content), day)
    folder = Path(settings.get("INTERNAL_PATH") or "internal").resolve() / "briefs"
    for brief_id in briefs.ids(ctx) if all else [id]:
        made = briefs.with_history(_clean_exit(briefs.build, ctx, brief_id), ROOT)
        target = briefs.write(made, folder, settings.get("SITENAME", ""))
        shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
        print(f"Wrote {shown}/brief.html and brief.pdf (version {made.version}).")


@task(help={"content": CONTENT_HELP})
def staff(c, content=None):
    """Show, per brief, who has acknowledged its current version and who still has to (data/staff/)."""
    from pipeline import dates
    from pipeline.briefs import acknowledgements
    from pipeline.briefs import run as briefs
    from pipeline.content.errors import ContentError

    settings = runner.load_settings(DEV)
    today = dates.today(dates.zone(settings.get("TIMEZONE")))
    ctx = _clean_exit(briefs.context, _content_root(content), today)
    versions = {i: briefs.build(ctx, i).version for i in briefs.ids(ctx)}
    listed, rows, problems = acknowledgements.load(ROOT, set(ctx.team), set(versions), today)
    if problems:
        raise Exit(f"\n{ContentError(problems)}\n", code=1)
    names = {**{tid: m.name for tid, m in ctx.team.items()}, **listed}
    people = sorted(names)
    for row in acknowledgements.status(versions, people, rows):

        def who(ids):
            return ", ".join(names[i] for i in ids) or "nobody"

        print(f"{row.brief_id} (version {row.version}): read by {who(row.current)}")
        if row.stale:
            print(f"    read an earlier version, must read it again: {who(row.stale)}")
        if row.missing:
            print(f"    still to read: {who(row.missing)}")


@task(
    positional=["procedure"],
    help={
        "procedure": "the new procedure's id, e.g. microneedling, or a new device's (content/devices/) to launch the procedure using it",
        "as_of": "plan the four weeks from the Monday after this day, YYYY-MM-DD (default: today)",
        "content": CONTENT_HELP,
    },
)
def launch(c, procedure, as_of=None, content=None):
    """Write a launch kit as drafts: brief, four-week social plan, blog outline, special, referral note."""
    from pipeline import dates
    from pipeline.launch.run import launch as make_kit

    settings = runner.load_settings(DEV)
    day = _day(as_of) if as_of else dates.today(dates.zone(settings.get("TIMEZONE")))
    internal = Path(settings.get("INTERNAL_PATH") or "internal").resolve()
    done = _clean_exit(
        make_kit,
        _content_root(content),
        procedure,
        day,
        ROOT,
        internal,
        settings.get("SITENAME", ""),
        [settings.get("GALLERY_DISCLAIMER") or ""],
        settings.get("CONSENT_LEDGER"),
    )
    for path in done.created:
        print(f"Wrote {path} (status: draft).")
    for path in done.kept:
        print(f"Kept {path}: it already exists (delete it to have it written again).")
    shown = done.folder.relative_to(ROOT) if done.folder.is_relative_to(ROOT) else done.folder
    print(f"Wrote {shown}/: README.md, social-plan.csv, social-plan.md, referral-note.md.")
    print(f"Wrote the staff briefs: {', '.join(done.kit.briefs)} (internal/briefs/).")
    for note in done.kit.notes:
        print(f"To do: {note}")


@task(help={"as_of": "count through this day, YYYY-MM-DD (default: today)"})
def equipment(c, as_of=None):
    """Write the device view (payback against data/devices.yml) and product sales to internal/reports/equipment/."""
    from pipeline import dates
    from pipeline.reports.equipment_run import equipment_from_settings

    settings = runner.load_settings(DEV)
    day = _day(as_of) if as_of else dates.today(dates.zone(settings.get("TIMEZONE")))
    folder, result, devices = _clean_exit(equipment_from_settings, settings, ROOT, day)
    for device in devices:
        total, pay = result.device_totals(device.id), result.paybacks[device.id]
        print(
            f"{device.name}: {total.treatments} treatments, revenue {total.revenue:,.2f}; "
            + (f"paid back in {pay.month}" if pay.month else "not paid back yet")
        )
    if result.products:
        print(f"Products: {sum(r.units for r in result.top)} units; attach rate {result.attach_rate:.0%}.")
    shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    print(
        f"Wrote {shown}/: equipment.html, devices-by-month.csv, payback.csv, products-by-month.csv, charts/."
    )

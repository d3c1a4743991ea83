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
    from pipeline.content.errors import ContentError
    from pipeline.photos import files as photos

    folder = Path(content).resolve() if content else ROOT / "content"
    # Photos that would keep a patient's location in the repository (the site never shows it).
    found = photos.problems(photos.photos_in(folder), ROOT)
    try:
        settings = runner.check(DEV, _overrides(as_of, content, strict=strict))
    except ContentError as exc:
        raise Exit(
            f"\n{ContentError([*exc.problems, *found], exc.warnings, exc.notes)}\n", code=exc.exit_code
        ) from None
    except PipelineError as exc:
        raise Exit(f"\n{exc}\n", code=exc.exit_code) from None
    if found:
        raise Exit(f"\n{ContentError(found)}\n", code=ContentError(found).exit_code)
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


def _inquiry_app(output: Path | None = None):
    """The site in output/ and the inquiry receiver (/api/*) as one WSGI app, INQUIRY_* from pelicanconf.py,
    with the security headers (Content-Security-Policy...) the last build wrote, as CloudFront sends them
    (the content editor, /admin/, with its own)."""
    from pipeline.editor.server import with_editor_headers
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
    app = make_app(receiver, static_root=output or ROOT / "output", origin=LOCAL, headers=headers)
    return with_editor_headers(app), f"{receiver.store.where}/inquiries/"


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


@task(
    help={
        "port": "port to listen on (default INBOX_PORT, 8100)",
        "store": "another store: a folder or s3://bucket/prefix (default: INQUIRY_STORE)",
        "user": "your name, recorded with each change (default: your computer account's)",
    }
)
def inbox(c, port=None, store=None, user=None):
    """Open the inquiry inbox at http://127.0.0.1:8100: new inquiries first, statuses, notes, who answered."""
    from rich.console import Console

    from pipeline.inbox.run import serve

    settings = runner.load_settings(DEV)
    _clean_exit(serve, settings, ROOT, port=port, store_spec=store, user=user, console=Console(stderr=True))


@task(help={"folder": "where to write the zip (default: internal/lambda/)"})
def receiver_package(c, folder=None):
    """Package the inquiry receiver for AWS Lambda: a zip for infra/site.yaml (ReceiverCodeKey)."""
    from pipeline.inbox.content import calendar_table
    from pipeline.inquiry.package import write_package

    settings = runner.load_settings(PUBLISH)
    hours = _clean_exit(calendar_table, settings.get("PATH") or ROOT / "content", settings.get("TIMEZONE"))
    path = _clean_exit(write_package, ROOT, Path(folder) if folder else ROOT / "internal" / "lambda", hours)
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
        "period": "day (the end-of-day page), week, month, quarter, or events (after each event) (default: month)",
        "as_of": "count up to this day, YYYY-MM-DD (default: the last complete period; for day: today)",
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
    if period == "day":
        from pipeline.reports.daily import summary_text
        from pipeline.reports.run import daily_from_settings

        folder, day, sent = _clean_exit(daily_from_settings, settings, as_of, ROOT, Console(stderr=True))
        emailed = {None: "", True: "\nEmailed the counts.", False: "\nThe email was not sent (see the log)."}
        print(
            f"{summary_text(day)[1].rsplit(chr(10) * 2, 1)[0].strip()}\nWrote {folder}/report.html.{emailed[sent]}"
        )
        return
    if period == "events":
        from pipeline.reports.run import events_from_settings

        folder, rows = _clean_exit(events_from_settings, settings, ROOT, Console(stderr=True))
        print(f"Wrote {folder}/report.html and events.csv: {len(rows)} past events.")
        return
    folder, result = _clean_exit(
        report_from_settings, settings, period, as_of, ROOT, practice_contacts(settings), Console(stderr=True)
    )
    shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    print(f"{text_summary(result)}\nWrote {shown}/: report.html, report.pdf, tables/, charts/.")


@task(help={"as_of": "follow-ups due and thanks owed as on this day, YYYY-MM-DD (default: today)"})
def partners(c, as_of=None):
    """Partners' links, QR codes and cards; due follow-ups, thanks owed and thank-you notes (internal/partners/)."""
    from pipeline.partner_log import relationships_from_settings
    from pipeline.partners import kit_from_settings
    from pipeline.reports.periods import parse_day

    settings = runner.load_settings(PUBLISH)
    folder, count = _clean_exit(kit_from_settings, settings, ROOT)
    shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    print(f"Wrote links, QR codes and referral cards for {count} partners to {shown}/ (open index.html).")
    import datetime

    from pipeline import dates

    today = (
        _clean_exit(parse_day, as_of) or datetime.datetime.now(dates.zone(settings.get("TIMEZONE"))).date()
    )
    found = _clean_exit(relationships_from_settings, settings, ROOT, today)
    for item in found.due:
        print(
            f"Follow up with {found.names[item.partner]}: due {item.due} (after the {item.since.kind} on {item.since.date})."
        )
    for code in found.not_thanked:
        print(
            f"Thank {found.names[code]}: {found.treated[code]} referred this month treated, no thank-you since the 1st."
        )
    if not found.due and not found.not_thanked:
        print("No follow-up is due and every partner with a treated referral this month has been thanked.")
    print(
        f"Thank-you notes (no patient named): {found.notes.relative_to(ROOT) if found.notes.is_relative_to(ROOT) else found.notes}/"
    )


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


@task(
    help={
        "paths": "pictures or folders to clean (default: the whole content folder)",
        "content": CONTENT_HELP,
        "check": "change nothing: list the pictures that carry metadata and fail if there is one (CI)",
        "since": "with --check: only pictures added or changed since this Git commit",
    },
    iterable=["paths"],
)
def scrub(c, paths=None, content=None, check=False, since=None):
    """Remove location and personal metadata (GPS, EXIF, XMP, IPTC) from the photos in content/, losslessly."""
    from pipeline.content.errors import ContentError
    from pipeline.photos import files as photos

    folder = Path(content).resolve() if content else ROOT / "content"
    if check:
        listed = photos.changed_since(ROOT, folder, since) if since is not None else photos.photos_in(folder)
        found = photos.problems(listed, ROOT)
        if found:
            raise Exit(f"\n{ContentError(found)}\n", code=1)
        print(f"No photo carries location or personal metadata ({len(listed)} checked).")
        return
    targets = [p for given in (paths or [str(folder)]) for p in _pictures(Path(given).resolve())]
    done, refused = photos.scrub(targets, ROOT)
    for item in done:
        print(f"Cleaned {item.path}: removed {', '.join(item.removed)}.")
    if refused:
        raise Exit(f"\n{ContentError(refused)}\n", code=1)
    print(
        f"{len(done)} of {len(targets)} photos had metadata; every one is clean now (the pictures are unchanged)."
    )


def _pictures(path: Path) -> list[Path]:
    from pipeline.photos import files as photos

    if path.is_dir():
        return photos.photos_in(path)
    if not path.is_file():
        raise Exit(f"{path} does not exist — give a picture or a folder under content/.", code=2)
    return [path]


@task(
    help={
        "port": PORT_HELP,
        "content": CONTENT_HELP,
        "output": "the folder the site is built into (default: output/)",
        "browser": "open the editor in a browser when this computer has one (--no-browser: only print its address)",
    }
)
def edit(c, port=None, content=None, output=None, browser=True):
    """Open the content editor: the site, the editor (/admin/) and its local backend at http://127.0.0.1:8000/admin/."""
    import signal
    import threading

    from pipeline.editor import EditorSettings, bundle, server
    from pipeline.editor.checks import check_entry
    from pipeline.editor.config import collections
    from plugins.editor import site_of, write_admin

    installed = _clean_exit(bundle.installed)
    folder = Path(content).resolve() if content else ROOT / "content"
    out = Path(output).resolve() if output else ROOT / "output"
    overrides = {**_overrides(None, str(folder), str(out)), "EDITOR_LOCAL": True}
    settings = runner.load_settings(DEV, overrides)
    editor = EditorSettings(settings)

    def rebuild() -> None:
        try:
            _show_warnings(runner.build(DEV, overrides))
        except PipelineError as exc:  # the editor stays open to fix it; the site keeps its last good build
            print(f"\n{exc}\n", file=sys.stderr)
            _clean_exit(write_admin, out, settings, editor)

    rebuild()
    specs = {spec.name: spec for spec in collections(site_of(settings, editor))}

    def check(payload: dict) -> dict:
        spec = specs.get(str(payload.get("collection")))
        return check_entry(folder, spec, payload) if spec else {"problems": [], "blocking": False}

    backend_port = server.free_port()
    log = Path(settings.get("INTERNAL_PATH") or "internal").resolve() / "editor-backend.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    backend = _clean_exit(server.start_backend, installed.server, folder.parent, backend_port, log)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped from outside: the backend stops too
    try:
        site, _store = _inquiry_app(out)
        app = server.editor_app(site, backend_port, check)
        with _listen(app, port) as http:
            address = f"http://{HOST}:{http.server_port}/admin/"
            print(
                f"The content editor is at {address} (the site at http://{HOST}:{http.server_port}/); "
                f"it saves into {folder}. Press Ctrl-C to stop.",
                flush=True,
            )
            threading.Thread(target=_rebuild_on_change, args=(settings, rebuild), daemon=True).start()
            if browser and _has_browser():
                import webbrowser

                webbrowser.open(address)
            with contextlib.suppress(KeyboardInterrupt):
                http.serve_forever()
    finally:
        server.stop_backend(backend)


def _has_browser() -> bool:
    """A desktop to open a browser on (not a server or a CI runner)."""
    import os

    return sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def _rebuild_on_change(settings: dict, rebuild) -> None:
    """The site follows what the editor saves: rebuilt after each change of the content."""
    from pelican.utils import wait_for_changes

    while True:
        wait_for_changes(str(ROOT / DEV), settings)
        rebuild()


@task(help={"as_of": AS_OF_HELP, "content": CONTENT_HELP})
def claims(c, as_of=None, content=None):
    """Write every claims finding and every page's reading grade to internal/claims/ (HTML and CSV)."""
    from pipeline.claims.report import report_files
    from pipeline.files import write_folder
    from plugins.claims import RESULT_KEY

    settings = _clean_exit(runner.check, DEV, _overrides(as_of, content))
    result = settings[RESULT_KEY]
    folder = Path(settings.get("INTERNAL_PATH") or "internal").resolve() / "claims"
    practice = settings.get("SITENAME", "")
    write_folder(folder, report_files(result, practice))
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

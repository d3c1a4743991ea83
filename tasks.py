"""Tasks for the coordinator and CI. `inv --list` explains each one.

Every task is a few lines: the work lives in pipeline/ and plugins/. A mistake in content
ends the task with a message naming the file, the field and the fix (no traceback).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from pipeline.errors import PipelineError  # noqa: E402
from plugins import sitebuild  # noqa: E402

DEV, PUBLISH = "pelicanconf.py", "publishconf.py"
HOST, PORT = "127.0.0.1", 8000


def _clean_exit(fn, *args, **kwargs):
    """Run ``fn``; a PipelineError becomes a clean message and a non-zero exit."""
    try:
        return fn(*args, **kwargs)
    except PipelineError as exc:
        raise Exit(f"\n{exc}\n", code=exc.exit_code) from None


def _overrides(as_of: str | None = None, content: str | None = None) -> dict:
    overrides = {"AS_OF_DATE": as_of} if as_of else {}
    if content:
        overrides["PATH"] = str(Path(content).resolve())
    return overrides


AS_OF_HELP = "build the site as it will look on this date (YYYY-MM-DD)"
CONTENT_HELP = "another content folder (default: content/)"


@task(help={"as_of": AS_OF_HELP, "content": CONTENT_HELP})
def build(c, as_of=None, content=None):
    """Build the site into output/ with the local settings."""
    settings = _clean_exit(sitebuild.build, DEV, _overrides(as_of, content))
    print(f"Built output/ from {content or 'content/'} (as of {settings['AS_OF_DATE']}).")


@task(help={"as_of": AS_OF_HELP, "content": CONTENT_HELP})
def check(c, as_of=None, content=None):
    """Validate all content without writing the site; list every problem."""
    _clean_exit(sitebuild.check, DEV, _overrides(as_of, content))
    print("All content is valid.")


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
    from pelican import main as pelican_main

    pelican_main(["-r", "-s", str(ROOT / DEV)])


@task(help={"port": f"port to listen on (default {PORT})"})
def serve(c, port=PORT):
    """Serve output/ at http://127.0.0.1:8000."""
    _serve(int(port))


def _serve(port: int) -> None:
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT / "output"))
    with http.server.ThreadingHTTPServer((HOST, port), handler) as server:
        print(f"Serving the site at http://{HOST}:{port}/ — press Ctrl-C to stop.")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


@task(help={"port": f"port to listen on (default {PORT})"})
def reserve(c, port=PORT):
    """Build the site, then serve it at http://127.0.0.1:8000."""
    build(c)
    _serve(int(port))


@task
def preview(c):
    """Build the site with the public settings (publishconf.py) into output/."""
    _clean_exit(sitebuild.build, PUBLISH)
    print("Built output/ with the public settings.")


@task(help={"port": f"port to listen on (default {PORT})"})
def livereload(c, port=PORT):
    """Serve the site and reload the browser tab whenever a file changes."""
    from livereload import Server

    def rebuild_quietly():
        try:
            sitebuild.build(DEV)
        except PipelineError as exc:
            print(exc)

    rebuild_quietly()
    server = Server()
    for pattern in (DEV, "theme/templates/**/*.html", "theme/static/**/*", "content/**/*"):
        server.watch(str(ROOT / pattern), rebuild_quietly)
    server.serve(host=HOST, port=int(port), root=str(ROOT / "output"))


@task(help={"kind": "what to create: post, procedure, team, location or page", "title": "its title or name",
            "content": CONTENT_HELP})
def new(c, kind, title, content=None):
    """Create a new content file with every field stubbed: inv new post "Title"."""
    from pipeline.content import scaffold, types

    ctype = types.BY_KIND.get(kind)
    if ctype is None:
        kinds = ", ".join(t.kind for t in types.TYPES)
        raise Exit(f"Unknown kind '{kind}' — use one of: {kinds}", code=2)
    content = Path(content).resolve() if content else ROOT / "content"
    choices = {t.kind: sorted(p.stem for p in (content / t.folder).glob("*.md")) for t in types.TYPES}
    name, text = scaffold.scaffold(ctype, title, dt.date.today(), choices)
    path = content / ctype.folder / name
    if path.exists():
        raise Exit(f"{path} already exists — choose another title, or edit that file.", code=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Created {path} (status: draft). Fill in each field, add its image, then run `inv check`.")


@task
def test(c):
    """Run the whole test suite (what CI runs)."""
    c.run(f"{sys.executable} -m pytest", pty=False)


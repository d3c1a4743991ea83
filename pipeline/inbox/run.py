"""`inv inbox`: open the store, read it, keep it current and serve the inbox until Ctrl-C.

The edge of the inbox: the store (a folder, or S3 with the user's own AWS credentials from the
boto3 default chain), the content folder, the clock, the HTTP server and the terminal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.inbox import journal
from pipeline.inbox.app import InboxApp
from pipeline.inbox.config import InboxConfig, load_config
from pipeline.inbox.content import InboxContent, read_content
from pipeline.inbox.errors import InboxError
from pipeline.inbox.events import fold
from pipeline.inbox.guard import Guard
from pipeline.inbox.index import Index, Refresher
from pipeline.inquiry.errors import InquiryError
from pipeline.inquiry.rsvp import add_places, places_of

log = logging.getLogger(__name__)
HOST = "127.0.0.1"


@dataclass
class Inbox:
    """A running inbox: its app, its index and the thread that keeps the index current."""

    app: InboxApp
    index: Index
    refresher: Refresher
    config: InboxConfig

    def url(self, port: int, host: str = HOST) -> str:
        return f"http://{host}:{port}/?key={self.app.guard.key}"

    def close(self) -> None:
        self.refresher.stop()


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "the front desk"


def open_inbox(
    settings: Mapping,
    root: Path,
    *,
    port: int,
    host: str = HOST,
    store=None,
    user: str | None = None,
    console=None,
    key: str | None = None,
    now: Callable[[], dt.datetime] | None = None,
) -> Inbox:
    """Read the whole store once (with a progress bar on ``console``) and start keeping it current."""
    from pipeline.inquiry import open_store

    config = load_config(settings)
    content: InboxContent = read_content(settings, root)
    if store is None:
        try:
            store = open_store(config.store, root=root)
        except InquiryError as exc:
            raise InboxError(str(exc)) from None
    journal.check_conditional_writes(store)
    index = Index(store)
    with _progress(console) as progress:
        task = progress.add_task("Reading the inquiries", total=None) if progress else None
        index.sync(
            progress=lambda done, total: (
                progress.update(task, completed=done, total=total) if progress else None
            )
        )
    if index.error:
        raise InboxError(f"The inbox could not read {store.where}: {index.error}")
    app = InboxApp(
        index,
        content,
        Guard.create(host, port, key),
        user=user or default_user(),
        remind_after=config.reminder_minutes,
        page_size=config.page_size,
        after_change=counts_updater(store),
        **({"now": now} if now else {}),
    )
    refresher = Refresher(index, config.refresh_seconds, config.full_refresh_seconds).start()
    return Inbox(app, index, refresher, config)


def counts_updater(store) -> Callable:
    """After a change to an event reply: take its places back from the public counts when it is
    closed (cancelled, did not come), give them again when it is reopened."""

    def update(item, event: dict) -> None:
        record = item.record
        if record.get("kind") != "rsvp" or event.get("type") != "status" or not record.get("event"):
            return
        before = fold(record, [e for e in item.events.values() if int(e.get("seq") or 0) < int(event["seq"])])
        was, now = before.status == "closed", event.get("status") == "closed"
        if was != now:
            sign = -1 if now else 1
            add_places(store, str(record["event"]), sign * places_of(record), sign)
            log.info(
                "inbox: %s the places of a reply to %s", "freed" if now else "took again", record["event"]
            )

    return update


@contextlib.contextmanager
def _progress(console):
    if console is None:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        yield bar


def serve(
    settings: Mapping,
    root: Path,
    *,
    port: int | None = None,
    store_spec: str | None = None,
    user: str | None = None,
    console=None,
    say=print,
) -> None:
    """`inv inbox`: read the store, print the address with its key, serve until Ctrl-C."""
    from pipeline.inquiry.wsgi import make_http_server

    overrides = {**settings, **({"INBOX_STORE": store_spec} if store_spec else {})}
    config = load_config(overrides)
    port = int(port or config.port)
    try:
        server = make_http_server(lambda e, s: inbox.app(e, s), HOST, port)
    except OSError as exc:
        raise InboxError(
            f"Cannot listen on {HOST} port {port} ({exc.strerror}): stop the other inbox, or use --port."
        ) from None
    with server:
        inbox = open_inbox(overrides, root, port=server.server_port, user=user, console=console)
        try:
            count = len(inbox.index.items())
            say(
                f"The inbox holds {count:,} inquiries from {inbox.index.store.where}. Open it at\n\n"
                f"    {inbox.url(server.server_port)}\n\n"
                f"(the address carries a key: only a browser that opened it gets in). Working as "
                f"{inbox.app.user}. Press Ctrl-C to stop."
            )
            with contextlib.suppress(KeyboardInterrupt):
                server.serve_forever()
        finally:
            inbox.close()

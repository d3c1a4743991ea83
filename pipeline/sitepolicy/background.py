"""Scan written pages on another core while the build renders the next ones.

The tag firewall reads every page the build wrote (:func:`pipeline.sitepolicy.html.scan`).
Done at the end, that is a second pass over the whole site on one core; done here, each
page is read and scanned by a worker process as soon as Pelican has written it, so the scan
costs the build next to nothing on a machine with two cores or more. With one core the
pages are scanned at the end as before. The results are the same either way.

Pages the build still rewrites (a Markdown form's placeholder to render) are left to the
end: a worker answers None for them.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from . import html


def needs_rewrite(text: str) -> bool:
    """Does the page change at the end of the build (a Markdown form's placeholder)?"""
    return "<!--inquiry-form" in text


def scan_file(path: str, own_hosts: frozenset[str], page_url: str) -> html.PageScan | None:
    """The page's scan, or None if the build still rewrites the page."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    return None if needs_rewrite(text) else html.scan(text, own_hosts, page_url)


def scan_files(pages: tuple[tuple[str, str], ...], own_hosts: frozenset[str]) -> list[html.PageScan | None]:
    """:func:`scan_file` for each (file, page URL); None for one that cannot be read (the caller's
    own read reports it), without losing the others."""
    scans = []
    for path, page_url in pages:
        try:
            scans.append(scan_file(path, own_hosts, page_url))
        except Exception:  # e.g. not UTF-8
            scans.append(None)
    return scans


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class BackgroundScans:
    """Pages submitted as they are written; :meth:`take` gives a page's scan at the end.

    Pages go to the worker in batches (``batch``): one hand-over per page would wake the pool's
    threads in this process, competing with the build for the interpreter, thousands of times.
    A page written twice is scanned again: the latest submission (made after the last write) is
    the one kept.
    """

    def __init__(self, own_hosts: frozenset[str], workers: int | None = None, batch: int = 32):
        self.own_hosts = frozenset(own_hosts)
        self.workers = (_cores() - 1) if workers is None else workers
        self.batch = batch
        self._pool: ProcessPoolExecutor | None = None
        self._pending: list[tuple[str, str]] = []
        self._futures: dict[str, tuple[Future, int]] = {}

    def submit(self, path: str, page_url: str) -> None:
        if self.workers < 1:
            return
        self._pending.append((os.path.normpath(path), page_url))
        if len(self._pending) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("fork")
            )
        pages, self._pending = tuple(self._pending), []
        future = self._pool.submit(scan_files, pages, self.own_hosts)
        for index, (path, _) in enumerate(pages):
            self._futures[path] = (future, index)

    def take(self, path: str) -> html.PageScan | None:
        """The scan of a submitted page; None when it was not submitted, needs rewriting or failed
        (the caller then scans it itself, and reports any error as it would have)."""
        self._flush()
        entry = self._futures.pop(os.path.normpath(path), None)
        if entry is None:
            return None
        future, index = entry
        try:
            return future.result()[index]
        except Exception:  # the worker itself failed: the caller scans the page
            return None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._pending.clear()
        self._futures.clear()

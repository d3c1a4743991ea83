"""Scan written pages on another core while the build renders the next ones.

The tag firewall reads every page the build wrote (:func:`pipeline.inquiry.pages.scan`).
Done at the end, that is a second pass over the whole site on one core; done here, each
page is read and scanned by a worker process as soon as Pelican has written it, so the scan
costs the build next to nothing on a machine with two cores or more. With one core the
pages are scanned at the end as before. The results are the same either way.

Pages the build still rewrites (a Markdown form's placeholder to render, a form without its
hidden fields) are left to the end: a worker answers None for them. Forms from the theme
carry their hidden fields already (``inquiry.hidden_fields``), so they need no second pass.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from . import pages


def needs_rewrite(text: str, scan: pages.PageScan | None = None) -> bool:
    """Might the page change at the end of the build: a Markdown form's placeholder, or an inquiry
    form that lacks hidden fields (``scan``, when given, tells; otherwise any form counts)?"""
    if "<!--inquiry-form" in text:
        return True
    if scan is None:
        return "data-inquiry" in text
    return any(pages.missing_fields(form) for form in scan.forms)


def scan_file(path: str, own_hosts: frozenset[str]) -> pages.PageScan | None:
    """The page's scan, or None if the build still rewrites the page."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if "<!--inquiry-form" in text:
        return None
    scan = pages.scan(text, own_hosts)
    return None if needs_rewrite(text, scan) else scan


def scan_files(paths: tuple[str, ...], own_hosts: frozenset[str]) -> list[pages.PageScan | None]:
    """:func:`scan_file` for each page; None for one that cannot be read (the caller's own read
    reports it), without losing the others."""
    scans = []
    for path in paths:
        try:
            scans.append(scan_file(path, own_hosts))
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
        self._pending: list[str] = []
        self._futures: dict[str, tuple[Future, int]] = {}

    def submit(self, path: str) -> None:
        if self.workers < 1:
            return
        self._pending.append(os.path.normpath(path))
        if len(self._pending) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("fork"))
        paths, self._pending = tuple(self._pending), []
        future = self._pool.submit(scan_files, paths, self.own_hosts)
        for index, path in enumerate(paths):
            self._futures[path] = (future, index)

    def take(self, path: str) -> pages.PageScan | None:
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

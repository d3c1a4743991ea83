"""Run Pelican for tasks, tests and benchmarks: the one edge between a command and a build.

``pelican``'s own ``main()`` logs every exception with a traceback. The coordinator's
mistakes are ``PipelineError``s whose message already says what to fix, so the tasks
call :func:`build` / :func:`check` and print that message instead.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from pelican import Pelican, signals
from pelican.log import init as init_logging
from pelican.settings import read_settings

from pipeline.errors import PipelineError

ROOT = Path(__file__).resolve().parent.parent
_logging_ready = False


def _init_logging(verbose: bool = False) -> None:
    global _logging_ready
    if not _logging_ready:
        init_logging(level=logging.INFO if verbose else logging.WARNING)
        _logging_ready = True


class BuildError(PipelineError):
    """Pelican logged an error (a file it could not process, a template that failed)."""


class _ErrorLog(logging.Handler):
    """Collects ERROR records logged while one build runs.

    Pelican logs some failures (a file it cannot read, a plugin that fails) and carries
    on. A build that logged an error must not pass, but Pelican's own ``fatal`` mode is
    process-wide: it would make every later ``logger.error`` anywhere raise. This handler
    is attached for one build only.
    """

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().splitlines()[0])

    def __enter__(self) -> "_ErrorLog":
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger().removeHandler(self)
        if exc[0] is None and self.messages:
            listed = "\n  ".join(self.messages[:20])
            raise BuildError(f"The build logged {len(self.messages)} error(s):\n  {listed}\n"
                             "Fix what they name and build again.")


def load_settings(settings_file: str | os.PathLike = "pelicanconf.py", overrides: dict | None = None) -> dict:
    """Read a settings file (relative to the project root) with overrides applied."""
    path = Path(settings_file)
    if not path.is_absolute():
        path = ROOT / path
    return read_settings(str(path), override=dict(overrides or {}))


def build(settings_file: str | os.PathLike = "pelicanconf.py", overrides: dict | None = None, verbose: bool = False) -> dict:
    """Build the whole site; raise a PipelineError (clean message) on a content mistake.

    Pelican writes into a staging folder beside OUTPUT_PATH, which replaces the old
    output only when the build succeeded: a failed build leaves the last good site.
    """
    _init_logging(verbose)
    settings = load_settings(settings_file, overrides)
    output = Path(settings["OUTPUT_PATH"])
    staging = output.with_name(output.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staged = {**settings, "OUTPUT_PATH": str(staging)}
    try:
        with _ErrorLog():
            Pelican(staged).run()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = output.with_name(output.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)
    return {**staged, "OUTPUT_PATH": str(output)}


def check(settings_file: str | os.PathLike = "pelicanconf.py", overrides: dict | None = None) -> dict:
    """Read and validate everything, as a build would, but write nothing.

    Mirrors the first half of ``Pelican.run``: every generator builds its context and
    ``all_generators_finalized`` fires (where validation runs); no writer is made.
    """
    _init_logging()
    settings = load_settings(settings_file, overrides)
    with _ErrorLog():
        pelican = Pelican(settings)
        context = settings.copy()
        context.update(generated_content={}, static_links=set(), static_content={}, localsiteurl=settings["SITEURL"])
        generators = [
            cls(context=context, settings=settings, path=pelican.path, theme=pelican.theme, output_path=pelican.output_path)
            for cls in pelican._get_generator_classes()
        ]
        for generator in generators:
            if hasattr(generator, "generate_context"):
                generator.generate_context()
        signals.all_generators_finalized.send(generators)
    return settings

"""Runs the site's Pelican build for tasks, tests and benchmarks: the one edge between a command and a build.

``pelican``'s own ``main()`` logs every exception with a traceback. The coordinator's
mistakes are ``PipelineError``s whose message already says what to fix, so the tasks call
:func:`build` / :func:`check` and print that message instead.

- :func:`build` runs Pelican into a staging folder and swaps it in only when the build
  passed, so a failed build leaves the last good site.
- :func:`check` is the same build, every feature on, into a throwaway folder: whatever
  check passes, build passes. It uses nothing but Pelican's public ``Pelican.run``.
- Every stage adds its content problems to the build's one log
  (:func:`pipeline.content.errors.problems_of`); the run ends with all of them at once.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Self

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from pipeline.content.errors import BUILD_KEY, Problems, problems_of
from pipeline.errors import PipelineError
from pipeline.files import replacing_folder
from sitebuild import KEY as SITE_BUILD

ROOT = Path(__file__).resolve().parent
_logging_ready = False
# What a web server running as another user needs: everyone may read files and enter folders.
FILE_MODE, FOLDER_MODE = 0o644, 0o755


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

    def __enter__(self) -> Self:
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger().removeHandler(self)
        if exc[0] is None and self.messages:
            listed = "\n  ".join(self.messages[:20])
            raise BuildError(
                f"The build logged {len(self.messages)} error(s):\n  {listed}\n"
                "Fix what they name and build again."
            )


def load_settings(settings_file: str | os.PathLike = "pelicanconf.py", overrides: dict | None = None) -> dict:
    """Read a settings file (relative to the project root) with overrides applied."""
    path = Path(settings_file)
    if not path.is_absolute():
        path = ROOT / path
    return read_settings(str(path), override=dict(overrides or {}))


def run(settings: dict) -> Problems:
    """One Pelican run with ``settings``; every problem any stage found is raised together.

    Returns the build's problem log: what is left in it are the drafts' problems (warnings).
    """
    log = settings[BUILD_KEY] = Problems()
    try:
        with _ErrorLog():
            Pelican(settings).run()
    except PipelineError as exc:
        stopped = log.stopped_by(exc)
        if stopped is exc:
            raise
        raise stopped from None
    finally:
        if settings.get(SITE_BUILD) is not None:
            settings[SITE_BUILD].close()  # a run that stopped half-way leaves no worker behind
    log.raise_if_errors()
    return log


def build(
    settings_file: str | os.PathLike = "pelicanconf.py", overrides: dict | None = None, verbose: bool = False
) -> dict:
    """Build the whole site; raise a PipelineError (clean message) on a content mistake.

    Pelican writes into a staging folder beside OUTPUT_PATH, which replaces the old output
    only when the build succeeded: a failed build leaves the last good site. The internal
    files it writes (manifests, the redirect map) are staged the same way. Returns the
    settings, with ``warnings_of(settings)`` listing the drafts left out.
    """
    _init_logging(verbose)
    settings = load_settings(settings_file, overrides)
    output = Path(settings["OUTPUT_PATH"])
    internal = Path(settings.get("INTERNAL_PATH") or "internal").resolve()
    internal_staging = internal.with_name(internal.name + ".building")
    shutil.rmtree(internal_staging, ignore_errors=True)
    try:
        with replacing_folder(output) as staging:
            staged = _elsewhere(settings, staging, internal_staging)
            run(staged)
            readable_by_all(staging)
    except BaseException:
        shutil.rmtree(internal_staging, ignore_errors=True)
        raise
    _merge(internal_staging, internal)
    staged.update(OUTPUT_PATH=str(output), INTERNAL_PATH=settings.get("INTERNAL_PATH"))
    return staged


def check(settings_file: str | os.PathLike = "pelicanconf.py", overrides: dict | None = None) -> dict:
    """Everything a build does, every feature on, into a throwaway folder; nothing is kept.

    Returns the settings the run used (the objects plugins keyed on them stay valid), with
    OUTPUT_PATH and INTERNAL_PATH given back as they were: the throwaway folder is gone.
    """
    _init_logging()
    settings = load_settings(settings_file, overrides)
    kept = {key: settings.get(key) for key in ("OUTPUT_PATH", "INTERNAL_PATH")}
    with tempfile.TemporaryDirectory(prefix="site-check-") as folder:
        settings = _elsewhere(settings, Path(folder, "output"), Path(folder, "internal"))
        run(settings)
    settings.update(kept)
    return settings


def _elsewhere(settings: dict, output: Path, internal: Path) -> dict:
    """``settings`` for a run that writes the site and the internal files into these folders."""
    real_internal = Path(settings.get("INTERNAL_PATH") or "internal").resolve()
    staged = {**settings, "OUTPUT_PATH": str(output), "INTERNAL_PATH": str(internal)}
    # Exports that remember what they sent before keep reading and writing their own folder.
    staged["SOCIAL_EXPORT_PATH"] = settings.get("SOCIAL_EXPORT_PATH") or str(real_internal / "social")
    return staged


def _merge(staged: Path, folder: Path) -> None:
    """Move the files of ``staged`` into ``folder`` (only those whose bytes changed), then remove it."""
    for source in sorted(staged.rglob("*")) if staged.is_dir() else []:
        if source.is_file():
            target = folder / source.relative_to(staged)
            if not target.is_file() or target.read_bytes() != source.read_bytes():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
    shutil.rmtree(staged, ignore_errors=True)


def warnings_of(settings: dict) -> list:
    """The drafts' problems a build or check listed (left off the site, not fatal)."""
    return problems_of(settings).warnings


def advisories_of(settings: dict) -> list:
    """What a build listed without stopping (claims-check findings without --strict)."""
    return problems_of(settings).advisories


def readable_by_all(folder: str | os.PathLike) -> None:
    """Files 0644 and folders 0755 under ``folder``: whatever serves the site may read all of it."""
    for parent, _dirs, files in os.walk(folder):
        os.chmod(parent, FOLDER_MODE)
        for name in files:
            path = os.path.join(parent, name)
            if not os.path.islink(path) and os.stat(path).st_mode & 0o777 != FILE_MODE:
                os.chmod(path, FILE_MODE)

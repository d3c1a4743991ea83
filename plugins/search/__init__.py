"""Site search adapter: Pagefind indexes the built site once Pelican has written it.

Pagefind (pip ``pagefind[extended]``, offline) reads the HTML in the output and writes
``pagefind/`` beside it: a static, sharded index and the browser code the search page
loads from the site itself. Only pages marked ``data-pagefind-body`` are indexed; the theme
puts that on published, listed pages only, so drafts, scheduled posts and expired specials
are never in the index. Two builds of the same site give the same index bytes.

Settings: ``SEARCH_INDEX`` [True]: build the index (tests that do not search turn it off).
"""

from __future__ import annotations

import logging
import subprocess
import sys

from pelican import signals

from pipeline.errors import PipelineError

logger = logging.getLogger(__name__)
BUNDLE = "pagefind"


class SearchError(PipelineError):
    """Pagefind could not index the site."""


def build_index(pelican) -> None:
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", True):
        return
    output = settings["OUTPUT_PATH"]
    command = [sys.executable, "-m", "pagefind", "--site", output, "--output-subdir", BUNDLE, "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchError(
            "Pagefind could not index the site: "
            + " / ".join(detail)
            + " — check that `pip install -r requirements.txt` installed pagefind[extended]."
        )
    logger.info("search: indexed %s with Pagefind", output)


def register():
    signals.finalized.connect(build_index)

"""What the README promises about checking and deploying is what the tasks do."""

from __future__ import annotations

import re

import invoke
import pytest

from pipeline.errors import PipelineError
from tests.support.sitefactory import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end]


def test_the_deploying_section_first_says_how_the_bucket_is_named():
    section = _section("Deploying")
    first = section.strip().split("\n\n")[1]  # the paragraph under the heading
    assert "S3_BUCKET" in first and "--bucket" in first, first
    assert "output-public/" in section and "output/" in section


def test_deploy_and_its_dry_run_build_into_their_own_ignored_folder(monkeypatch):
    """`inv deploy` (dry run or not) builds the public site into output-public/, never output/."""
    import tasks

    seen = {}

    class Stop(PipelineError):
        pass

    def build(settings_file, overrides=None, verbose=False):
        seen.update(settings_file=settings_file, **(overrides or {}))
        raise Stop("stopped after the build was asked for")

    monkeypatch.setattr(tasks.runner, "build", build)
    for dry_run in (True, False):
        with pytest.raises(invoke.Exit):
            tasks.deploy(invoke.Context(), dry_run=dry_run, bucket="my-site-bucket")
        assert seen["settings_file"] == "publishconf.py"
        assert seen["OUTPUT_PATH"] == str(ROOT / "output-public")
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert {"/output-public/", "/output-public.building/"} <= set(ignored)


def test_the_promise_to_list_every_problem_at_once_is_made_where_check_is_described():
    assert re.search(r"`inv check` \|[^\n]*lists every problem at once", README)
    assert "sorted by file and line" in README

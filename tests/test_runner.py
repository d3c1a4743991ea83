"""The build runner: Pelican's logged errors fail one build, and only that build."""

from __future__ import annotations

import logging

import pytest

from runner import BuildError, _ErrorLog


def test_an_error_logged_during_a_build_fails_it_with_the_message():
    with pytest.raises(BuildError) as caught, _ErrorLog():
        logging.getLogger("pelican.generators").error("Could not process %s\nTraceback...", "content/x.md")
    assert "Could not process content/x.md" in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_errors_after_the_build_are_ordinary_log_records(caplog):
    with _ErrorLog():
        logging.getLogger("pelican").warning("a warning does not fail the build")
    logging.getLogger("pipeline.inquiry").error("the receiver may log errors later")  # must not raise
    assert "receiver may log errors" in caplog.text


# -- one problem log per build ---------------------------------------------------------------


def test_problems_a_stage_raises_are_reported_with_everything_else():
    from pipeline.content.errors import ContentError, Problem, Problems
    from pipeline.errors import PipelineError

    class StageError(PipelineError):
        def __init__(self, problems):
            self.problems = problems
            super().__init__("the stage stopped")

    log = Problems()
    log.add([Problem("content/b.md", "author", "is wrong", "fix it", 4)])
    log.drafts.add("content/draft.md")
    log.add([Problem("content/draft.md", "summary", "is still the placeholder", "write it", 3)])
    raised = StageError([Problem("content/a.md", "page /a/", "loads a tracker", "remove it")])
    merged = log.stopped_by(raised)
    assert isinstance(merged, ContentError)
    assert [p.path for p in merged.problems] == ["content/a.md", "content/b.md"]  # sorted by file
    assert [p.path for p in merged.warnings] == ["content/draft.md"]
    assert "in drafts (warnings" in str(merged)
    alone = StageError([Problem("content/a.md", "page /a/", "loads a tracker", "remove it")])
    assert Problems().stopped_by(alone) is alone  # nothing else found: the stage's own message
    plain = PipelineError("a setting is wrong")
    assert Problems().stopped_by(plain) is plain
    both = log.stopped_by(plain)
    assert "content/b.md:author" in str(both) and "a setting is wrong" in str(both)


def test_a_draft_with_problems_never_blocks_and_stays_off_the_site(tmp_path):
    import runner
    from tests.support.sitefactory import FILES, SiteFactory

    site = SiteFactory(tmp_path).write_all()
    site.write(
        "blog/half-written.md",
        {
            **FILES["blog/unfinished.md"],
            "title": "Half written",
            "cover": {"src": "images/blog/not-yet.jpg", "alt": "Later"},
        },
    )
    site.write(
        "team/new-hire.md",
        {**FILES["team/kim-park.md"], "name": "New hire", "status": "draft", "locations": ["nowhere"]},
    )
    settings = site.build(SEARCH_INDEX=False)
    warnings = [str(p) for p in runner.warnings_of(settings)]
    assert any(
        w.startswith("content/blog/half-written.md:cover.src: the image 'images/blog/not-yet.jpg'")
        for w in warnings
    ), warnings
    assert any(
        w.startswith("content/team/new-hire.md:locations.0: 'nowhere' is not a location") for w in warnings
    )
    assert (site.output / "drafts/unfinished/index.html").is_file()  # a sound draft is still previewed
    assert not list(site.output.rglob("*half-written*")) and not list(site.output.rglob("*new-hire*"))
    public = site.build("publishconf.py", SEARCH_INDEX=False)
    assert runner.warnings_of(public) and not (site.output / "drafts").exists()


def test_a_published_file_referring_to_a_file_left_out_is_left_out_too(tmp_path):
    """A broken team member fails the build with their own problem only; their posts are not rendered
    against a missing author (no crash, no second-hand message)."""
    import pytest

    from pipeline.content.errors import ContentError
    from tests.support.sitefactory import SiteFactory

    site = SiteFactory(tmp_path).write_all()
    site.edit("team/dr-lee.md", photo={"src": "images/team/dr-lee.jpg", "alt": ""})
    with pytest.raises(ContentError) as caught:
        site.check(SEARCH_INDEX=False)
    assert [p.path for p in caught.value.problems] == ["content/team/dr-lee.md"], caught.value.problems

"""Specials and events: every offer and event rule stops a real check with `path:field: what — fix`,
and the lifecycle hook decides what a build on a given day publishes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import yaml

from pipeline import dates
from pipeline.content.errors import ContentError
from tests.support.sitefactory import FILES, ROOT, SiteFactory

SPECIAL = "specials/botox-november.md"
EVENT = "events/open-house.md"
OFFER = FILES[SPECIAL]["offer"]

RULES = [
    pytest.param(
        SPECIAL,
        {"valid_through": "2026-10-31"},
        "valid_through",
        "is before valid_from 2026-11-01",
        id="special-ends-before-it-starts",
    ),
    pytest.param(SPECIAL, {"terms": None}, "terms", "is missing", id="special-without-terms"),
    pytest.param(
        SPECIAL,
        {"offer": {**OFFER, "currency": None}},
        "offer.currency",
        "a price needs its currency",
        id="price-without-currency",
    ),
    pytest.param(
        SPECIAL,
        {"offer": {**OFFER, "currency": "dollars"}},
        "offer.currency",
        "expected form",
        id="currency-not-a-code",
    ),
    pytest.param(
        SPECIAL,
        {"offer": {"regular_price": 14, "amount_off": 20, "currency": "USD"}},
        "offer.amount_off",
        "discount larger than the regular price",
        id="amount-off-larger-than-regular",
    ),
    pytest.param(
        SPECIAL,
        {"offer": {"regular_price": 14, "percent_off": 120, "currency": "USD"}},
        "offer.percent_off",
        "discount larger than the regular price",
        id="percent-off-over-100",
    ),
    pytest.param(
        SPECIAL,
        {"offer": {**OFFER, "price": 16}},
        "offer.price",
        "is not below the regular price 14",
        id="price-above-regular",
    ),
    pytest.param(
        SPECIAL,
        {"offer": {"regular_price": 14, "currency": "USD"}},
        "offer.price",
        "give the offer's price",
        id="offer-without-price",
    ),
    pytest.param(
        SPECIAL,
        {"offer": {**OFFER, "percent_off": 10}},
        "offer.percent_off",
        "keep one of price, percent_off or amount_off",
        id="price-and-discount",
    ),
    pytest.param(
        SPECIAL,
        {"offer": {"price": 10, "currency": "USD"}},
        "offer.regular_price",
        "is missing",
        id="offer-without-regular-price",
    ),
    pytest.param(
        SPECIAL,
        {"procedures": ["botx"]},
        "procedures.0",
        "did you mean 'botox'",
        id="special-unknown-procedure",
    ),
    pytest.param(SPECIAL, {"procedures": []}, "procedures", "is empty", id="special-without-procedure"),
    pytest.param(
        SPECIAL,
        {"locations": ["east"]},
        "locations.0",
        "'east' is not a location",
        id="special-unknown-location",
    ),
    pytest.param(
        SPECIAL, {"valid_from": "first of November"}, "valid_from", "is not a date", id="special-bad-date"
    ),
    pytest.param(
        SPECIAL,
        {"image": {"src": "images/specials/nope.jpg", "alt": "x"}},
        "image.src",
        "does not exist",
        id="special-missing-image",
    ),
    pytest.param(
        SPECIAL,
        {"image": {"src": "images/specials/botox-november.jpg", "alt": "x", "focus": [2, 0.5]}},
        "image.focus.0",
        "out of range",
        id="focus-outside-the-photo",
    ),
    pytest.param(
        EVENT, {"end": "2026-12-10 16:00"}, "end", "is not after the start", id="event-ends-before-it-starts"
    ),
    pytest.param(EVENT, {"start": "2026-12-10"}, "start", "has no time of day", id="event-without-time"),
    pytest.param(
        EVENT, {"end": "2026-12-10 19:30-08:00"}, "end", "written differently", id="event-mixed-offsets"
    ),
    pytest.param(EVENT, {"location": None}, "location", "say where the event is", id="event-without-place"),
    pytest.param(
        EVENT,
        {
            "venue": {
                "name": "Hall",
                "address": {"street": "1 A St", "city": "B", "region": "CA", "postal_code": "1"},
            }
        },
        "venue",
        "is given together with location",
        id="event-two-places",
    ),
    pytest.param(
        EVENT, {"location": "east"}, "location", "'east' is not a location", id="event-unknown-location"
    ),
    pytest.param(EVENT, {"hosts": ["dr-no"]}, "hosts.0", "is not a team member", id="event-unknown-host"),
    pytest.param(EVENT, {"capacity": 0}, "capacity", "out of range", id="event-zero-capacity"),
    pytest.param(EVENT, {"event_status": "maybe"}, "event_status", "use one of", id="event-bad-status"),
    pytest.param(
        EVENT,
        {"redirect_from": ["old-events"]},
        "redirect_from.0",
        "not an address on this site",
        id="redirect-not-a-path",
    ),
    pytest.param(
        EVENT,
        {"redirect_from": ["/specials/"]},
        "redirect_from.0",
        "is the address of a page",
        id="redirect-onto-a-page",
    ),
    pytest.param(
        EVENT,
        {"redirect_from": ["/offers/summer/"]},
        "redirect_from.0",
        "already redirects to",
        id="redirect-claimed-twice",
    ),
]


@pytest.fixture
def site(tmp_path):
    return SiteFactory(tmp_path).write_all()


def problems_of(site: SiteFactory, **overrides) -> list[str]:
    with pytest.raises(ContentError) as caught:
        site.check(**overrides)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(("rel", "changes", "field", "words"), RULES)
def test_rule_names_file_field_and_fix(site, rel, changes, field, words):
    site.edit(rel, **changes)
    problems = problems_of(site)
    prefix = f"content/{rel}:{field}: "
    matching = [p for p in problems if p.startswith(prefix)]
    assert matching, f"no problem starting with {prefix!r} in {problems}"
    assert any(words in p for p in matching), matching
    assert all(" — " in p for p in matching), "every message carries a fix after ' — '"


def test_offer_problem_points_at_its_line(site):
    path = site.edit(SPECIAL, offer={"regular_price": 14, "amount_off": 20, "currency": "USD"})
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "amount_off" in text)
    assert any(p.endswith(f"(line {line})") for p in problems_of(site))


def test_build_stops_without_writing(site):
    site.edit(SPECIAL, terms=None)
    with pytest.raises(ContentError):
        site.build()
    assert not site.output.exists()
    assert not (site.root / "internal" / "redirects.json").exists()


def _build_as_of(site, day: str):
    site.build("publishconf.py", AS_OF_DATE=day, SEARCH_INDEX=False)
    return site.output


@pytest.mark.parametrize(
    ("day", "written", "missing"),
    [
        # Nov 30 is the last day of the November special; Dec 1 starts December's.
        ("2026-11-30", {"botox-november", "summer-facial"}, {"december-glow"}),
        ("2026-12-01", {"botox-november", "summer-facial", "december-glow"}, set()),
    ],
)
def test_build_day_decides_what_is_published(site, day, written, missing):
    output = _build_as_of(site, day)
    assert {p.name for p in (output / "specials").iterdir() if p.is_dir()} == written
    for slug in missing:
        assert slug not in (output / "specials/index.html").read_text()


def test_scheduled_special_is_never_written_even_in_a_local_build(site):
    site.build(SEARCH_INDEX=False)
    assert not any("december-glow" in str(p) for p in site.output.rglob("*"))


def test_cli_new_special_scaffolds_next_month(site):
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "new", "special", "Holiday glow", "--content", str(site.content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    text = (site.content / "specials/holiday-glow.md").read_text()
    data = yaml.safe_load(text.split("---")[1])
    first, last = dates.next_month(dates.today(dates.zone("America/Los_Angeles")))
    assert (data["valid_from"], data["valid_through"]) == (first, last)
    # The coordinator writes the offer itself: no price or procedure is borrowed from another special.
    assert data["status"] == "draft" and data["terms"].startswith("[write")
    assert data["procedures"] == ["[write the ids of procedures]"]
    assert data["offer"]["currency"] == "USD"
    assert data["offer"]["regular_price"].startswith("[write") and data["offer"]["price"].startswith("[write")
    assert first.day == 1 and (last + dt.timedelta(days=1)).day == 1


@pytest.mark.parametrize(("heading", "kind"), [("### Monthly specials", "special"), ("### Events", "event")])
def test_readme_examples_are_valid(heading, kind):
    """The README's complete examples pass the same validation as real content."""
    from pipeline.content import frontmatter, types, validate

    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index(heading) :]
    block = section[section.index("```markdown\n") + len("```markdown\n") :]
    block = block[: block.index("\n```")]
    entry = validate.parse(types.BY_KIND[kind], frontmatter.split(block, "README.md"), "README.md", "example")
    assert entry.problems == [] and entry.record is not None, [str(p) for p in entry.problems]

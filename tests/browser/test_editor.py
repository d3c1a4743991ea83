"""The content editor in real Chromium against `inv edit` (the real task: the site, Decap CMS and its
local backend, decap-server): what the coordinator creates there passes `inv check` and is published by
`inv build`; an invalid entry is refused with `inv check`'s words next to the field."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from demo.gallery import PHOTOS, encode, render
from pipeline import dates
from pipeline.photos import metadata
from tests.support.browser import watch
from tests.support.sitefactory import ROOT

pytestmark = pytest.mark.browser
CONSENT = "C-2026-041"  # a new signed authorization, added to the ledger for the new case


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _phone_photo(tmp: Path, name: str, seed: int) -> Path:
    """A photo as a phone writes it: GPS position, XMP, IPTC."""
    shot = next(shot for rel, shot in PHOTOS.items() if shot.metadata and rel.endswith(".jpg"))
    path = tmp / "uploads" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encode(render(shot, seed), ".jpg", True))
    assert metadata.inspect(path.read_bytes()).location
    return path


def _inv(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


@pytest.fixture(scope="module")
def editing(tmp_path_factory):
    """`inv edit` on a copy of the demo content; yields (origin, content folder, output, environment)."""
    tmp = tmp_path_factory.mktemp("editor")
    content = tmp / "repo" / "content"
    shutil.copytree(ROOT / "content", content)
    with (content / "gallery" / "consent.yml").open("a") as ledger:
        ledger.write(f"\n  - id: {CONSENT}\n    scope: web\n    granted: 2026-10\n    expires: 2029-10\n")
    env = {**os.environ, "SITE_INTERNAL_PATH": str(tmp / "internal")}
    port = _free_port()
    output = tmp / "output"
    log = (tmp / "inv-edit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", "edit", "--port", str(port), "--no-browser"]
        + ["--content", str(content), "--output", str(output)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while "The content editor is at" not in (tmp / "inv-edit.log").read_text():
        assert process.poll() is None, (tmp / "inv-edit.log").read_text()
        assert time.monotonic() < deadline, "inv edit did not start"
        time.sleep(0.5)
    try:
        yield origin, content, tmp, env
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
        text = (tmp / "inv-edit.log").read_text()
        assert "Traceback" not in text, text


@pytest.fixture
def editor(chromium, editing):
    origin = editing[0]
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    visit = watch(page)
    page.goto(f"{origin}/admin/")
    page.get_by_role("button", name="Login").click()
    page.wait_for_url("**/#/collections/**")
    yield page, visit
    context.close()


class Form:
    """Decap's entry form: each control is labelled ``<name>-field-<n>``."""

    def __init__(self, page, origin: str, collection: str):
        self.page = page
        page.goto(f"{origin}/admin/#/collections/{collection}/new")
        page.locator('[id^="title-field-"], [id^="name-field-"], [id^="procedure-field-"]').first.wait_for()
        page.wait_for_load_state("networkidle")  # the new entry's draft is set up: typing now sticks
        page.wait_for_timeout(500)

    def control(self, name: str, nth: int = 0):
        return self.page.locator(f'[id^="{name}-field-"]').nth(nth)

    def fill(self, name: str, value: str, nth: int = 0) -> None:
        self.control(name, nth).fill(value)

    def choose(self, name: str, text: str) -> None:
        """A select or relation (react-select): type, then take the first match."""
        self.control(name).click()
        self.page.keyboard.type(text)
        self.page.locator('[class*="option"]', has_text=text).first.click()

    def upload(self, path: Path, nth: int = 0) -> None:
        self.page.get_by_role("button", name="Choose an image").nth(nth).click()
        self.page.locator('input[type="file"]').set_input_files(str(path))
        self.page.get_by_role("button", name="Choose selected").click()

    def publish(self, slug: str) -> None:
        self.page.get_by_role("button", name="Publish").first.click()
        self.page.get_by_text("Publish now").click()
        try:
            self.page.wait_for_url(f"**/entries/{slug}**", timeout=120_000)
        except Exception:  # what the editor says is the failure's explanation
            self.page.screenshot(path=str(Path(os.environ.get("EDITOR_SHOTS", "/tmp")) / f"{slug}.png"))
            pytest.fail(f"{slug} was not saved; the editor shows:\n{self.page.inner_text('body')[:3000]}")


def test_what_the_editor_saves_passes_inv_check_and_inv_build_publishes_it(editor, editing):
    page, visit = editor
    origin, content, tmp, env = editing
    today = dt.date.today()
    first, last = dates.next_month(today)

    post = Form(page, origin, "post")
    post.fill("title", "Winter skin care basics")
    post.fill("date", today.isoformat())
    post.fill("summary", "How to keep skin calm and hydrated through the cold months.")
    post.fill("category", "Skin care")
    post.choose("author", "Marisol")
    post.upload(_phone_photo(tmp, "winter-skin.jpg", 3))
    post.fill("alt", "A jar of moisturiser on a clinic shelf")
    post.publish("winter-skin-care-basics")

    procedure = Form(page, origin, "procedure")
    procedure.fill("name", "LED light therapy")
    procedure.fill("summary", "Red and near-infrared light that calms redness and supports healing.")
    procedure.fill("body_areas", "face, neck")
    procedure.choose("procedure_type", "noninvasive")
    procedure.fill("sessions", "4-6")
    procedure.fill("downtime", "None")
    procedure.fill("price_from", "90")
    procedure.publish("led-light-therapy")

    special = Form(page, origin, "special")
    special.fill("title", "New year LED facials")
    special.fill("summary", "An LED session added to every facial booked next month.")
    special.choose("procedures", "LED light therapy")
    special.fill("regular_price", "120")
    special.fill("price", "95")
    special.fill("currency", "USD")
    special.fill("valid_from", first.isoformat())
    special.fill("valid_through", last.isoformat())
    special.fill("terms", "One per client. Cannot be combined with other offers.")
    special.upload(_phone_photo(tmp, "led-offer.jpg", 4))
    special.fill("alt", "A client relaxing under an LED panel")
    special.publish("new-year-led-facials")

    event = Form(page, origin, "event")
    event.fill("title", "LED open evening")
    event.fill("summary", "See the LED panel in action and ask our nurses anything.")
    event.fill("date", today.isoformat())
    event.fill("start", f"{first.isoformat()}T17:30")
    event.fill("end", f"{first.isoformat()}T19:30")
    event.choose("location", "Harbor")
    event.publish("led-open-evening")

    case = Form(page, origin, "case")
    case.fill("title", "Calmer cheeks after LED therapy")
    case.choose("procedure", "LED light therapy")
    case.fill("body_areas", "cheeks")
    page.get_by_role("button", name="Add pairs").click()
    case.upload(_phone_photo(tmp, "front-before.jpg", 5), 0)
    case.fill("alt", "Cheeks with diffuse redness before treatment", 0)
    case.upload(_phone_photo(tmp, "front-after.jpg", 6), 0)
    case.fill("alt", "The same cheeks after six sessions; the redness has faded", 1)
    case.fill("sessions", "6")
    case.fill("time_since_treatment", "8 weeks")
    case.choose("age_range", "30-39")
    case.choose("provider", "Priya")
    case.fill("description", "Diffuse redness across both cheeks, calmer after six LED sessions.")
    case.choose("consent", CONSENT)
    case.publish("calmer-cheeks-after-led-therapy")

    saved = {
        "post": content / "blog" / "winter-skin-care-basics.md",
        "procedure": content / "procedures" / "led-light-therapy.md",
        "special": content / "specials" / "new-year-led-facials.md",
        "event": content / "events" / "led-open-evening.md",
        "case": content / "gallery" / "calmer-cheeks-after-led-therapy" / "case.yml",
    }
    assert all(path.is_file() for path in saved.values()), sorted(p.name for p in content.rglob("*"))
    case_file = yaml.safe_load(saved["case"].read_text())
    assert case_file["consent"] == CONSENT and case_file["procedure"] == "led-light-therapy"
    uploads = [p for p in content.rglob("*.jpg") if p.name in {"winter-skin.jpg", "front-before.jpg"}]
    assert uploads and not [p for p in uploads if metadata.inspect(p.read_bytes())]  # no GPS kept

    checked = _inv("check", "--content", str(content), env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    output = tmp / "built"
    # Next month's special is on the site from its first day (scheduled until then).
    built = _inv("build", "--content", str(content), "--output", str(output), "--as-of", str(first), env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    for page_path in (
        "blog/winter-skin-care-basics/index.html",
        "procedures/led-light-therapy/index.html",
        "gallery/calmer-cheeks-after-led-therapy/index.html",
    ):
        assert (output / page_path).is_file(), page_path
    assert "LED open evening" in "".join(p.read_text() for p in output.rglob("*.html") if "event" in str(p))
    assert "New year LED facials" in "".join(
        p.read_text() for p in output.rglob("*.html") if "special" in str(p)
    )
    assert not [e for e in visit.console_errors if "Content Security Policy" in e], visit.console_errors


def test_an_invalid_entry_is_refused_with_inv_checks_words_next_to_the_field(editor, editing):
    page, _ = editor
    origin, content, _, _ = editing
    form = Form(page, origin, "procedure")
    form.fill("name", "Thread lift")
    form.fill("summary", "Dissolvable threads that lift the mid-face.")
    form.fill("body_areas", "cheeks")
    form.choose("procedure_type", "percutaneous")
    form.fill("sessions", "a few")  # the model's pattern: a number or a range
    form.fill("downtime", "A week")
    form.fill("price_from", "1500")
    # The preview pane is the theme's page: its stylesheet, its structure, its fonts and colours.
    preview = page.frame_locator("#preview-pane")
    title = preview.locator("h1#page-title")
    assert title.inner_text(timeout=10_000) == "Thread lift"
    assert preview.locator('link[href*="/theme/css/site."]').count() == 1
    site_font = title.evaluate("node => getComputedStyle(node).fontFamily")
    assert site_font.startswith('"Iowan Old Style"'), site_font  # site.css's --font-serif, as on the site
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()
    # The editor's own rule, generated from the model, with the words inv check uses.
    message = page.locator('[id^="sessions-field-"]').locator("xpath=ancestor::div[1]/..")
    assert (
        "not in the expected form" in message.inner_text(timeout=10_000)
        or page.get_by_text("not in the expected form").first.is_visible()
    )
    assert not (content / "procedures" / "thread-lift.md").exists()


def test_a_problem_only_inv_check_finds_is_shown_next_to_its_field_and_not_saved(editor, editing, tmp_path):
    page, _ = editor
    origin, content, _, _ = editing
    first, last = dates.next_month(dt.date.today())
    form = Form(page, origin, "special")
    form.fill("title", "Peel week")
    form.fill("summary", "Our lightest peel, for a week.")
    form.choose("procedures", "Chemical")
    form.fill("regular_price", "120")
    form.fill("price", "150")  # not below the regular price: the model's rule, checked by inv check
    form.fill("currency", "USD")
    form.fill("valid_from", first.isoformat())
    form.fill("valid_through", last.isoformat())
    form.fill("terms", "One per client.")
    form.upload(_phone_photo(tmp_path, "peel.jpg", 8))
    form.fill("alt", "A peel being applied")
    page.get_by_role("button", name="Publish").first.click()
    page.get_by_text("Publish now").click()
    beside = page.locator('label[for^="price-field-"] + .site-check-problems')
    text = beside.inner_text(timeout=120_000)
    assert "offer.price: 150 is not below the regular price 120" in text
    assert "a special's price must be lower than regular_price" in text  # inv check's fix, word for word
    assert not (content / "specials" / "peel-week.md").exists()

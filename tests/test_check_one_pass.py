"""`inv check` finds in one pass everything the build and the deploy would refuse.

One content folder holds one file for each mistake coordinators really make and for every
earlier validation rule. A single `inv check` (a real process, as the coordinator runs it) must
list every expected message, sorted by file and line, and exit non-zero. The same folder with
each mistake fixed passes `inv check`, `inv build` and `inv deploy --dry-run` (against a real S3
server), while a draft stub with problems of its own is listed as a warning and never blocks.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from pipeline.content import scaffold, types
from tests.pipeline.content.test_specials_events import RULES as SPECIAL_RULES
from tests.pipeline.content.test_validation import RULES as CONTENT_RULES
from tests.support.gallery import CASES, PATIENT, GallerySite
from tests.support.sitefactory import FILES, ROOT, dump

AS_OF = "2026-11-22"
GTM = '<script async src="https://www.googletagmanager.com/gtm.js?id=GTM-ABC123"></script>'


class Mistakes:
    """Writes the folder, each mistake broken or fixed, and remembers what `inv check` must say."""

    def __init__(self, site: GallerySite, fixed: bool):
        self.site, self.fixed = site, fixed
        self.errors: list[tuple[str, str]] = []  # (start of the line, words it must contain)
        self.warnings: list[tuple[str, str]] = []
        self.absent: list[tuple[str, str]] = []  # (start of a line, words it may not contain)

    def text(self, rel: str, broken: str, fixed: str, *expected: tuple[str, str]) -> Path:
        path = self.site.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fixed if self.fixed else broken, encoding="utf-8")
        self.errors += expected
        return path

    def data(
        self,
        rel: str,
        broken: dict,
        fixed: dict,
        body: str = "Some **Markdown** body.\n",
        fixed_body: str | None = None,
        *expected: tuple[str, str],
    ) -> Path:
        return self.text(
            rel, dump(broken, body), dump(fixed, body if fixed_body is None else fixed_body), *expected
        )


def _copy_of(rel: str, changes: dict, new_id: str) -> tuple[str, dict, dict]:
    """A copy of a fixture file under a new id, with and without the rule's change."""
    base = copy.deepcopy(FILES[rel])
    broken = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            broken.pop(key, None)
        else:
            broken[key] = value
    if broken.get("related") == ["botox"] and rel == "procedures/botox.md":
        broken["related"] = [new_id]  # the self-reference rule, for the copy itself
    if rel.startswith("locations/"):
        for data in (base, broken):  # a second clinic with the fixture's phone numbers is fine
            data["name"] = f"{data['name']} ({new_id})"
    return f"{rel.split('/')[0]}/{new_id}.md", broken, base


def _image(path: Path, colour=(200, 180, 170)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (320, 200), colour).save(path, quality=85)


def write_mistakes(site: GallerySite, fixed: bool) -> Mistakes:
    m = Mistakes(site, fixed)
    post = FILES["blog/botox-myths.md"]
    images = site.content / "images"

    # -- every earlier rule, one file each -------------------------------------------------
    for param in [*CONTENT_RULES, *SPECIAL_RULES]:
        rel, changes, field, words = param.values
        new_id = "rule-" + param.id
        new_rel, broken, base = _copy_of(rel, changes, new_id)
        m.data(
            new_rel, broken, base, "Some **Markdown** body.\n", None, (f"content/{new_rel}:{field}: ", words)
        )
    m.text(
        "pages/yaml-error.md",
        "---\ntitle: Fine\nsummary: [unclosed\n---\nBody\n",
        "---\ntitle: Fine\nsummary: Closed\n---\nBody\n",
        ("content/pages/yaml-error.md:front matter: ", "the YAML cannot be read"),
    )
    m.text(
        "pages/no-front-matter.md",
        "# Just a heading\n",
        "---\ntitle: Heading\nsummary: One.\n---\n# Just a heading\n",
        ("content/pages/no-front-matter.md:front matter: ", "does not start with front matter"),
    )
    m.text(
        "pages/twice.md",
        "---\ntitle: A\ntitle: B\nsummary: s\n---\n",
        "---\ntitle: A\nsummary: s\n---\n",
        ("content/pages/twice.md:title: ", "is given twice"),
    )
    if fixed:
        site.write("pages/hello.md", {"title": "Hello", "summary": "Hi."})
    else:
        site.write("news/hello.md", {"title": "Hello", "summary": "Hi."})
        m.errors.append(("content/news/hello.md:file: ", "is not in a folder the site knows"))
    m.data(
        "procedures/draft-peel.md",
        {**FILES["procedures/hydrafacial.md"], "name": "Draft peel", "status": "draft"},
        {**FILES["procedures/hydrafacial.md"], "name": "Draft peel"},
    )
    m.data(
        "blog/links-a-draft.md",
        {**post, "procedures": ["draft-peel"]},
        {**post, "procedures": ["draft-peel"]},
        "Body.\n",
        None,
        ("content/blog/links-a-draft.md:procedures.0: ", "the procedure 'draft-peel' is a draft"),
    )
    for name, markdown, words in (
        (
            "body-missing",
            "![A syringe](/images/blog/nope.jpg)",
            "the image '/images/blog/nope.jpg' in the text does not exist",
        ),
        (
            "body-third-party",
            "![A syringe](https://cdn.example.com/x.jpg)",
            "is on another site (a third-party request)",
        ),
        ("body-no-alt", "![](/images/blog/botox-myths.jpg)", "has no alt text"),
    ):
        m.data(
            f"blog/{name}.md",
            post,
            post,
            f"Intro.\n\n{markdown}\n",
            "Intro.\n\n![A syringe](/images/blog/botox-myths.jpg)\n",
            (f"content/blog/{name}.md:body: ", words),
        )
    m.data(
        "blog/form-marker.md",
        post,
        post,
        "Ask us.\n\n[[inquiry-form procedure=botoks]]\n",
        "Ask us.\n\n[[inquiry-form procedure=botox]]\n",
        ("content/blog/form-marker.md:body: ", "names procedure 'botoks', which does not exist"),
    )
    # Gallery: an unknown consent, a calendar date, a photo named elsewhere, a folder without case.yml.
    for case_id, changes, field, words in (
        ("botox-consent-11", {"consent": "C-NOPE"}, "consent", "'C-NOPE' is not in the consent ledger"),
        (
            "botox-dated-12",
            {"description": "Treated on March 14, 2026."},
            "description",
            "is a calendar date",
        ),
    ):
        data = {**copy.deepcopy(CASES["botox-front-01"]), **({} if fixed else changes)}
        site.write_case(case_id, data)
        m.errors.append((f"content/gallery/{case_id}/case.yml:{field}: ", words))
    m.data(
        "blog/patient-photo.md",
        {**post, "cover": {"src": f"gallery/botox-front-01/{PATIENT}-front-after.jpg", "alt": "A result"}},
        post,
        "Body.\n",
        None,
        ("content/blog/patient-photo.md:cover.src: ", "is a patient photo from the gallery"),
    )
    if not fixed:
        site.write_case("botox-no-file-13", CASES["botox-front-01"])
        (site.gallery / "botox-no-file-13" / "case.yml").unlink()
        m.errors.append(
            ("content/gallery/botox-no-file-13/case.yml:file: ", "the folder has photos but no case.yml")
        )

    # -- the mistakes of this issue ---------------------------------------------------------
    front = dump(post).split("---\n")[1]
    cover_block = "cover:\n  src: images/blog/botox-myths.jpg\n  alt: A syringe on a tray\n"
    assert cover_block in front
    tab = m.text(
        "blog/tab-indent.md",
        "---\n" + front.replace(cover_block, cover_block.replace("  ", "\t")) + "---\nBody.\n",
        "---\n" + front + "---\nBody.\n",
    )
    tab_line = next(i for i, line in enumerate(tab.read_text().splitlines(), 1) if "src:" in line)
    m.errors.append(
        (
            "content/blog/tab-indent.md:front matter: ",
            f"a tab character at line {tab_line} — indent with spaces",
        )
    )
    title = "title: Five myths about Botox\n"
    m.text(
        "blog/hash-title.md",
        "---\n" + front.replace(title, "title: Winter skin care:tips #3 from our nurses\n") + "---\nBody.\n",
        "---\n"
        + front.replace(title, 'title: "Winter skin care:tips #3 from our nurses"\n')
        + "---\nBody.\n",
        ("content/blog/hash-title.md:title: ", "is cut at ' #'"),
        (
            "content/blog/hash-title.md:title: ",
            'put the text in quotes: title: "Winter skin care:tips #3 from our nurses"',
        ),
    )
    m.text(
        "pages/hash-summary.md",
        "---\ntitle: Our promise\nsummary: Our promise #2 is safety\n---\nText.\n",
        "---\ntitle: Our promise\nsummary: 'Our promise #2 is safety'\n---\nText.\n",
        ("content/pages/hash-summary.md:summary: ", "is cut at ' #'"),
    )
    member = dump({**FILES["team/kim-park.md"], "name": "Ana Cruz"}).split("---\n")[1]
    m.text(
        "team/ana-cruz.md",
        "---\n" + member.replace("alt: Kim Park", "alt: Ana at the #2 chair") + "---\nBio.\n",
        "---\n" + member.replace("alt: Kim Park", "alt: 'Ana at the #2 chair'") + "---\nBio.\n",
        ("content/team/ana-cruz.md:photo.alt: ", "put the text in quotes"),
    )
    latin = site.content / "pages/latin.md"
    latin.write_bytes(
        ("---\ntitle: Caf\u00e9 hours\nsummary: Menu\n---\n").encode("utf-8" if fixed else "latin-1")
    )
    m.errors.append(("content/pages/latin.md:file: ", "is not UTF-8 text: line 2, column 11"))
    case = {k: v for k, v in copy.deepcopy(CASES["botox-front-01"]).items() if fixed or k != "sessions"}
    site.write_case("botox-blank-14", case)
    m.errors.append(("content/gallery/botox-blank-14/case.yml:sessions: ", "is missing — add it to case.yml"))
    m.absent.append(("content/gallery/", "front matter"))
    m.data(
        "procedures/laser-peel.md",
        {**FILES["procedures/hydrafacial.md"], "name": "Laser peel", "related": ["laser-pel"]},
        {**FILES["procedures/hydrafacial.md"], "name": "Laser peel", "related": ["botox"]},
        "Body.\n",
        None,
        ("content/procedures/laser-peel.md:related.0: ", "'laser-pel' is not a procedure"),
    )
    m.absent.append(("content/procedures/laser-peel.md", "did you mean"))  # never the file itself
    m.data(
        "blog/winter-skin.md",
        {**post, "cover": {"src": "images/blog/winter-skin-care.jpg", "alt": "Snow"}},
        {**post, "cover": {"src": "images/blog/botox-myths.jpg", "alt": "Snow"}},
        "Body.\n",
        None,
        (
            "content/blog/winter-skin.md:cover.src: ",
            "put the file at content/images/blog/winter-skin-care.jpg",
        ),
    )
    m.absent.append(("content/blog/winter-skin.md", "did you mean"))  # never an unrelated picture
    m.data(
        "blog/near-miss.md",
        {**post, "cover": {"src": "images/blog/botox-myth.jpg", "alt": "A syringe"}},
        post,
        "Body.\n",
        None,
        ("content/blog/near-miss.md:cover.src: ", "did you mean 'images/blog/botox-myths.jpg'?"),
    )
    m.data(
        "blog/unfinished-summary.md",
        {**post, "summary": "[write the summary]"},
        post,
        "Body.\n",
        None,
        ("content/blog/unfinished-summary.md:summary: ", "is still the placeholder — write the summary"),
    )
    m.data(
        "procedures/old-stub.md",
        {
            **FILES["procedures/botox.md"],
            "name": "Old stub",
            "related": [],
            "image": {
                "src": "images/procedures/botox.jpg",
                "alt": "Describe the photo for someone who cannot see it",
            },
        },
        {**FILES["procedures/botox.md"], "name": "Old stub", "related": []},
        "Body.\n",
        None,
        (
            "content/procedures/old-stub.md:image.alt: ",
            "is still the placeholder — write what the photo shows",
        ),
    )
    m.data(
        "blog/body-placeholder.md",
        post,
        post,
        "[write the blog post here, in Markdown]\n",
        "A real post.\n",
        ("content/blog/body-placeholder.md:body: ", "is still the placeholder"),
    )
    m.data(
        "blog/tag-manager.md",
        post,
        post,
        f"Our news.\n\n{GTM}\n",
        "Our news.\n",
        ("content/blog/tag-manager.md:body: ", "<script> is not allowed in the text"),
    )
    # Pictures that cannot be decoded: a text file renamed, an empty file, a JPEG cut short.
    (images / "blog/not-a-photo.jpg").write_bytes(b"just some text" if not fixed else b"")
    if fixed:
        _image(images / "blog/not-a-photo.jpg")
    (images / "team/empty.jpg").write_bytes(b"")
    if fixed:
        _image(images / "team/empty.jpg")
    _image(images / "blog/truncated.jpg")
    if not fixed:
        whole = (images / "blog/truncated.jpg").read_bytes()
        (images / "blog/truncated.jpg").write_bytes(whole[: len(whole) // 2])
    m.data(
        "blog/text-cover.md",
        {**post, "cover": {"src": "images/blog/not-a-photo.jpg", "alt": "A room"}},
        {**post, "cover": {"src": "images/blog/not-a-photo.jpg", "alt": "A room"}},
        "Body.\n",
        None,
        (
            "content/blog/text-cover.md:cover.src: ",
            "the image content/images/blog/not-a-photo.jpg cannot be used: not an image that can be read",
        ),
    )
    team = {
        **FILES["team/kim-park.md"],
        "name": "Bo Lind",
        "photo": {"src": "images/team/empty.jpg", "alt": "Bo"},
    }
    m.data(
        "team/bo-lind.md",
        team,
        team,
        "Bio.\n",
        None,
        ("content/team/bo-lind.md:photo.src: ", "the image content/images/team/empty.jpg cannot be used"),
    )
    m.data(
        "blog/truncated-body.md",
        post,
        post,
        "Intro.\n\n![A room](/images/blog/truncated.jpg)\n",
        None,
        (
            "content/blog/truncated-body.md:body: ",
            ("the image content/images/blog/truncated.jpg cannot be used: the image is damaged or truncated"),
        ),
    )
    # Every way of naming an original that the image pipeline cannot take.
    (site.content / "files").mkdir(exist_ok=True)
    (site.content / "files/intake.docx").write_bytes(b"PK\x03\x04")
    _image(site.content / "files/intake.pdf")  # replaced below by a real PDF
    (site.content / "files/intake.pdf").write_bytes(_pdf())
    m.data(
        "blog/attach-docx.md",
        post,
        post,
        "Fill in [the form]({attach}/files/intake.docx).\n",
        "Fill in [the form]({attach}/files/intake.pdf).\n",
        ("content/blog/attach-docx.md:body: ", "and .docx files are not published"),
    )
    m.data(
        "blog/raw-picture.md",
        post,
        post,
        '<picture><source srcset="/images/blog/botox-myths.jpg"><img src="/images/blog/botox-myths.jpg" '
        'alt="x"></picture>\n',
        '<img src="/images/blog/botox-myths.jpg" alt="A syringe">\n',
        ("content/blog/raw-picture.md:body: ", "the text has a <picture> element"),
    )

    # -- a draft stub, exactly as `inv new` writes it: its problems are warnings ----------------
    import datetime as dt

    choices = {t.kind: sorted(p.stem for p in (site.content / t.folder).glob("*.md")) for t in types.TYPES}
    name, stub = scaffold.scaffold(types.POST, "Draft idea", dt.date(2026, 11, 22), choices)
    (site.content / "blog" / name).write_text(stub, encoding="utf-8")
    m.warnings += [
        ("content/blog/draft-idea.md:summary: ", "is still the placeholder"),
        ("content/blog/draft-idea.md:cover.src: ", "the image 'images/blog/draft-idea.jpg' does not exist"),
    ]
    return m


def _pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": "Front Desk Person"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def inv(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **(env or {})},
        check=False,
    )


def _site(tmp_path: Path, fixed: bool) -> tuple[GallerySite, Mistakes]:
    site = GallerySite(tmp_path / "site").write_all()
    return site, write_mistakes(site, fixed)


def _env(tmp_path: Path) -> dict:
    return {"SITE_INTERNAL_PATH": str(tmp_path / "internal"), "SITE_AS_OF": AS_OF}


def _lines(text: str, heading: str) -> list[str]:
    """The problem lines under ``heading`` in a check's output."""
    block = text.split(heading, 1)[1] if heading in text else ""
    lines = []
    for line in block.splitlines()[1:]:
        if not line.startswith("  "):
            break
        lines.append(line.strip())
    return lines


def test_one_check_lists_every_problem_sorted_by_file_and_line(tmp_path):
    site, expected = _site(tmp_path, fixed=False)
    result = inv("check", "--content", str(site.content), env=_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    errors = _lines(result.stderr, "content problems stopped the build:")
    warnings = _lines(result.stderr, "in drafts (warnings")
    missing = [
        (start, words)
        for start, words in expected.errors
        if not any(line.startswith(start) and words in line for line in errors)
    ]
    assert not missing, "\n".join(f"{s}{w}" for s, w in missing) + "\n--- got ---\n" + "\n".join(errors)
    for start, words in expected.warnings:
        assert any(line.startswith(start) and words in line for line in warnings), (start, words, warnings)
        assert not any(line.startswith(start) for line in errors), f"a draft's problem is not fatal: {start}"
    for start, words in expected.absent:
        assert not any(line.startswith(start) and words in line for line in errors + warnings), (start, words)
    assert len(errors) >= len(expected.errors)
    keys = [
        (line.split(":", 1)[0], int(m.group(1)) if (m := re.search(r"\(line (\d+)\)$", line)) else 0)
        for line in errors
    ]
    assert keys == sorted(keys), "sorted by file, then line"


@pytest.mark.s3
def test_the_same_folder_fixed_passes_check_build_and_a_deploy_dry_run(tmp_path, moto_s3):
    site, _ = _site(tmp_path, fixed=True)
    env = _env(tmp_path)
    # The photos came from a phone, with their location: `inv check` names them and `inv scrub` is the fix.
    scrubbed = inv("scrub", "--content", str(site.content), env=env)
    assert scrubbed.returncode == 0 and "GPS location" in scrubbed.stdout, scrubbed.stdout + scrubbed.stderr
    checked = inv("check", "--content", str(site.content), env=env)
    assert checked.returncode == 0, checked.stderr
    assert "All content is valid" in checked.stdout
    assert (
        "content/blog/draft-idea.md:summary: is still the placeholder" in checked.stderr
    )  # listed, not fatal

    out = tmp_path / "preview"
    built = inv("build", "--content", str(site.content), "--output", str(out), env=env)
    assert built.returncode == 0, built.stderr
    assert (out / "blog/tag-manager/index.html").is_file() and not (out / "drafts/draft-idea").exists()
    (pdf,) = out.rglob("intake.pdf")
    assert b"Front Desk Person" not in pdf.read_bytes()

    bucket = moto_s3.new_bucket("check")
    public = tmp_path / "public"
    deployed = inv(
        "deploy",
        "--dry-run",
        "--bucket",
        bucket,
        "--content",
        str(site.content),
        "--output",
        str(public),
        env={**env, **moto_s3.env()},
    )
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    plan = json.loads((tmp_path / "internal" / "deploy-plan.json").read_text())
    assert plan["bucket"] == bucket and plan["actions"]
    assert (public / "index.html").is_file() and not (public / "drafts").exists()
    assert (out / "index.html").is_file(), "the local preview in its own folder is left alone"
    assert not moto_s3.client().list_objects_v2(Bucket=bucket).get("Contents"), "a dry run changes nothing"

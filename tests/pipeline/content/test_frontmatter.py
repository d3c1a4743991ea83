import datetime as dt

from pipeline.content.frontmatter import split


def test_fields_lines_and_body():
    parsed = split("---\ntitle: Hi\ncover:\n  src: a.jpg\n  alt: A\ntags:\n  - x\n  - y\n---\nBody\n", "f.md")
    assert parsed.problems == []
    assert parsed.data == {"title": "Hi", "cover": {"src": "a.jpg", "alt": "A"}, "tags": ["x", "y"]}
    assert parsed.lines["title"] == 2 and parsed.lines["cover.alt"] == 5 and parsed.lines["tags.1"] == 8
    assert parsed.line_of("cover.missing") == 3
    assert parsed.body == "Body\n"


def test_times_stay_text_and_dates_are_dates():
    parsed = split("---\nopens: 9:30\nday: 2026-03-14\nzip: 02134\ncount: 12\n---\n", "f.md")
    assert parsed.data == {"opens": "9:30", "day": dt.date(2026, 3, 14), "zip": "02134", "count": 12}


def test_byte_order_mark_is_ignored():
    assert split("\ufeff---\ntitle: Hi\n---\n", "f.md").data == {"title": "Hi"}


def test_unclosed_front_matter():
    problems = split("---\ntitle: Hi\n", "f.md").problems
    assert [p.field for p in problems] == ["front matter"]
    assert "never closed" in problems[0].message


# -- the YAML mistakes people really make ----------------------------------------------------


def test_a_tab_names_its_line_and_says_to_indent_with_spaces():
    problems = split("---\ntitle: Hi\ncover:\n\tsrc: a.jpg\n  alt: A\n---\n", "f.md").problems
    assert [str(p) for p in problems] == [
        "f.md:front matter: a tab character at line 4 — indent with spaces (line 4)"
    ]


def test_text_cut_at_a_hash_must_be_quoted():
    parsed = split(
        "---\ntitle: Winter skin care:tips #1 from our nurses\ncover:\n  alt: Our #MedSpa team\n"
        "tags:\n  - glow #2\n---\n",
        "f.md",
    )
    messages = {p.field: str(p) for p in parsed.problems}
    assert (
        "is cut at ' #': YAML reads '#1 from our nurses' as a comment, so it would say only "
        "'Winter skin care:tips'" in messages["title"]
    )
    assert messages["title"].endswith(
        'put the text in quotes: title: "Winter skin care:tips #1 from our nurses" (line 2)'
    )
    assert 'alt: "Our #MedSpa team"' in messages["cover.alt"]
    assert '- "glow #2"' in messages["tags.0"]


def test_a_comment_written_as_one_and_quoted_text_are_fine():
    parsed = split(
        "---\ntitle: 'Tips #1'\nsummary: \"Our #1 promise\"\nauthor: kim-park   # a team member's id\n"
        "status: draft  # or published\n---\n",
        "f.md",
    )
    assert parsed.problems == [] and parsed.data["title"] == "Tips #1" and parsed.data["author"] == "kim-park"


def test_a_file_that_is_not_utf8_gives_line_and_column(tmp_path):
    from pipeline.content.frontmatter import read_markdown

    path = tmp_path / "f.md"
    path.write_bytes("---\ntitle: Menu\nsummary: Caf\u00e9 au lait\n---\n".encode("latin-1"))
    (problem,) = read_markdown(path, "content/pages/f.md").problems
    assert str(problem).startswith("content/pages/f.md:file: is not UTF-8 text: line 3, column 13 ")
    assert problem.line == 3 and "byte" not in str(problem)


def test_a_yaml_file_names_itself_never_front_matter(tmp_path):
    from pipeline.content import types, validate
    from pipeline.content.frontmatter import load_yaml

    def messages(text: str) -> list[str]:
        parsed = load_yaml(text, "content/gallery/x/case.yml")
        return [
            str(p)
            for p in validate.parse(types.GALLERY_CASE, parsed, "content/gallery/x/case.yml", "x").problems
        ]

    for text in ("title: [broken\n", "procedure: botox\n", "\tprocedure: botox\n", "- a list\n"):
        assert messages(text) and not any("front matter" in m for m in messages(text)), messages(text)
    assert (
        "content/gallery/x/case.yml:sessions: is missing — add it to case.yml, e.g. sessions: 1"
        in messages("procedure: botox\n")
    )
    assert messages("title: [broken\n")[0].startswith(
        "content/gallery/x/case.yml:file: the YAML cannot be read"
    )

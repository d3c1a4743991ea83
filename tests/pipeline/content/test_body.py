"""Reading time of a post's body."""

from pipeline.content.body import reading_minutes


def test_reading_time_counts_the_words_a_reader_sees():
    words = " ".join(["word"] * 440)
    assert reading_minutes(f"<p>{words}</p>") == 2
    assert reading_minutes(f"<p>{words} one more</p>") == 3
    assert reading_minutes("") == 1  # never "0 min read"
    # Tags, attributes (alt text) and comments are not read; entities are one character.
    markup = (
        '<p>Don&rsquo;t <a href="/blog/a-b-c-d/">miss</a> it</p><img alt="many words in the alt text">'
        "<!--inquiry-form preset=contact-->"
    )
    assert reading_minutes(markup * 100) == reading_minutes("<p>Don’t miss it</p>" * 100)


def test_words_either_side_of_a_tag_are_two_words():
    """``<li>two</li><li>three</li>`` is two words (Jinja's ``striptags`` would make it one)."""
    item = "<li>two</li><li>three</li>"
    assert reading_minutes("<ul>" + item * 110 + "</ul>") == 1
    assert reading_minutes("<ul>" + item * 111 + "</ul>") == 2  # 222 words

"""Counting and finding things in caption text, the way the platforms do.

- :func:`weighted_length`: X's count (twitter-text v3 "weighted" rules): text is NFC-normalised;
  every URL counts 23; every emoji sequence counts 2; any other code point counts 1 when it is in
  one of the weight-100 ranges (U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F, U+2032-U+2037:
  Latin, Greek, Cyrillic, Hebrew, Arabic, Indic scripts, general punctuation ...) and 2 otherwise
  (CJK, most symbols). REFERENCE.md: "280 weighted characters: every URL counts 23, emoji count 2".
- :func:`plain_length`: what Instagram, LinkedIn and Google count: code points after NFC.
- :func:`shorten`: text cut at a word boundary, with an ellipsis, to fit a budget by any count.
- :func:`hashtags`, :func:`urls`, :func:`phone_numbers`.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
import regex

# twitter-text config v3 (twitter-text/config/v3.json): scale 100, default weight 200.
_SCALE = 100
_DEFAULT_WEIGHT = 200
_WEIGHT_100 = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
URL_WEIGHT = 23  # X: every URL counts 23 (t.co)
EMOJI_WEIGHT = 2  # X: an emoji counts 2, however many code points make it

_ELEMENT = (
    r"(?:\p{Extended_Pictographic}|\p{Emoji_Presentation})(?:\p{Emoji_Modifier}|\uFE0F)?"
    r"(?:[\U000E0020-\U000E007E]+\U000E007F)?"
)
# An emoji sequence: a flag (two regional indicators), a keycap, or pictographs joined by ZWJ.
EMOJI = regex.compile(rf"\p{{Regional_Indicator}}{{2}}|[#*0-9]\uFE0F?\u20E3|{_ELEMENT}(?:\u200D{_ELEMENT})*")

# Links X (and most tools) turn into links: with a scheme, www., or a bare domain with a common TLD.
_TLDS = (
    "com|net|org|edu|gov|io|co|us|uk|ca|au|de|fr|es|it|nl|info|biz|me|app|dev|health|clinic|care|"
    "spa|beauty|salon|example|ly|link|site|online|shop|page"
)
URL = re.compile(
    r"(?<![\w@/.-])(?:https?://[^\s<>\"']+|www\.[^\s<>\"']+|"
    rf"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"']*)?)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\"…"
HASHTAG = re.compile(r"(?<![\w&#/])#(?!\d+\b)(\w+)")
# Belt and braces beside libphonenumber: North American and international layouts, vanity numbers.
_PHONE_PATTERN = re.compile(
    r"(?<![\w$.,/-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?![\w-])"
    r"|(?<![\w$.,/-])\d{3}[\s.-]\d{4}(?![\w.,-]?\d)"
    r"|\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?!\d)"
    r"|\b1[\s.-]?8(?:00|33|44|55|66|77|88)[\s.-]?[A-Z0-9]{3}[\s.-]?[A-Z0-9]{4}\b",
)


def _weight(code_point: int) -> int:
    return 100 if any(low <= code_point <= high for low, high in _WEIGHT_100) else _DEFAULT_WEIGHT


def urls(text: str) -> list[tuple[int, int]]:
    """Spans of the links in ``text``, trailing punctuation left out."""
    spans = []
    for match in URL.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        spans.append((start, end))
    return spans


def weighted_length(text: str) -> int:
    """X's weighted length of ``text`` (see the module docstring); 280 is the limit."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    covered: list[tuple[int, int]] = []
    for start, end in urls(text):
        total += URL_WEIGHT * _SCALE
        covered.append((start, end))
    for match in EMOJI.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in covered):
            continue
        token = match.group(0)
        # A text-default symbol such as (c) in a weight-100 range is an emoji only with U+FE0F.
        if len(token) == 1 and _weight(ord(token)) == 100:
            continue
        total += EMOJI_WEIGHT * _SCALE
        covered.append((start, end))
    covered.sort()
    position = 0
    for start, end in covered + [(len(text), len(text))]:
        total += sum(_weight(ord(ch)) for ch in text[position:start])
        position = max(position, end)
    return total // _SCALE


ELLIPSIS = "…"


def shorten(text: str, budget: int, measure=None) -> str | None:
    """``text`` as is when ``measure(text) <= budget``, else its longest start that ends on a whole
    word and, with an ellipsis, fits the budget; None when not even one word fits."""
    measure = measure or plain_length
    text = text.strip()
    if measure(text) <= budget:
        return text
    words = text.split()
    low, high = 0, len(words)  # the most words that fit, found by halving (measure is monotone in words)
    while low < high:
        mid = (low + high + 1) // 2
        if measure(" ".join(words[:mid]).rstrip(".,;:!?—–-") + ELLIPSIS) <= budget:
            low = mid
        else:
            high = mid - 1
    if low == 0:
        return None
    return " ".join(words[:low]).rstrip(".,;:!?—–-") + ELLIPSIS


def plain_length(text: str) -> int:
    """Characters as Instagram, LinkedIn and Google count them: code points after NFC."""
    return len(unicodedata.normalize("NFC", text))


def hashtags(text: str) -> list[str]:
    """The hashtags in ``text``, in order, as written (``#MedSpa``)."""
    return ["#" + match.group(1) for match in HASHTAG.finditer(text)]


def phone_numbers(text: str, region: str = "US") -> list[str]:
    """Everything in ``text`` a platform would take for a phone number (Google rejects such posts)."""
    outside_links = text
    for start, end in reversed(urls(text)):
        outside_links = outside_links[:start] + " " * (end - start) + outside_links[end:]
    found = {
        m.raw_string.strip()
        for m in phonenumbers.PhoneNumberMatcher(
            outside_links, region, leniency=phonenumbers.Leniency.POSSIBLE
        )
    }
    found |= {m.group(0).strip() for m in _PHONE_PATTERN.finditer(outside_links)}
    return sorted(found)

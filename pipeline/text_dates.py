"""Calendar dates written in text, in every common form, as a pure function.

HIPAA's Safe Harbor method (45 CFR 164.514(b)(2)(i)(C)) counts "all elements of dates (except
year)" directly related to an individual as identifiers. :func:`find_dates` therefore finds
every date finer than a year: a day ("March 14", "3/14", "the 14th", "Christmas Eve"), or a
part of a year with its year ("March 2026", "Q1 2026", "summer 2025", "late 2025"). A year
alone and relative times ("12 weeks after") are not dates.

The text is read as a reader sees it: compatibility forms folded (full-width digits, Unicode
dashes, slashes and spaces), and "_" read as a separator, so a file name such as
``IMG_20260314_1015.jpg`` or ``front_2026_03_14.jpg`` is read too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Characters that read as a dash, a slash or a space (Unicode General Categories Pd and Zs,
# plus the minus sign), and those that read as nothing (zero-width, soft hyphen).
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043"
SLASHES = "\u2044\u2215\u29f8\uff0f"
SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_FOLD = {
    **{c: "-" for c in DASHES},
    **{c: "/" for c in SLASHES},
    **{c: " " for c in SPACES},
    **{c: "" for c in INVISIBLE},
}
_FOLDABLE = re.compile("[" + "".join(_FOLD) + "]")


def fold(text: str) -> str:
    """``text`` as a reader sees its characters: NFKC, Unicode dashes/slashes/spaces as ASCII, no
    zero-width characters. Pure ASCII is returned unchanged (the common case, and cheap)."""
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _FOLDABLE.sub(lambda m: _FOLD[m.group(0)], text)


_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?-i:May)|may(?=[\s./-]*\d)|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    # Spanish, common in California: "14 de marzo de 2026"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|s[e]?ptiembre|setiembre|octubre|noviembre|diciembre"
)
# "3 May", "3rd of May": here "May" must be capitalised ("3 may need" is a verb).
_MONTH_AFTER_DAY = _MONTH.replace(r"|may(?=[\s./-]*\d)", "")
_M = rf"(?<![A-Za-z])(?:{_MONTH})(?![A-Za-z])"
_M_AFTER_DAY = rf"(?<![A-Za-z])(?:{_MONTH_AFTER_DAY})(?![A-Za-z])"
_ORD = r"(?:st|nd|rd|th)?"
_SPELLED = (
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth"
    r"|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth"
    r"|twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirty[- ]first"
)
_YEAR = r"(?:\d{4}|['’]\d{2})"
_SEP = r"[\s./-]*"
# After a number, words that make it an amount rather than a day ("Jan 2 weeks later").
_UNIT = r"(?!\s*(?:days?|weeks?|months?|years?|sessions?|units?|ml|cc|syringes?|vials?|%|x\b|hours?|mins?|minutes?|treatments?|visits?))"
# Specific days, with or without a year: each names a month and a day.
_HOLIDAY = (
    r"christmas(?:\s+(?:eve|day))?|x-?mas|new\s+year['’]?s(?:\s+(?:eve|day))?|(?:st\.?\s+|saint\s+)?valentine['’]?s(?:\s+day)?"
    r"|thanksgiving(?:\s+day)?|easter(?:\s+(?:sunday|monday))?|good\s+friday|hallowe['’]?en"
    r"|(?:fourth|4th)\s+of\s+july|independence\s+day|memorial\s+day|labou?r\s+day|mother['’]?s\s+day|father['’]?s\s+day"
    r"|(?:st\.?|saint)\s+patrick['’]?s(?:\s+day)?|cinco\s+de\s+mayo|juneteenth|veterans['’]?\s+day|presidents['’]?\s+day"
    r"|(?:martin\s+luther\s+king(?:,?\s+jr\.?)?|mlk)\s+day|columbus\s+day|indigenous\s+peoples['’]?\s+day"
    r"|black\s+friday|cyber\s+monday|boxing\s+day|hanukk?ah|chanukah|diwali|(?:lunar|chinese)\s+new\s+year"
    r"|rosh\s+hashanah|yom\s+kippur|passover|kwanzaa|groundhog\s+day|april\s+fools['’]?(?:\s+day)?|election\s+day"
    r"|eid(?:\s+al-(?:fitr|adha))?"
)
_SEASON = r"spring|summer|autumn|fall|winter"
_PART = r"early|mid|late|end\s+of|beginning\s+of|start\s+of|middle\s+of|the\s+end\s+of"
# Words before a bare "3-14" or "3.14" that make it a day rather than a range or a decimal.
_CUE = re.compile(
    r"(?:\bon|\bdated|\btreated|\btaken|\bphotographed|\bshot|\bseen|\bvisit(?:ed)?|\bappointment|\bsince|\bfrom"
    r"|\buntil|\btill?|\bthrough|\bthru|\bas\s+of|\bbefore|\bafter|\bby)\s*:?\s*$",
    re.I,
)

_PATTERNS = (
    # 2026-03-14, 2026/3/14, 2026.03.14, 2026_03_14 (as read: "_" is a separator)
    ("ymd", re.compile(r"(?<!\d)(?<!\d\.)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d|\.\d)")),
    # 14/03/2026, 3-14-26, 14.03.2026 (the same separator twice)
    ("dmy", re.compile(r"(?<!\d)(?<!\d\.)(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d|\.\d)")),
    # 20260314, 14032026, 03142026
    ("compact", re.compile(r"(?<![\d.])(\d{8})(?![\d]|\.\d)")),
    # 2026-W11 (an ISO week)
    ("week", re.compile(r"(?<![\d.])\d{4}-?W(?:0[1-9]|[1-4]\d|5[0-3])(?:-?[1-7])?(?![\d])", re.I)),
    # 2026-03, 2026/03 (a year and a month)
    ("ym", re.compile(r"(?<![\d.-])(\d{4})[-/](0[1-9]|1[0-2])(?![\d/-]|\.\d)")),
    # 03/2026
    ("my", re.compile(r"(?<![\d./-])(0?[1-9]|1[0-2])/(\d{4})(?![\d/])")),
    # 14 March, 3rd of May, 14-Mar-2026, 14Mar26, 14 de marzo, the fourteenth of March
    (
        "day-month",
        re.compile(
            rf"(?:(?<![\d.])\d{{1,2}}{_ORD}|\b(?:{_SPELLED}))(?:{_SEP}(?:of|de)\s+|{_SEP}){_M_AFTER_DAY}"
            rf"(?:\.?,?{_SEP}(?:de\s+)?(?:{_YEAR}|\d{{2}})(?!\d))?",
            re.I,
        ),
    ),
    # March 14, Mar. 14th, March 14, 2026, Mar-14-2026, March the 14th, March first
    (
        "month-day",
        re.compile(
            rf"{_M}\.?{_SEP}(?:the\s+)?(?:\d{{1,2}}(?!\d){_ORD}{_UNIT}|(?:{_SPELLED})\b)(?:,?{_SEP}{_YEAR}(?!\d))?",
            re.I,
        ),
    ),
    # March 2026, March, 2026, Mar '26, marzo de 2026
    ("month-year", re.compile(rf"{_M}\.?,?{_SEP}(?:of\s+|de\s+)?{_YEAR}(?!\d)", re.I)),
    # spring 2026, the summer of '25
    ("season-year", re.compile(rf"\b(?:{_SEASON}){_SEP}(?:of\s+)?{_YEAR}(?!\d)", re.I)),
    # Q1 2026, Q1/26, 2026 Q1, 1Q26, first quarter of 2026, H2 2025, second half of 2025
    (
        "quarter",
        re.compile(
            rf"(?<![A-Za-z\d])(?:[QH][1-4](?:{_SEP}{_YEAR}|[/-]?\d{{2}})|\d{{4}}{_SEP}[QH][1-4]|[1-4]Q{_SEP}['’]?\d{{2}}(?:\d{{2}})?)"
            r"(?![A-Za-z\d])"
            rf"|\b(?:first|second|third|fourth|last|1st|2nd|3rd|4th)\s+(?:quarter|half)\s+(?:of\s+)?{_YEAR}(?!\d)",
            re.I,
        ),
    ),
    # early 2026, late 2025, the end of 2025
    ("part-year", re.compile(rf"\b(?:{_PART})[\s-]+(?:of\s+)?{_YEAR}(?!\d)", re.I)),
    # Christmas Eve 2025, Valentine's Day, the Fourth of July
    ("holiday", re.compile(rf"\b(?:{_HOLIDAY})\b(?:,?\s+{_YEAR}(?!\d))?", re.I)),
    # on the 14th, the 3rd. (an ordinal day; "the 3rd session" is not one)
    ("ordinal-day", re.compile(r"\bthe\s+(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b(?!\s*[A-Za-z(])", re.I)),
    # 3/14, 14/3 (no year); 3-14 and 3.14 only after "on", "treated", "since"...
    ("md", re.compile(r"(?<![\d/.,-])(\d{1,2})([/.-])(\d{1,2})(?![\d/]|[.-]\d)")),
)
# Proper fractions and ratings read as amounts, not days: 1/2, 3/4, 8/10 (unless a cue says "on").
_FRACTION_DENOMINATORS = frozenset({2, 3, 4, 5, 6, 8, 10, 12, 16})
_NOT_DAYS = frozenset({"24/7"})


@dataclass(frozen=True)
class DateHit:
    line: int  # 1-based
    text: str  # what was found, as written


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _plausible(kind: str, match: re.Match, line: str) -> bool:
    if kind == "ymd":
        return _valid(int(match[3]), int(match[4]))
    if kind == "dmy":
        a, b = int(match[1]), int(match[3])
        return _valid(a, b) or _valid(b, a)
    if kind == "compact":
        digits = match[1]
        y, m, d = int(digits[:4]), int(digits[4:6]), int(digits[6:])
        if 1900 <= y <= 2099 and _valid(m, d):
            return True  # 20260314
        tail = int(digits[4:])
        return 1900 <= tail <= 2099 and (
            _valid(int(digits[:2]), int(digits[2:4])) or _valid(int(digits[2:4]), int(digits[:2]))
        )
    if kind == "md":
        a, b = int(match[1]), int(match[3])
        if not (_valid(a, b) or _valid(b, a)):
            return False
        cued = bool(_CUE.search(line[: match.start()]))
        if match[2] != "/":
            return cued  # 3-14 is a range and 3.14 a number, unless "on 3-14"
        if match.group(0) in _NOT_DAYS:
            return False
        return cued or not (a < b and b in _FRACTION_DENOMINATORS or b == 10)
    return True


def find_dates(text: str, *, skip: Iterable[str] = ()) -> list[DateHit]:
    """Every date finer than a year in ``text``, by line, in order. A year alone ("2026") is fine.

    ``skip`` holds exact strings to ignore (e.g. the case's consent id, an opaque code).
    """
    skipped = [s for s in skip if s]
    hits: list[DateHit] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        for item in skipped:
            raw = raw.replace(item, " " * len(item))
        shown = fold(raw)
        line = shown.replace("_", "-")  # same length: what is found is shown as written
        spans: list[tuple[int, int]] = []
        for kind, pattern in _PATTERNS:
            for match in pattern.finditer(line):
                if not _plausible(kind, match, line):
                    continue
                start, end = match.span()
                if any(s < end and start < e for s, e in spans):
                    continue  # already reported as part of a longer date
                spans.append((start, end))
        hits.extend(DateHit(number, shown[start:end].strip()) for start, end in sorted(spans))
    return hits

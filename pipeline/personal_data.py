"""Personal data in published text, as pure functions: text in, findings out.

One detector serves the content check (``inv check`` / ``inv build``: Markdown bodies and front
matter, reported as content problems with the line) and the publish guard (every text file and
PDF of the built site). It finds:

- email addresses, also written with character references, ``%40`` or ``[at]``/``[dot]``;
- phone numbers however they are written: dots, slashes, spaces, non-breaking spaces, Unicode
  hyphens and dashes, full-width digits, zero-width characters, ``tel:`` links, international
  forms (libphonenumber decides on each candidate);
- US Social Security numbers (``123-45-6789``, or nine digits after "SSN");
- dates of birth (a date finer than the year after "DOB", "date of birth", "born", ...);
- medical record numbers (digits after "MRN", "medical record number", "chart #", ...).

The practice's own published email addresses and phone numbers (its content: ``practice.yml``
and the locations, and any address at the practice's own email domain) are allowed; everyone
else's are not, whatever their domain (a reserved ``.example`` domain too). What is found is never shown whole: :attr:`Hit.described` masks it
("an email address (j***@gmail.com)").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from pipeline.text_dates import find_dates, fold

LABELS = {
    "email": "an email address",
    "phone": "a phone number",
    "ssn": "a US Social Security number",
    "dob": "a date of birth",
    "mrn": "a medical record number",
}
FIXES = {
    "email": "remove it: the site may show only the practice's own email addresses (content/practice.yml and "
    "the locations), never a patient's or anyone else's",
    "phone": "remove it: the site may show only the practice's own phone numbers (content/practice.yml and "
    "the locations), never a patient's or anyone else's",
    "ssn": "remove it: a Social Security number identifies a person and must never be on the site",
    "dob": "remove it: a date of birth identifies a patient and must never be on the site",
    "mrn": "remove it: a medical record number identifies a patient and must never be on the site",
}

EMAIL = re.compile(r"(?<![\w.+%-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![\w-])")
# "jane [at] gmail [dot] com", "jane(at)gmail.com"
_AT = r"\s*[\[({]\s*at\s*[\])}]\s*"
_DOT = r"(?:\s*[\[({]\s*dot\s*[\])}]\s*|\.)"
OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+-])[A-Za-z0-9._%+-]+{_AT}[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)+", re.I
)
# File extensions that look like top-level domains in "logo@2x.png"-style names.
NOT_TLDS = frozenset(
    {"png", "jpg", "jpeg", "webp", "avif", "gif", "svg", "css", "js", "html", "ico", "json", "woff2"}
)
# Phone numbers, in three steps, each on less text: DIGIT_RUN finds runs of digits and separators
# (a pattern starting with a character class, which the regex engine scans for quickly), PHONE
# picks the shapes of a phone number in and around them, and phonenumbers.PhoneNumberMatcher
# decides on each (it reads no phone number in a content-hash name such as
# media/382d2995575721c7-480.jpg, a date or a price).
DIGIT_RUN = re.compile(r"[\d(+][\d\s().+/-]{8,}\d")
_SEP = r"[\s./-]"
PHONE = re.compile(
    # (212) 555-0142, 212.555.0142, 212/555/0142, (212)555-0142, 2125550142
    rf"(?<![\w/.+-])(?:\+?1{_SEP}?)?(?:\([2-9]\d{{2}}\)\s?|[2-9]\d{{2}}{_SEP}?)\d{{3}}{_SEP}?\d{{4}}(?![\w-])"
    r"|tel:\s*\+?[\d()./\s-]{7,20}\d"  # tel: links
    r"|(?<![\w/.])\+\d{1,3}[\s./-]?\d[\d\s./-]{7,14}\d(?![\w-])"  # +44 20 7946 0958, +442079460958
)
# In code (JavaScript, CSS) only a number written for people counts: separators or a tel: link.
FORMATTED_PHONE = re.compile(r"\d[\s./)-]+\d|tel:")
PHONE_REGION = "US"  # numbers written without a country code are read as the practice's (NANP)
# The demo's and tests' numbers are fictional 555 area codes, which phonenumbers calls invalid:
# a North American number of the right shape counts too.
NANP = re.compile(r"[2-9]\d{2}[2-9]\d{6}")
# SSA: no area 000, 666 or 9xx, no group 00, no serial 0000 (ssa.gov, "Social Security Number
# Randomization").
SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)(\d{3})([- .])(?!00)(\d{2})\2(?!0000)(\d{4})(?![\d-])")
SSN_CUED = re.compile(
    r"\b(?:SSN|SS#|social\s+security(?:\s+(?:number|no\.?|#))?)\s*[:#.]?\s*(\d{9}|\d{3}[- .]\d{2}[- .]\d{4})\b",
    re.I,
)
DOB_CUE = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?|fecha\s+de\s+nacimiento)"
    r"[\s:#.=,-]*",
    re.I,
)
MRN = re.compile(
    r"\b(?:MRN|M\.R\.N\.|medical\s+record\s*(?:number|no\.?|#)?|med\.?\s+rec\.?\s*(?:no\.?|#)|chart\s*(?:number|no\.?|#)"
    r"|patient\s*(?:id|number|no\.?|#)|record\s*(?:number|no\.?|#))\s*[:#.=]?\s*([A-Z]{0,4}-?\d[\d-]{3,})",
    re.I,
)


# Mailbox providers anyone can sign up with: an address there says nothing about who owns it.
FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "ymail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "mail.com",
        "zoho.com",
        "yandex.com",
        "comcast.net",
        "att.net",
        "sbcglobal.net",
        "verizon.net",
        "cox.net",
        "charter.net",
    }
)


@dataclass(frozen=True)
class Contacts:
    """The practice's own published email addresses (lower case) and phone numbers (digits).

    Any address at the practice's own email domains is its own too (privacy@, accessibility@),
    unless the domain is a public mailbox provider (then only the exact addresses).
    """

    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    @classmethod
    def of(cls, emails: Iterable[str] = (), phones: Iterable[str] = ()) -> Contacts:
        emails = frozenset(e.strip().lower() for e in emails if e and "@" in e)
        domains = frozenset(e.rsplit("@", 1)[1] for e in emails) - FREE_MAIL
        return cls(emails, frozenset(digits(p) for p in phones if p and digits(p)), domains)

    def owns_email(self, address: str) -> bool:
        address = normal_email(address)
        return address in self.emails or address.rsplit("@", 1)[-1] in self.domains

    def owns_phone(self, phone: str) -> bool:
        return digits(phone) in self.phones


NOBODY = Contacts()


@dataclass(frozen=True)
class Hit:
    kind: str  # a key of LABELS
    text: str  # as written: never show it, show .described
    start: int  # in the folded text (see pipeline.text_dates.fold)
    end: int

    @property
    def masked(self) -> str:
        return mask(self.kind, self.text)

    @property
    def described(self) -> str:
        """ "an email address (j***@gmail.com)": what was found, never in full."""
        return f"{LABELS[self.kind]} ({self.masked})"


def mask(kind: str, text: str) -> str:
    if kind == "email":
        local, _, domain = normal_email(text).partition("@")
        return f"{local[:1]}***@{domain}"
    if kind in ("phone", "ssn"):
        tail = digits(text)[-4:]
        return f"***-***-{tail}" if kind == "phone" else f"***-**-{tail}"
    cue = DOB_CUE.match(text) if kind == "dob" else MRN.match(text)
    words = text[: cue.end() if kind == "dob" else cue.start(1)] if cue else ""
    words = words.strip(" \t:#.=,-")
    return f"after '{words}'" if words else "***"


def digits(phone: str) -> str:
    number = re.sub(r"\D", "", fold(phone))
    return number[1:] if len(number) == 11 and number.startswith("1") else number


def normal_email(text: str) -> str:
    """ "Jane [at] Gmail [dot] com" -> "jane@gmail.com"."""
    text = re.sub(_AT, "@", text, flags=re.I)
    return re.sub(r"\s*[\[({]\s*dot\s*[\])}]\s*", ".", text, flags=re.I).lower()


def find(text: str, own: Contacts = NOBODY, *, code: bool = False) -> list[Hit]:
    """Every piece of personal data in ``text`` that is not the practice's own, in order.

    ``text`` is read as a reader sees it (character references decoded, Unicode folded); ``code``
    (JavaScript, CSS) counts only phone numbers written with separators.
    """
    return _find(prepare(text), own, code)


def prepare(text: str) -> str:
    """``text`` as :func:`find` reads it (hit positions are in this text): character references
    decoded, Unicode folded, "%40" read as "@". Lines stay lines."""
    if "&" in text:
        text = html.unescape(text)
    return fold(text).replace("%40", "@")


def _emails(text: str) -> Iterable[re.Match]:
    """EMAIL's matches, found from each "@" (a literal the regex engine finds quickly) rather than by
    trying the pattern at every character of a page."""
    if "@" not in text:
        return
    for at in _AT_SIGN.finditer(text):
        start = at.start()
        while start > 0 and text[start - 1] in _LOCAL:
            start -= 1
        match = EMAIL.match(text, start)
        if match and match.end() > at.start():
            yield match


_AT_SIGN = re.compile(r"@(?=[A-Za-z0-9-]+\.)")
_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_OBFUSCATION = re.compile(r"[\[({]\s*at\s*[\])}]", re.I)
# Where a cue word could start: one pass over the text, then each cue's pattern from there.
_CUES = re.compile(
    r"\b(?:ssn|ss#|social|d\.?\s?o\.?\s?b|date|birth|born|fecha|mrn|m\.r\.n|medical|med|chart|patient"
    r"|record)",
    re.I,
)


def _find(text: str, own: Contacts, code: bool) -> list[Hit]:
    hits: list[Hit] = []
    emails = list(_emails(text))
    if _OBFUSCATION.search(text):
        emails += list(OBFUSCATED_EMAIL.finditer(text))
    for match in emails:
        address = normal_email(match.group(0))
        if own.owns_email(address) or address.rsplit(".", 1)[-1] in NOT_TLDS:
            continue
        hits.append(Hit("email", match.group(0), *match.span()))
    runs = list(DIGIT_RUN.finditer(text))
    for run in runs:
        for match in SSN.finditer(text, max(0, run.start() - 1), run.end() + 1):
            hits.append(Hit("ssn", match.group(0), *match.span()))
    for cue in _CUES.finditer(text):
        at = cue.start()
        if (match := SSN_CUED.match(text, at)) is not None:
            hits.append(Hit("ssn", match.group(0), *match.span()))
        if (match := MRN.match(text, at)) is not None:
            hits.append(Hit("mrn", match.group(0), *match.span()))
        if (match := DOB_CUE.match(text, at)) is not None:
            window = text[match.end() : match.end() + 40]
            dated = find_dates(window.split("\n", 1)[0])
            if dated and window.find(dated[0].text) <= 12:
                end = match.end() + window.find(dated[0].text) + len(dated[0].text)
                hits.append(Hit("dob", text[match.start() : end], match.start(), end))
    taken = [(h.start, h.end) for h in hits if h.kind in ("ssn", "dob", "mrn")]
    for start, end, raw in _phones(text, runs):
        if code and not FORMATTED_PHONE.search(raw):
            continue
        if any(s < end and start < e for s, e in taken):
            continue  # an SSN or a record number, already reported
        if not own.owns_phone(raw):
            hits.append(Hit("phone", raw, start, end))
    # One report per place: "SSN 123-45-6789" matches both SSN forms.
    hits = sorted(set(hits), key=lambda h: (h.start, -h.end, h.kind))
    kept: list[Hit] = []
    for hit in hits:
        if not any(k.kind == hit.kind and k.start <= hit.start and hit.end <= k.end for k in kept):
            kept.append(hit)
    return kept


def _phones(text: str, runs: Iterable[re.Match]) -> list[tuple[int, int, str]]:
    found = {}
    for run in runs:
        start, end = run.span()
        # A few characters either side: PHONE's boundary checks, and "tel: " before the number.
        offset = max(0, start - 6)
        window = text[offset : end + 1]
        for match in PHONE.finditer(window):
            candidate = match.group(0).strip()
            for raw in phone_numbers(candidate):
                at = window.find(raw, match.start())
                found[offset + at] = (offset + at, offset + at + len(raw), raw)
    return sorted(found.values())


@lru_cache(maxsize=4096)  # the same few numbers (the practice's, in every footer) recur on every page
def phone_numbers(text: str) -> tuple[str, ...]:
    """The phone numbers PhoneNumberMatcher finds in ``text``, as written."""
    out = []
    for match in phonenumbers.PhoneNumberMatcher(text, PHONE_REGION, leniency=phonenumbers.Leniency.POSSIBLE):
        number = match.number
        if phonenumbers.is_valid_number(number) or (
            number.country_code == 1 and NANP.fullmatch(str(number.national_number))
        ):
            out.append(match.raw_string)
    return tuple(out)


# -- text as a reader sees it -----------------------------------------------------------------

# Elements whose edges separate words (HTML's block-level and line-breaking elements).
_BLOCKS = (
    "address,article,aside,blockquote,br,dd,details,dialog,div,dl,dt,fieldset,figcaption,figure,footer,"
    "form,h1,h2,h3,h4,h5,h6,header,hr,li,main,nav,ol,p,pre,section,summary,table,tbody,td,tfoot,th,thead,"
    "tr,ul,option,button,label,title,caption"
)


def visible_text(markup: str) -> str:
    """The text of an HTML document or fragment as a reader sees it, parsed by an HTML5 parser
    (lexbor): tags removed (``805-555-<em>0133</em>`` reads "805-555-0133"), character references
    decoded, scripts and styles left out, a line break at the edges of blocks."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    for node in tree.css("script,style,template"):
        node.decompose()
    for node in tree.css(_BLOCKS):
        node.insert_before("\n")
        node.insert_after("\n")
    root = tree.root
    return root.text(separator="") if root is not None else ""


# -- Markdown and YAML sources, line by line ------------------------------------------------------

_INLINE_MARKUP = re.compile(r"<[^<>\n]*>|\*\*|__|~~|(?<!\w)[*_`]|[*_`](?!\w)")


def find_in_source(text: str) -> list[tuple[int, Hit]]:
    """(line, hit) for everything :func:`find` reports in a Markdown or YAML file, ignoring no one
    (the caller leaves out the practice's own). Inline markup is read through:
    ``805-555-*0133*`` and ``805-555-<em>0133</em>`` are one number."""
    prepared = prepare("\n".join(_INLINE_MARKUP.sub("", line) for line in text.split("\n")))
    return [(prepared.count("\n", 0, hit.start) + 1, hit) for hit in _find(prepared, NOBODY, False)]


def own_filter(hits: Iterable[tuple[int, Hit]], own: Contacts) -> list[tuple[int, Hit]]:
    """Leave out the practice's own email addresses and phone numbers."""
    return [
        (line, hit)
        for line, hit in hits
        if not (hit.kind == "email" and own.owns_email(hit.text))
        and not (hit.kind == "phone" and own.owns_phone(hit.text))
    ]

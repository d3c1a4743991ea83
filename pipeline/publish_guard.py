"""The publish guard: scan the built site before anything is uploaded; any finding stops the deploy.

It looks for what must never reach the public site:

* image metadata (EXIF, GPS, IPTC, XMP, comments, PNG text; SVG editor metadata);
* original photos: raster images that are not image-pipeline derivatives (``media/`` with
  content-hash names) or theme files, and camera-style file names anywhere;
* drafts and unpublished specials (``content-status`` draft/scheduled, anything under drafts/);
* internal files (consent/tracking manifests, redirect map, image manifests, social exports,
  reports, partner cards, inquiry data), by name, by folder and by content;
* files whose type is not on the allowlist;
* personal data: email addresses and phone numbers other than the practice's own.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import phonenumbers
from PIL import Image, UnidentifiedImageError

from pipeline.errors import PipelineError

ALLOWED_TYPES = frozenset(
    {
        "html",
        "css",
        "js",
        "mjs",
        "json",
        "xml",
        "txt",
        "ics",
        "svg",
        "png",
        "jpg",
        "jpeg",
        "webp",
        "avif",
        "gif",
        "ico",
        "woff2",
        "webmanifest",
        "pdf",
    }
)
# Pagefind's output (pagefind/): its index, fragments, filters and wasm bundles.
PAGEFIND_TYPES = frozenset({"pf_fragment", "pf_index", "pf_meta", "pf_filter", "pagefind", "wasm"})
RASTER = frozenset({"jpg", "jpeg", "png", "webp", "avif", "gif", "heic", "heif", "tif", "tiff", "bmp"})
TEXT = frozenset({"html", "xml", "txt", "json", "ics", "svg", "webmanifest", "js", "mjs"})
BLOCKED_STATUSES = frozenset({"draft", "scheduled"})

# Icons browsers and platforms look for by name at the site root.
ROOT_ICONS = re.compile(
    r"^(apple-touch-icon[^/]*|favicon[^/]*|android-chrome[^/]*|mstile[^/]*|icon-[^/]*)\.(png|ico|svg)$"
)
CONTENT_HASH = re.compile(r"(^|[._-])[0-9a-f]{10,}([._-]|$)")
CAMERA_NAME = re.compile(
    r"(^|/)(IMG|DSC|DSCN|DSCF|PXL|MVIMG|VID|P\d{3})[_-]?\d{3,}|(^|/)DCIM/|WhatsApp Image|Screenshot|Screen Shot",
    re.IGNORECASE,
)
INTERNAL_NAMES = frozenset(
    {"consent-manifest.json", "tracking-manifest.json", "redirects.json", "deploy-plan.json"}
)
INTERNAL_NAME = re.compile(
    r"[-_]manifest\.json$", re.IGNORECASE
)  # consent-, tracking-, image-manifest.json ...
INTERNAL_DIRS = frozenset({"internal", "inquiries"})
# What the reports write into their PDFs' metadata (pipeline/reports/charts.py, NO_STAMP["pdf"]).
INTERNAL_PDF = b"artefact=internal"
INQUIRY_KEYS = frozenset({"email", "e-mail", "email_address", "phone", "telephone", "phone_number", "mobile"})

EMAIL = re.compile(r"(?<![\w.+%-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![\w-])")
# File extensions that look like top-level domains in "logo@2x.png"-style names.
NOT_TLDS = frozenset(
    {"png", "jpg", "jpeg", "webp", "avif", "gif", "svg", "css", "js", "html", "ico", "json", "woff2"}
)
# RFC 2606 / 6761 names reserved for examples: never anyone's address.
EXAMPLE_DOMAIN = re.compile(
    r"(^|\.)(example\.(com|org|net)|[a-z0-9-]+\.(example|test|invalid|localhost))$", re.IGNORECASE
)
# Phone numbers, in three steps, each on less text: DIGIT_RUN finds runs of digits and separators
# (a pattern starting with a character class, which the regex engine scans for quickly), PHONE
# picks the shapes of a phone number in and around them, and phonenumbers.PhoneNumberMatcher
# decides on each. (PHONE over whole pages is 4x slower; the matcher over whole pages is ~50x
# slower and reads digit runs inside content-hash names such as media/382d2995575721c7-480.jpg.)
DIGIT_RUN = re.compile(r"[\d(+][\d\s().+-]{8,}\d")
PHONE = re.compile(
    # (212) 555-0142, 212.555.0142, (212)555-0142, 2125550142
    r"(?<![\w/.+-])(?:\+?1[\s.-]?)?(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w-])"
    r"|tel:\s*\+?[\d().\s-]{7,20}\d"  # tel: links
    r"|(?<![\w/.])\+\d{1,3}[\s.-]?\d[\d\s.-]{7,14}\d(?![\w-])"  # +44 20 7946 0958, +442079460958
)
PHONE_REGION = "US"  # numbers written without a country code are read as the practice's (NANP)
# The demo's and tests' numbers are fictional 555 area codes, which phonenumbers calls invalid:
# a North American number of the right shape counts too.
NANP = re.compile(r"[2-9]\d{2}[2-9]\d{6}")

KINDS = {
    "metadata": (
        "image metadata",
        "Strip it: images must come from the image pipeline, which removes EXIF, GPS, IPTC and XMP.",
    ),
    "original": (
        "original photo",
        (
            "Publish photos only through the image pipeline (media/ derivatives); "
            "keep originals out of content/ static paths."
        ),
    ),
    "unpublished": (
        "draft or unpublished",
        (
            "Drafts and scheduled specials must not be built for publishing; "
            "check their Status and date, then rebuild."
        ),
    ),
    "internal": (
        "internal file",
        (
            "Internal artefacts belong in internal/ at the project root, never in the output; "
            "check STATIC_PATHS and the plugin that wrote it."
        ),
    ),
    "type": (
        "file type not allowed",
        (
            "Remove the file from the build, or if the site really needs this type "
            "add it to the guard's allowlist (pipeline/publish_guard.py)."
        ),
    ),
    "personal-data": (
        "personal data",
        (
            "Remove the address or number from the content; "
            "the practice's own come from practice_contacts() and are allowed."
        ),
    ),
}


class PublishGuardError(PipelineError):
    """The built site holds something that must not be published; the message lists it all."""


@dataclass(frozen=True, order=True)
class Finding:
    path: str  # relative to the build folder
    kind: str  # a key of KINDS
    detail: str


def check_output(
    root: Path, own_emails: Iterable[str] = (), own_phones: Iterable[str] = (), shown: int = 50
) -> None:
    """Raise :class:`PublishGuardError` listing every finding in the build under ``root``."""
    findings = scan_output(root, own_emails, own_phones)
    if findings:
        raise PublishGuardError(guard_message(Path(root), findings, shown))


def guard_message(root: Path, findings: list[Finding], shown: int = 50) -> str:
    lines = [
        f"The publish guard stopped the deploy: {len(findings)} problem(s) in {root}. Nothing was uploaded."
    ]
    for f in findings[:shown]:
        lines.append(f"  - {f.path}: {KINDS[f.kind][0]}: {f.detail}")
    if len(findings) > shown:
        lines.append(f"  ... and {len(findings) - shown} more")
    lines.append("How to fix:")
    for kind in sorted({f.kind for f in findings}):
        lines.append(f"  {KINDS[kind][0]}: {KINDS[kind][1]}")
    return "\n".join(lines)


def scan_output(root: Path, own_emails: Iterable[str] = (), own_phones: Iterable[str] = ()) -> list[Finding]:
    """Every finding in the build under ``root``, sorted by path."""
    root = Path(root)
    if not root.is_dir():
        raise PublishGuardError(f"The build folder {root} does not exist; build the site first (inv build).")
    emails = {e.strip().lower() for e in own_emails if e}
    phones = {_digits(p) for p in own_phones if p}
    findings: list[Finding] = []
    for path in _files(root):
        rel = path.relative_to(root).as_posix()
        findings.extend(scan_file(path, rel, emails, phones))
    return sorted(set(findings))


def scan_file(path: Path, rel: str, own_emails: set[str], own_phones: set[str]) -> list[Finding]:
    name = rel.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name[1:] else ""
    out = [Finding(rel, kind, detail) for kind, detail in _by_path(rel, name, ext)]
    if ext in RASTER:
        out += [Finding(rel, "metadata", d) for d in image_metadata(path)]
    if ext == "pdf" and INTERNAL_PDF in path.read_bytes():
        out.append(Finding(rel, "internal", "a PDF marked as an internal artefact (a report)"))
    if ext in TEXT and not rel.startswith("pagefind/"):
        text = _read_text(path)
        if text is not None:
            out += [
                Finding(rel, kind, detail) for kind, detail in _by_content(text, ext, own_emails, own_phones)
            ]
    return out


def _by_path(rel: str, name: str, ext: str) -> Iterable[tuple[str, str]]:
    parts = rel.split("/")
    if name.startswith(".") or any(p.startswith(".") for p in parts[:-1]):
        yield "type", "hidden file"
    elif ext not in ALLOWED_TYPES and not (parts[0] == "pagefind" and ext in PAGEFIND_TYPES):
        yield "type", f".{ext} files are not published" if ext else "file without an extension"
    if "drafts" in parts[:-1]:
        yield "unpublished", "under drafts/"
    if name.lower() in INTERNAL_NAMES or INTERNAL_NAME.search(name):
        yield "internal", f"{name} is an internal artefact"
    elif INTERNAL_DIRS & set(parts[:-1]):
        yield "internal", f"under {'/'.join(p for p in parts[:-1] if p in INTERNAL_DIRS)}/"
    elif ext == "jsonl":
        yield "internal", "JSON Lines files hold inquiry records"
    if ext in RASTER:
        if CAMERA_NAME.search(rel):
            yield "original", "camera-style file name (an original photo, possibly naming a patient)"
        elif not _derived(parts, name):
            yield (
                "original",
                "not an image-pipeline derivative (media/ with a content-hash name) or a theme file",
            )


def _derived(parts: list[str], name: str) -> bool:
    if parts[0] == "theme" or (len(parts) == 1 and ROOT_ICONS.match(name)):
        return True
    return parts[0] == "media" and bool(CONTENT_HASH.search(name.rsplit(".", 1)[0]))


def image_metadata(path: Path) -> list[str]:
    """What metadata an image carries (empty when clean)."""
    found: set[str] = set()
    try:
        with Image.open(path) as im:
            exif = im.getexif()
            if len(exif):
                found.add("EXIF with GPS" if 0x8825 in exif else "EXIF")
            info = im.info
            if info.get("exif"):
                found.add("EXIF with GPS" if 0x8825 in exif else "EXIF")
            if info.get("xmp") or info.get("XML:com.adobe.xmp"):
                found.add("XMP")
            if info.get("photoshop") or info.get("iptc"):
                found.add("IPTC")
            if info.get("comment"):
                found.add("comment")
            for marker, data in getattr(im, "applist", ()):
                if marker == "APP13" and b"Photoshop 3.0" in data[:16]:
                    found.add("IPTC")
                elif marker == "APP1" and data.startswith(b"http://ns.adobe.com/xap/"):
                    found.add("XMP")
                elif marker == "COM":
                    found.add("comment")
            text = getattr(im, "text", None) or {}
            if text:
                found.add("text chunks (" + ", ".join(sorted(text)) + ")")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return [f"unreadable image ({exc.__class__.__name__}); cannot prove it is clean"]
    head = path.read_bytes()[: 1 << 18]
    if b"Exif\x00\x00" in head and not any(f.startswith("EXIF") for f in found):
        found.add("EXIF")
    if b"<x:xmpmeta" in head or b"http://ns.adobe.com/xap/1.0/" in head:
        found.add("XMP")
    if "EXIF with GPS" in found:
        found.discard("EXIF")
    return sorted(found)


_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"([\w:-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")
_SVG_META = re.compile(
    r"<metadata\b|sodipodi:docname|inkscape:export-filename|<rdf:RDF|<x:xmpmeta", re.IGNORECASE
)


def _by_content(text: str, ext: str, own_emails: set[str], own_phones: set[str]) -> Iterable[tuple[str, str]]:
    if ext == "html":
        for tag in _META.findall(text):
            attrs = {k.lower(): v.strip("\"'").strip().lower() for k, v in _ATTR.findall(tag)}
            if attrs.get("name") == "content-status" and attrs.get("content") in BLOCKED_STATUSES:
                yield "unpublished", f"content-status is {attrs['content']}"
            if attrs.get("name") == "artefact" and attrs.get("content") == "internal":
                yield "internal", 'marked <meta name="artefact" content="internal">'
    if ext == "svg" and (m := _SVG_META.search(text)):
        yield "metadata", f"SVG editor metadata ({m.group(0).strip('<')})"
    if ext == "json":
        record = _inquiry_record(text, own_emails, own_phones)
        if record:
            yield "internal", f"JSON records with {record} fields look like inquiry data"
    if ext in ("js", "mjs"):
        return  # code: too many false phone matches; emails still checked below
    plain = html.unescape(text).replace("%40", "@") if ext in ("html", "xml", "svg") else text
    for email in sorted({m.group(0) for m in EMAIL.finditer(plain)}):
        domain = email.rsplit("@", 1)[1].lower()
        if (
            email.lower() in own_emails
            or domain.rsplit(".", 1)[1] in NOT_TLDS
            or EXAMPLE_DOMAIN.search(domain)
        ):
            continue
        yield "personal-data", f"email address {email}"
    for candidate in sorted(_phone_candidates(plain)):
        for raw, digits in phone_numbers(candidate):
            if digits not in own_phones and _digits(raw) not in own_phones:
                yield "personal-data", f"phone number {raw}"


def _inquiry_record(text: str, own_emails: set[str], own_phones: set[str]) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            keys = {k.lower() for k in item if isinstance(k, str)} & INQUIRY_KEYS
            for key in sorted(keys):
                value = next(v for k, v in item.items() if isinstance(k, str) and k.lower() == key)
                if (
                    isinstance(value, str)
                    and value.strip()
                    and value.strip().lower() not in own_emails
                    and _digits(value) not in own_phones
                ):
                    return key
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _phone_candidates(text: str) -> set[str]:
    found = set()
    for run in DIGIT_RUN.finditer(text):
        start, end = run.span()
        # A few characters either side: PHONE's boundary checks, and "tel: " before the number.
        window = text[max(0, start - 6) : end + 1]
        found.update(m.group(0).strip() for m in PHONE.finditer(window))
    return found


@lru_cache(maxsize=4096)  # the same few numbers (the practice's, in every footer) recur on every page
def phone_numbers(text: str) -> tuple[tuple[str, str], ...]:
    """The phone numbers PhoneNumberMatcher finds in ``text``: (as written, digits to compare)."""
    out = []
    for match in phonenumbers.PhoneNumberMatcher(text, PHONE_REGION, leniency=phonenumbers.Leniency.POSSIBLE):
        number = match.number
        if phonenumbers.is_valid_number(number) or (
            number.country_code == 1 and NANP.fullmatch(str(number.national_number))
        ):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            out.append((match.raw_string, _digits(e164)))
    return tuple(out)


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _files(root: Path):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file():
                yield path

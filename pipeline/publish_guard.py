"""The publish guard: scan the built site before anything is uploaded; any finding stops the deploy.

It reads the site once (``pipeline.sitefiles``: no link is followed, each regular file is read
once, and the uploader sends exactly those bytes) and looks for what must never reach the
public site:

* links and special files: a symbolic link (file or folder), a named pipe, a socket, a device;
* image metadata (EXIF, GPS, IPTC, XMP, comments, PNG text; SVG editor metadata);
* original photos: raster images that are not image-pipeline derivatives (``media/`` with
  content-hash names) or theme files, and camera-style file names anywhere;
* drafts and unpublished specials (``content-status`` draft/scheduled, anything under drafts/);
* internal files (consent/tracking manifests, redirect map, image manifests, social exports,
  reports, partner cards, inquiry data), by name, by folder and by content: a JSON file shaped
  like an inquiry record, a consent manifest or the consent ledger is refused under any name;
* files whose type is not on the allowlist;
* personal data (``pipeline.personal_data``) in every text type published (HTML, XML, JSON, CSS,
  JavaScript, text, SVG, iCalendar, web manifests) and in PDFs' text and metadata: email
  addresses and phone numbers other than the practice's own, Social Security numbers, dates of
  birth, medical record numbers; in HTML both the markup and the text as a reader sees it;
* names from the practice's private patient list (``pipeline.patient_list``), never shown.

Paths are compared as a reader sees them: Unicode compatibility forms folded (NFKC), case
ignored, so ``Internal/notes.txt`` and ``ｉｎｔｅｒｎａｌ/notes.txt`` are the internal folder.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from pipeline import personal_data
from pipeline.errors import PipelineError
from pipeline.inquiry import fields as inquiry_fields
from pipeline.patient_list import PatientList
from pipeline.personal_data import Contacts
from pipeline.sitefiles import SiteTree, read_tree
from pipeline.text_dates import fold

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
# Text read for personal data; CODE counts only phone numbers written for people (see personal_data).
TEXT = frozenset(
    {"html", "htm", "xml", "txt", "json", "ics", "svg", "webmanifest", "js", "mjs", "css", "atom", "rss"}
)
CODE = frozenset({"js", "mjs", "css"})
MARKUP = frozenset({"html", "htm", "xml", "svg", "atom", "rss"})
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
    {"consent-manifest.json", "tracking-manifest.json", "redirects.json", "deploy-plan.json", "consent.yml"}
)
INTERNAL_NAME = re.compile(r"[-_]manifest\.json$")  # consent-, tracking-, image-manifest.json ...
INTERNAL_DIRS = frozenset({"internal", "inquiries"})
# What the reports write into their PDFs' metadata (pipeline/reports/charts.py, NO_STAMP["pdf"]).
INTERNAL_PDF = b"artefact=internal"
CONTACT_KEYS = frozenset({"email", "emailaddress", "phone", "telephone", "phonenumber", "mobile", "cell"})
# An inquiry record has several of the form's own field names (pipeline/inquiry/fields.py).
INQUIRY_KEYS = (
    frozenset(
        {
            re.sub(r"[^a-z]", "", k)
            for k in (
                *inquiry_fields.VISITOR_FIELDS,
                inquiry_fields.FORM_PAGE,
                inquiry_fields.FILL_MS,
                "received_at",
                "attribution",
            )
        }
    )
    | CONTACT_KEYS
    | {"firstname", "lastname", "fullname", "dateofbirth", "dob"}
)

KINDS = {
    "link": (
        "link or special file",
        (
            "Remove it from the build folder and build again: the deploy uploads regular files only and "
            "never follows a link (a link can publish any file of the computer it runs on)."
        ),
    ),
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
            "Remove it from the content or the theme file that makes this page (`inv check` names the "
            "content file and line). Only the practice's own email addresses and phone numbers, from "
            "content/practice.yml and the locations, may be published."
        ),
    ),
    "patient-name": (
        "patient's name",
        (
            "A name from the private patient list is on the site: find the entry in the list, remove that "
            "name from the content (a gallery case, a post, a file name) and build again."
        ),
    ),
}


class PublishGuardError(PipelineError):
    """The built site holds something that must not be published; the message lists it all."""


@dataclass(frozen=True, order=True)
class Finding:
    path: str  # relative to the build folder
    kind: str  # a key of KINDS
    detail: str  # never personal data in full: masked, or an entry number


def check_output(
    root: Path,
    own_emails: Iterable[str] = (),
    own_phones: Iterable[str] = (),
    shown: int = 50,
    patients: PatientList | None = None,
) -> SiteTree:
    """Read the build under ``root`` once; raise :class:`PublishGuardError` listing every finding.

    Returns what was read, for the uploader to send (the same bytes).
    """
    tree = _tree(root)
    check_tree(tree, Contacts.of(own_emails, own_phones), patients, shown)
    return tree


def check_tree(tree: SiteTree, own: Contacts, patients: PatientList | None = None, shown: int = 50) -> None:
    findings = scan_tree(tree, own, patients)
    if findings:
        raise PublishGuardError(guard_message(tree.root, findings, shown))


def guard_message(root: Path, findings: list[Finding], shown: int = 50, action: str = "deploy") -> str:
    done = "Nothing was uploaded." if action == "deploy" else "The last good site was kept."
    lines = [f"The publish guard stopped the {action}: {len(findings)} problem(s) in {root}. {done}"]
    for f in findings[:shown]:
        lines.append(f"  - {f.path}: {KINDS[f.kind][0]}: {f.detail}")
    if len(findings) > shown:
        lines.append(f"  ... and {len(findings) - shown} more")
    lines.append("How to fix:")
    for kind in sorted({f.kind for f in findings}):
        lines.append(f"  {KINDS[kind][0]}: {KINDS[kind][1]}")
    return "\n".join(lines)


def scan_output(
    root: Path,
    own_emails: Iterable[str] = (),
    own_phones: Iterable[str] = (),
    patients: PatientList | None = None,
) -> list[Finding]:
    """Every finding in the build under ``root``, sorted by path."""
    return scan_tree(_tree(root), Contacts.of(own_emails, own_phones), patients)


def _tree(root: Path) -> SiteTree:
    root = Path(root)
    if not root.is_dir() and not root.is_symlink():
        raise PublishGuardError(f"The build folder {root} does not exist; build the site first (inv build).")
    return read_tree(root)


def scan_tree(
    tree: SiteTree, own: Contacts = personal_data.NOBODY, patients: PatientList | None = None
) -> list[Finding]:
    findings = [Finding(r.key, "link", r.what) for r in tree.refused]
    for file in tree.files:
        findings.extend(scan_file(file.key, file.data, own, patients))
    if patients is not None:  # a listed name in a file's path must not reach the message either
        findings = [Finding(patients.redact(f.path), f.kind, f.detail) for f in findings]
    return sorted(set(findings))


def scan_file(
    rel: str, data: bytes, own: Contacts = personal_data.NOBODY, patients: PatientList | None = None
) -> list[Finding]:
    """Every finding in one file of the site (``rel`` relative to its root)."""
    seen = path_key(rel)
    name = seen.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1] if "." in name[1:] else ""
    out = [Finding(rel, kind, detail) for kind, detail in _by_path(rel, seen, name, ext)]
    if ext in RASTER:
        out += [Finding(rel, "metadata", d) for d in image_metadata(data)]
    elif ext == "pdf" and INTERNAL_PDF in data:
        out.append(Finding(rel, "internal", "a PDF marked as an internal artefact (a report)"))
    elif ext in TEXT and not seen.startswith("pagefind/"):
        out += [Finding(rel, kind, detail) for kind, detail in _by_content(_decode(data), ext, own)]
    texts = file_texts(rel, data)
    if texts is None:
        out.append(
            Finding(rel, "personal-data", "a PDF whose text cannot be read; the guard cannot prove it clean")
        )
        texts = []
    for detail in _personal(texts, own, code=ext in CODE):
        out.append(Finding(rel, "personal-data", detail))
    if patients is not None:
        out += _named(rel, texts, patients)
    return out


def file_texts(rel: str, data: bytes) -> list[str] | None:
    """The texts a published file is read as (None: a PDF that cannot be read)."""
    seen = path_key(rel)
    name = seen.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1] if "." in name[1:] else ""
    if ext == "pdf":
        text = pdf_text(data)
        return None if text is None else [text]
    if ext in TEXT and not seen.startswith("pagefind/"):
        return _readable(_decode(data), ext)
    return []


def _named(rel: str, texts: list[str], patients: PatientList) -> list[Finding]:
    return [
        Finding(rel, "patient-name", f"a name from the private patient list (entry {entry})")
        for entry in patients.find("\n".join([rel, *texts]))
    ]


def patient_findings(tree: SiteTree, patients: PatientList) -> list[Finding]:
    """Only the private patient list's names, in every file name and text of the site (the build's
    own check; the deploy runs them with every other rule)."""
    findings = []
    for file in tree.files:
        findings += _named(file.key, file_texts(file.key, file.data) or [], patients)
    return sorted({Finding(patients.redact(f.path), f.kind, f.detail) for f in findings})


def path_key(rel: str) -> str:
    """``rel`` as it is compared: NFKC-folded, case-insensitive, no trailing dots or spaces per part."""
    return "/".join(part.rstrip(" .") or part for part in fold(rel).casefold().split("/"))


def _by_path(rel: str, seen: str, name: str, ext: str) -> Iterable[tuple[str, str]]:
    parts = seen.split("/")
    if name.startswith(".") or any(p.startswith(".") for p in parts[:-1]):
        yield "type", "hidden file"
    elif ext not in ALLOWED_TYPES and not (parts[0] == "pagefind" and ext in PAGEFIND_TYPES):
        yield "type", f".{ext} files are not published" if ext else "file without an extension"
    if "drafts" in parts[:-1]:
        yield "unpublished", "under drafts/"
    if name in INTERNAL_NAMES or INTERNAL_NAME.search(name):
        yield "internal", f"{rel.rsplit('/', 1)[-1]} is an internal artefact"
    elif INTERNAL_DIRS & set(parts[:-1]):
        yield "internal", f"under {'/'.join(p for p in parts[:-1] if p in INTERNAL_DIRS)}/"
    elif ext == "jsonl":
        yield "internal", "JSON Lines files hold inquiry records"
    if ext in RASTER:
        if CAMERA_NAME.search(seen):
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


def image_metadata(data: bytes) -> list[str]:
    """What metadata an image carries (empty when clean)."""
    found: set[str] = set()
    try:
        with Image.open(io.BytesIO(data)) as im:
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
            for marker, payload in getattr(im, "applist", ()):
                if marker == "APP13" and b"Photoshop 3.0" in payload[:16]:
                    found.add("IPTC")
                elif marker == "APP1" and payload.startswith(b"http://ns.adobe.com/xap/"):
                    found.add("XMP")
                elif marker == "COM":
                    found.add("comment")
            text = getattr(im, "text", None) or {}
            if text:
                found.add("text chunks (" + ", ".join(sorted(text)) + ")")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return [f"unreadable image ({exc.__class__.__name__}); cannot prove it is clean"]
    head = data[: 1 << 18]
    chunks = container_chunks(data)
    if (b"Exif\x00\x00" in head or {"EXIF", "eXIf"} & chunks) and not any(
        f.startswith("EXIF") for f in found
    ):
        found.add("EXIF")
    if {"XMP ", "iTXt", "tEXt", "zTXt"} & chunks and not any(f.startswith(("XMP", "text")) for f in found):
        found.add("XMP" if "XMP " in chunks else "text chunks")
    if b"<x:xmpmeta" in head or b"http://ns.adobe.com/xap/1.0/" in head:
        found.add("XMP")
    if "EXIF with GPS" in found:
        found.discard("EXIF")
    return sorted(found)


def container_chunks(data: bytes) -> set[str]:
    """The chunk types of a PNG (ISO/IEC 15948: length, type, data, CRC) or a WebP (RIFF: type,
    little-endian size, data padded to even) file, read from its structure, not by searching
    bytes: "eXIf", "tEXt", "EXIF", "XMP " ... (empty for other formats)."""
    found: set[str] = set()
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        at = 8
        while at + 8 <= len(data):
            size = int.from_bytes(data[at : at + 4], "big")
            found.add(data[at + 4 : at + 8].decode("latin-1"))
            at += 12 + size
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        at = 12
        while at + 8 <= len(data):
            size = int.from_bytes(data[at + 4 : at + 8], "little")
            found.add(data[at : at + 4].decode("latin-1"))
            at += 8 + size + (size & 1)
    return found


def pdf_text(data: bytes) -> str | None:
    """A PDF's text, document information and XMP metadata, as one text (None: unreadable)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        parts = [page.extract_text() or "" for page in reader.pages]
        parts += [str(value) for value in (reader.metadata or {}).values()]
        xmp = reader.trailer["/Root"].get("/Metadata")
        if xmp is not None:
            parts.append(xmp.get_object().get_data().decode("utf-8", "replace"))
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return None
    return "\n".join(parts)


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8", errors="replace")


def _readable(raw: str, ext: str) -> list[str]:
    """The texts a file is read as: its source (attributes, comments, scripts, JSON-LD), and for
    markup the text as a reader sees it (tags removed, so 805-555-<em>0133</em> is one number);
    markup carried escaped inside XML or JSON (feeds, search data) is read the same way."""
    if ext == "ics":
        # RFC 5545 3.8.4.7: a UID is written like "id@domain" but identifies the event, not a mailbox.
        raw = _ICS_UID.sub("", raw)
    texts = [raw]
    if ext in CODE:
        return texts
    if ext in MARKUP and "<" in raw:
        texts.append(personal_data.visible_text(raw))
    if "&lt;" in raw or (ext not in MARKUP and "<" in raw):
        texts.append(personal_data.visible_text(html.unescape(raw) if "&lt;" in raw else raw))
    return texts


def _personal(texts: list[str], own: Contacts, code: bool) -> list[str]:
    seen: dict[tuple[str, str], str] = {}
    for text in texts:
        for hit in personal_data.find(text, own, code=code):
            key = (
                hit.kind,
                personal_data.digits(hit.text)
                if hit.kind in ("phone", "ssn")
                else personal_data.normal_email(hit.text)
                if hit.kind == "email"
                else hit.masked,
            )
            seen.setdefault(key, hit.described)
    return sorted(set(seen.values()))


_ICS_UID = re.compile(r"^UID[;:].*(?:\r?\n[ \t].*)*", re.MULTILINE)
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"([\w:-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")
_SVG_META = re.compile(
    r"<metadata\b|sodipodi:docname|inkscape:export-filename|<rdf:RDF|<x:xmpmeta", re.IGNORECASE
)


def _by_content(text: str, ext: str, own: Contacts) -> Iterable[tuple[str, str]]:
    if ext in ("html", "htm"):
        for tag in _META.findall(text):
            attrs = {k.lower(): v.strip("\"'").strip().lower() for k, v in _ATTR.findall(tag)}
            if attrs.get("name") == "content-status" and attrs.get("content") in BLOCKED_STATUSES:
                yield "unpublished", f"content-status is {attrs['content']}"
            if attrs.get("name") == "artefact" and attrs.get("content") == "internal":
                yield "internal", 'marked <meta name="artefact" content="internal">'
    if ext == "svg" and (m := _SVG_META.search(text)):
        yield "metadata", f"SVG editor metadata ({m.group(0).strip('<')})"
    if ext in ("json", "webmanifest"):
        shape = json_shape(text, own)
        if shape:
            yield "internal", shape


def _key(name: object) -> str:
    return re.sub(r"[^a-z]", "", str(name).casefold())


def json_shape(text: str, own: Contacts = personal_data.NOBODY) -> str | None:
    """What an internal JSON file is, recognised by its keys whatever its name (None: not one)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        keys = {_key(k) for k in item}
        inquiry = sorted(keys & INQUIRY_KEYS)
        if len(inquiry) >= 3:
            return f"JSON records shaped like inquiries (fields {', '.join(inquiry[:4])})"
        contact = [
            k for k in item if _key(k) in CONTACT_KEYS and isinstance(item[k], str) and item[k].strip()
        ]
        if contact and any(personal_data.find(item[k], own) for k in contact):
            return f"JSON records with {_key(contact[0])} fields look like inquiry data"
        if {"case", "consent"} <= keys or ({"withheld", "ledger"} & keys and "sources" in keys):
            return "a consent manifest (which photo is published under which consent)"
        if {"id", "scope", "granted", "expires"} <= keys:
            return "a consent ledger entry"
        if {"source", "outputs"} <= keys:
            return "an image manifest (original photos' hashes and their derivatives)"
        stack.extend(item.values())
    return None

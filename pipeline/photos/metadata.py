"""Find and remove location and personal metadata in JPEG, PNG, WebP and HEIC files, losslessly.

Nothing is decoded or re-encoded: the file is read as its format's structure and the metadata
parts are left out, so the compressed picture data is copied byte for byte and the pixels are
identical before and after (the tests decode both).

- **JPEG** (ITU-T T.81, Annex B: markers and segments): every APP1 (Exif, XMP), APP3–APP13
  (IPTC/Photoshop in APP13, vendor data), APP15 and COM segment is dropped, APP2 except the ICC
  colour profile (MPF indexes secondary images), and whatever follows the end of the image
  (phones append secondary pictures there, each with its own Exif). Kept: JFIF (APP0), the ICC
  profile, Adobe's colour transform (APP14), and everything that is the picture.
- **PNG** (ISO/IEC 15948, 11.3): ``eXIf``, ``tEXt``, ``iTXt``, ``zTXt`` and ``tIME`` chunks are
  dropped; every other chunk is copied with its CRC.
- **WebP** (RFC 9649, "Extended File Format"): the ``EXIF`` and ``XMP `` chunks are dropped, and
  the VP8X header's flags and the RIFF size follow.
- **HEIC** (ISO/IEC 23008-12, ISO/IEC 14496-12): metadata are items of the ``meta`` box located
  by ``iloc`` offsets that other items share; rather than move bytes (and rewrite every offset),
  each ``Exif`` item is overwritten in place with an empty Exif block of the same length, and each
  XMP item with an empty XMP packet padded with spaces (XMP Specification Part 1, 7.3: padding).
  The coded picture is not touched.

The orientation is not personal and tells a viewer which way is up: where the Exif held one other
than "normal", a minimal Exif with that one tag is written in its place (JPEG, PNG, WebP; a HEIC
picture's rotation lives in its ``irot`` property, not in Exif).
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass

from pipeline.errors import PipelineError

ORIENTATION = 0x0112
GPS_IFD, EXIF_IFD = 0x8825, 0x8769
# Tags naming a person or a device that identifies one (EXIF 2.32 / CIPA DC-008).
PERSONAL_TAGS = {
    0x013B: "the artist's name",
    0x8298: "a copyright holder's name",
    0x9C9D: "the author's name",
    0x010E: "an image description",
}
PERSONAL_EXIF_TAGS = {
    0xA430: "the camera owner's name",
    0xA431: "the camera's serial number",
    0x927C: "maker notes",
    0x9286: "a user comment",
    0xA420: "a unique image id",
}
DATE_TAGS = (0x0132, 0x9003, 0x9004)  # DateTime, DateTimeOriginal, DateTimeDigitized


class PhotoMetadataError(PipelineError):
    """A file that cannot be read as the picture its name says it is."""


@dataclass(frozen=True)
class Report:
    """What a file carries: ``location`` (GPS) and everything else personal, in plain words."""

    location: bool
    found: tuple[str, ...]  # e.g. ("GPS location", "the camera's serial number", "XMP")

    def __bool__(self) -> bool:
        return bool(self.found)


def kind_of(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"hevc"):
        return "heic"
    return None


# --- Exif (TIFF structure) ----------------------------------------------------------------------


def describe_exif(tiff: bytes) -> tuple[bool, list[str], int]:
    """(has GPS, what personal it holds, orientation) of an Exif block (the TIFF structure)."""
    from PIL import Image

    exif = Image.Exif()
    try:
        exif.load(b"Exif\x00\x00" + tiff if not tiff.startswith(b"Exif") else tiff)
    except Exception:  # a damaged block: report it as unreadable Exif, remove it all the same
        return False, ["Exif that cannot be read"], 1
    found = []
    gps = bool(exif.get_ifd(GPS_IFD)) or GPS_IFD in exif
    if gps:
        found.append("GPS location")
    found += [what for tag, what in PERSONAL_TAGS.items() if exif.get(tag)]
    inner = exif.get_ifd(EXIF_IFD)
    found += [what for tag, what in PERSONAL_EXIF_TAGS.items() if inner.get(tag)]
    if any(exif.get(tag) for tag in DATE_TAGS) or any(inner.get(tag) for tag in DATE_TAGS):
        found.append("the date and time it was taken")
    if not found and any(tag != ORIENTATION for tag in exif):
        found.append("camera details (Exif)")
    orientation = exif.get(ORIENTATION, 1)
    return gps, found, orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1


def orientation_exif(orientation: int) -> bytes:
    """A TIFF structure holding only the orientation (big-endian, one IFD entry, SHORT)."""
    return (
        b"MM\x00\x2a\x00\x00\x00\x08"
        + struct.pack(">H", 1)
        + struct.pack(">HHIHH", ORIENTATION, 3, 1, orientation, 0)
        + b"\x00\x00\x00\x00"
    )


# --- JPEG --------------------------------------------------------------------------------------

_STANDALONE = {0xD8, 0x01, *range(0xD0, 0xD8)}


def _jpeg_segments(data: bytes):
    """(marker, whole segment bytes) in order; the entropy-coded data travels with its SOS."""
    if data[:2] != b"\xff\xd8":
        raise PhotoMetadataError("not a JPEG file")
    yield 0xD8, data[:2]
    at = 2
    size = len(data)
    while at < size:
        if data[at] != 0xFF:
            raise PhotoMetadataError(f"damaged JPEG: no marker at byte {at}")
        while at + 1 < size and data[at + 1] == 0xFF:  # fill bytes before a marker
            at += 1
        if at + 1 >= size:
            raise PhotoMetadataError("damaged JPEG: it ends inside a marker")
        marker = data[at + 1]
        if marker == 0xD9:
            yield marker, data[at : at + 2]
            return
        if marker in _STANDALONE:
            yield marker, data[at : at + 2]
            at += 2
            continue
        if at + 4 > size:
            raise PhotoMetadataError("damaged JPEG: a segment is cut short")
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        end = at + 2 + length
        if length < 2 or end > size:
            raise PhotoMetadataError("damaged JPEG: a segment runs past the end of the file")
        if marker == 0xDA:  # start of scan: the coded data runs to the next real marker
            scan = end
            while scan + 1 < size:
                if data[scan] == 0xFF and data[scan + 1] != 0x00 and not 0xD0 <= data[scan + 1] <= 0xD7:
                    break
                scan += 1
            else:
                raise PhotoMetadataError("damaged JPEG: the picture data never ends")
            end = scan
        yield marker, data[at:end]
        at = end
    raise PhotoMetadataError("damaged JPEG: no end-of-image marker")


def _jpeg_keeps(marker: int, segment: bytes) -> bool:
    payload = segment[4:]
    if marker == 0xE0:
        return payload.startswith((b"JFIF\x00", b"JFXX\x00"))
    if marker == 0xE2:
        return payload.startswith(b"ICC_PROFILE\x00")
    if marker == 0xEE:
        return payload.startswith(b"Adobe")
    return not (0xE1 <= marker <= 0xEF or marker == 0xFE)


def _jpeg(data: bytes) -> tuple[bytes, list[str], bool]:
    kept: list[bytes] = []
    found: list[str] = []
    gps = False
    orientation = 1
    segments = list(_jpeg_segments(data))
    end = sum(len(s) for _, s in segments)
    for marker, segment in segments:
        payload = segment[4:]
        if _jpeg_keeps(marker, segment):
            kept.append(segment)
            continue
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            has_gps, what, orientation = describe_exif(payload[6:])
            gps = gps or has_gps
            found += what
        elif marker == 0xE1 and (b"ns.adobe.com/xap" in payload[:64] or b"ns.adobe.com/xmp" in payload[:64]):
            found.append("XMP")
        elif marker == 0xED:
            found.append("IPTC (Photoshop)")
        elif marker == 0xFE:
            found.append("a comment")
        elif marker == 0xE2 and payload.startswith(b"MPF\x00"):
            found.append("secondary pictures (MPF)")
        else:
            found.append(f"APP{marker - 0xE0} data")
    if end < len(data) and data[end:].strip(b"\x00"):
        found.append("data after the picture (secondary pictures)")
    if orientation != 1:
        block = b"Exif\x00\x00" + orientation_exif(orientation)
        exif = b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block
        at = 2 if len(kept) > 1 and kept[1][:2] == b"\xff\xe0" else 1
        kept.insert(at, exif)
    return b"".join(kept), found, gps


# --- PNG ---------------------------------------------------------------------------------------

PNG_DROPPED = {b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"}


def _png_chunks(data: bytes):
    at = 8
    while at + 12 <= len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        end = at + 12 + length
        if end > len(data):
            raise PhotoMetadataError("damaged PNG: a chunk runs past the end of the file")
        kind = data[at + 4 : at + 8]
        yield kind, data[at + 8 : at + 8 + length], data[at:end]
        at = end
        if kind == b"IEND":
            return
    raise PhotoMetadataError("damaged PNG: no IEND chunk")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(data: bytes) -> tuple[bytes, list[str], bool]:
    kept, found, gps, orientation = [data[:8]], [], False, 1
    for kind, body, whole in _png_chunks(data):
        if kind not in PNG_DROPPED:
            kept.append(whole)
            if kind == b"IHDR" and len(kept) == 2:
                kept.append(b"")  # where a minimal eXIf goes (after IHDR)
            continue
        if kind == b"eXIf":
            has_gps, what, orientation = describe_exif(body)
            gps = gps or has_gps
            found += what
        elif kind == b"tIME":
            found.append("the date it was saved")
        else:
            keyword = body.split(b"\x00", 1)[0].decode("latin-1", "replace")
            found.append("XMP" if keyword == "XML:com.adobe.xmp" else f"text ({keyword})")
    if orientation != 1 and len(kept) > 2:
        kept[2] = _png_chunk(b"eXIf", orientation_exif(orientation))
    return b"".join(kept), found, gps


# --- WebP --------------------------------------------------------------------------------------


def _webp(data: bytes) -> tuple[bytes, list[str], bool]:
    chunks = []
    at = 12
    while at + 8 <= len(data):
        kind = data[at : at + 4]
        size = int.from_bytes(data[at + 4 : at + 8], "little")
        end = at + 8 + size + (size & 1)
        if at + 8 + size > len(data):
            raise PhotoMetadataError("damaged WebP: a chunk runs past the end of the file")
        chunks.append((kind, data[at + 8 : at + 8 + size], data[at:end]))
        at = end
    found, gps, orientation = [], False, 1
    kept = []
    for kind, body, whole in chunks:
        if kind == b"EXIF":
            has_gps, what, orientation = describe_exif(body)
            gps = gps or has_gps
            found += what
        elif kind == b"XMP ":
            found.append("XMP")
        else:
            kept.append([kind, whole])
    if orientation != 1:
        block = orientation_exif(orientation)
        kept.append([b"EXIF", b"EXIF" + struct.pack("<I", len(block)) + block])
    for item in kept:
        if item[0] == b"VP8X":
            flags = item[1][8]
            flags &= ~0x04  # XMP
            flags = flags | 0x08 if orientation != 1 else flags & ~0x08  # EXIF
            item[1] = item[1][:8] + bytes([flags]) + item[1][9:]
    body = b"".join(whole for _, whole in kept)
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body, found, gps


# --- HEIC --------------------------------------------------------------------------------------

EMPTY_XMP = b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>'
XMP_END = b'<?xpacket end="w"?>'


def _boxes(data: bytes, start: int, end: int):
    """(type, body start, box end) of each box between ``start`` and ``end``."""
    at = start
    while at + 8 <= end:
        size = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + 8]
        head = 8
        if size == 1:
            size = int.from_bytes(data[at + 8 : at + 16], "big")
            head = 16
        elif size == 0:
            size = end - at
        if size < head or at + size > end:
            raise PhotoMetadataError("damaged HEIC: a box runs past the end of the file")
        yield kind, at + head, at + size
        at += size


def _uint(data: bytes, at: int, size: int) -> tuple[int, int]:
    return (int.from_bytes(data[at : at + size], "big") if size else 0), at + size


def _heic_items(data: bytes) -> tuple[dict[int, tuple[bytes, bytes]], dict[int, list[tuple[int, int]]]]:
    """Item id -> (type, content type) from ``iinf``, and item id -> [(file offset, length)] from ``iloc``."""
    meta = next(((s, e) for k, s, e in _boxes(data, 0, len(data)) if k == b"meta"), None)
    if meta is None:
        return {}, {}
    items: dict[int, tuple[bytes, bytes]] = {}
    places: dict[int, list[tuple[int, int]]] = {}
    idat = None
    for kind, start, _end in _boxes(data, meta[0] + 4, meta[1]):  # meta is a full box: 4 bytes of version
        if kind == b"idat":
            idat = start
    for kind, start, end in _boxes(data, meta[0] + 4, meta[1]):
        if kind == b"iinf":
            version = data[start]
            at = start + 4 + (2 if version == 0 else 4)
            for entry, body, stop in _boxes(data, at, end):
                if entry != b"infe" or data[body] < 2:
                    continue
                version = data[body]
                at = body + 4
                item_id, at = _uint(data, at, 2 if version == 2 else 4)
                at += 2  # protection index
                item_type = data[at : at + 4]
                at += 4
                content_type = b""
                if item_type == b"mime":
                    name_end = data.index(b"\x00", at, stop)
                    type_end = data.find(b"\x00", name_end + 1, stop)
                    content_type = data[name_end + 1 : type_end if type_end >= 0 else stop]
                items[item_id] = (item_type, content_type)
        elif kind == b"iloc":
            version = data[start]
            at = start + 4
            offset_size, length_size = data[at] >> 4, data[at] & 15
            base_size, index_size = data[at + 1] >> 4, (data[at + 1] & 15 if version in (1, 2) else 0)
            at += 2
            count, at = _uint(data, at, 2 if version < 2 else 4)
            for _ in range(count):
                item_id, at = _uint(data, at, 2 if version < 2 else 4)
                method = 0
                if version in (1, 2):
                    method = data[at + 1] & 15
                    at += 2
                at += 2  # data reference index
                base, at = _uint(data, at, base_size)
                extents, at = _uint(data, at, 2)
                found = []
                for _ in range(extents):
                    _, at = _uint(data, at, index_size)
                    offset, at = _uint(data, at, offset_size)
                    length, at = _uint(data, at, length_size)
                    if method == 0:
                        found.append((base + offset, length))
                    elif method == 1 and idat is not None:
                        found.append((idat + base + offset, length))
                places[item_id] = found
    return items, places


def _heic(data: bytes) -> tuple[bytes, list[str], bool]:
    items, places = _heic_items(data)
    out = bytearray(data)
    found, gps = [], False
    for item_id, (item_type, content_type) in sorted(items.items()):
        xmp = item_type == b"mime" and b"rdf+xml" in content_type
        if item_type != b"Exif" and not xmp:
            continue
        extents = places.get(item_id, [])
        blob = b"".join(data[o : o + n] for o, n in extents)
        if not blob:
            continue
        if xmp:
            if blob.strip(b" \x00").startswith(EMPTY_XMP) or not blob.strip(b" \x00"):
                continue
            found.append("XMP")
            filler = EMPTY_XMP + b" " * max(0, len(blob) - len(EMPTY_XMP) - len(XMP_END)) + XMP_END
            filler = filler if len(filler) == len(blob) else b" " * len(blob)
        else:
            skip = int.from_bytes(blob[:4], "big") + 4  # the Exif item starts with the TIFF header's offset
            tiff = blob[skip:]
            has_gps, what, _ = describe_exif(tiff)
            if not what:
                continue
            gps = gps or has_gps
            found += what
            empty = orientation_exif(1)[:8] + b"\x00\x00" + b"\x00\x00\x00\x00"  # no IFD entries
            filler = (b"\x00\x00\x00\x00" + empty).ljust(len(blob), b"\x00")
            if len(filler) != len(blob):
                raise PhotoMetadataError("the HEIC file's Exif is too small to be emptied in place")
        at = 0
        for offset, length in extents:
            out[offset : offset + length] = filler[at : at + length]
            at += length
    return bytes(out), found, gps


HANDLERS = {"jpeg": _jpeg, "png": _png, "webp": _webp, "heic": _heic}


def scrub_bytes(data: bytes) -> tuple[bytes, list[str]]:
    """The file without its location and personal metadata, and what was removed (empty: nothing)."""
    kind = kind_of(data)
    if kind is None:
        raise PhotoMetadataError("not a JPEG, PNG, WebP or HEIC picture")
    clean, found, _ = HANDLERS[kind](data)
    return (clean, list(dict.fromkeys(found))) if found else (data, [])


def inspect(data: bytes) -> Report:
    """What location and personal metadata the file carries (nothing is changed)."""
    kind = kind_of(data)
    if kind is None:
        raise PhotoMetadataError("not a JPEG, PNG, WebP or HEIC picture")
    _, found, gps = HANDLERS[kind](data)
    return Report(gps, tuple(dict.fromkeys(found)))


def pixels(data: bytes) -> bytes:
    """The decoded picture (for tests and for ``inv scrub``'s own check that nothing else changed)."""
    from PIL import Image

    if kind_of(data) == "heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.mode.encode() + repr(image.size).encode() + image.tobytes()

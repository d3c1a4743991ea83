"""What the content declares as true, which claims are checked against: prices, downtime, specials'
terms, devices' FDA status and cleared indications, the results disclaimers.

Plain values, made from the validated records (:func:`facts_from`), so the rules never touch
Pelican or a file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

# FDA's words for each way a product reaches the US market ("Premarket Approval (PMA)",
# "Premarket Notification 510(k)", "De Novo Classification Request", fda.gov). Only a PMA device,
# or a drug or biologic with an approved application, is "FDA-approved"; a 510(k) device is
# "cleared" and a De Novo device "granted" (21 CFR 807.97: clearance "does not in any way denote
# official approval of the device").
FDA_STATUSES = {
    "approved": "FDA-approved (premarket approval, or an approved drug or biologic application)",
    "cleared": "FDA-cleared (510(k) premarket notification), not approved",
    "de-novo": "authorized by FDA through a De Novo request (granted), not approved",
    "exempt": "exempt from FDA premarket review: neither cleared nor approved",
    "not-evaluated": "not evaluated by the FDA for this use: neither cleared nor approved",
}
AUTHORIZED = ("approved", "cleared", "de-novo")  # may say "FDA-cleared" / "FDA-authorized"


@functools.lru_cache(maxsize=1 << 16)  # the same names are compared with every sentence
def key(text: str) -> str:
    """How names are compared: case, punctuation and accents aside (``Juvéderm`` ~ ``juvederm``)."""
    text = text.lower().replace("é", "e").replace("è", "e").replace("®", "").replace("™", "")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@dataclass(frozen=True)
class Use:
    """An indication or an off-label use: its wording and the words that name it in our text."""

    text: str
    terms: tuple[str, ...] = ()

    def named_in(self, text: str) -> str | None:
        """The term of this use that ``text`` contains, or None."""
        lowered = f" {key(text)} "
        for term in (*self.terms, self.text):
            if f" {key(term)} " in lowered:
                return term
        return None


@dataclass(frozen=True)
class DeviceFacts:
    id: str
    name: str
    status: str  # a key of FDA_STATUSES
    names: tuple[str, ...] = ()  # name and aliases
    indications: tuple[Use, ...] = ()
    off_label: tuple[Use, ...] = ()
    reference: str | None = None

    @functools.cached_property
    def _keys(self) -> tuple[str, ...]:
        return tuple(sorted({f" {key(n)} " for n in self.names if key(n)}))

    def named_in(self, text: str) -> bool:
        lowered = f" {key(text)} "
        return any(k in lowered for k in self._keys)


@dataclass(frozen=True)
class ProcedureFacts:
    id: str
    name: str
    price_from: Decimal
    downtime: str
    devices: tuple[str, ...] = ()  # device ids (declared devices only)
    device_names: tuple[str, ...] = ()  # as the procedure lists them

    @property
    def has_downtime(self) -> bool:
        """Does the downtime field say there is some? "None" or "None; ..." means none."""
        return not re.match(r"^\s*(none|no downtime|no)\b", self.downtime, re.IGNORECASE)

    @functools.cached_property
    def _keys(self) -> tuple[str, ...]:
        names = {self.id.replace("-", " "), self.name, re.sub(r"\s*\(.*?\)", "", self.name)}
        names |= {part for part in re.split(r"\s*[&(]\s*|\)", self.name) if len(part) > 3}
        return tuple(sorted(f" {key(n)} " for n in names if key(n)))

    def named_in(self, text: str) -> bool:
        lowered = f" {key(text)} "
        return any(k in lowered for k in self._keys)


@dataclass(frozen=True)
class SpecialFacts:
    id: str
    title: str
    procedures: tuple[str, ...]
    regular_price: Decimal
    sale_price: Decimal
    price: Decimal | None = None
    percent_off: Decimal | None = None
    amount_off: Decimal | None = None
    per: str | None = None
    terms: str = ""

    @property
    def amounts(self) -> set[Decimal]:
        """Every amount of money the offer itself states."""
        values = {self.regular_price, self.sale_price}
        values |= {v for v in (self.price, self.amount_off) if v is not None}
        return {v.quantize(Decimal("0.01")) for v in values}


@dataclass
class Facts:
    procedures: dict[str, ProcedureFacts] = field(default_factory=dict)
    devices: dict[str, DeviceFacts] = field(default_factory=dict)
    specials: dict[str, SpecialFacts] = field(default_factory=dict)
    # A draft special's own offer: its own text is checked against it (other pages never are).
    draft_specials: dict = field(default_factory=dict)
    disclaimers: tuple[str, ...] = ()  # the results disclaimers a page may carry
    currency: str = "USD"
    testimonials: dict = field(default_factory=dict)  # id -> pipeline.claims.testimonials.Entry
    _indexes: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _answers: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def device_for(self, name: str) -> DeviceFacts | None:
        """The declared device a procedure's ``devices`` entry or a text names."""
        wanted = key(name)
        for device in self.devices.values():
            if wanted == key(device.id) or any(wanted == key(n) for n in device.names):
                return device
        return None

    def devices_named_in(self, text: str) -> list[DeviceFacts]:
        return self._named("devices", text)

    def procedures_named_in(self, text: str) -> list[ProcedureFacts]:
        return self._named("procedures", text)

    def _named(self, kind: str, text: str) -> list:
        """What ``text`` names, remembered: every rule asks about the same sentences."""
        answer = self._answers.get((kind, text))
        if answer is None:
            answer = self._answers[kind, text] = _named_in(getattr(self, kind), self._index(kind), text)
        return list(answer)

    def _index(self, kind: str) -> dict:
        """The names of ``kind`` indexed once, at the first question: the facts are complete by then."""
        if kind not in self._indexes:
            self._indexes[kind] = _name_index(getattr(self, kind))
        return self._indexes[kind]

    def specials_for(self, procedure_ids: Iterable[str]) -> list[SpecialFacts]:
        wanted = set(procedure_ids)
        return [s for s in self.specials.values() if wanted & set(s.procedures)]


# Every sentence is compared with every name of every procedure and device: a site with a hundred
# procedures and a thousand posts made that most of a build's time. Names are word sequences (see
# `key`), so one pass over a text's words against an index of the names by their first word finds
# the same names as searching for each name in the text.
def _name_index(items: dict) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word -> (the name's words, the item's id), for every name of every item."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for item_id, item in items.items():
        for name in item._keys:
            words = tuple(name.split())
            index.setdefault(words[0], []).append((words, item_id))
    return index


def _named_in(items: dict, index: dict, text: str) -> list:
    """The items one of whose names ``text`` contains, in the dict's order: the same as
    ``[i for i in items.values() if i.named_in(text)]``."""
    words = key(text).split()
    found = set()
    for i, word in enumerate(words):
        for name, item_id in index.get(word, ()):
            if tuple(words[i : i + len(name)]) == name:
                found.add(item_id)
    if not found:  # most sentences name nothing
        return []
    return [item for item_id, item in items.items() if item_id in found]


def facts_from(entries: Iterable, disclaimers: Iterable[str] = (), currency: str = "USD") -> Facts:
    """Facts from validated content entries (``pipeline.content.validate.Entry``), drafts left out."""
    entries = [e for e in entries if e.record is not None]
    drafts = [e for e in entries if getattr(e.record, "status", "") == "draft"]
    entries = [e for e in entries if getattr(e.record, "status", "") != "draft"]
    facts = Facts(currency=currency)
    for entry in entries:
        if entry.ctype.kind == "device":
            record = entry.record
            facts.devices[entry.id] = DeviceFacts(
                id=entry.id,
                name=record.name,
                status=record.fda_status,
                names=(record.name, *record.aliases),
                indications=tuple(Use(i.text, tuple(i.terms)) for i in record.indications),
                off_label=tuple(Use(u.text, tuple(u.terms)) for u in record.off_label),
                reference=record.fda_reference,
            )
    for entry in entries:
        record = entry.record
        if entry.ctype.kind == "procedure":
            declared = [facts.device_for(name) for name in record.devices]
            facts.procedures[entry.id] = ProcedureFacts(
                id=entry.id,
                name=record.name,
                price_from=record.price_from,
                downtime=record.downtime,
                devices=tuple(d.id for d in declared if d is not None),
                device_names=tuple(record.devices),
            )
        elif entry.ctype.kind == "special":
            facts.specials[entry.id] = _special(entry)
    for entry in drafts:
        if entry.ctype.kind == "special":
            facts.draft_specials[entry.id] = _special(entry)
    facts.disclaimers = tuple(d for d in disclaimers if d)
    return facts


def _special(entry) -> SpecialFacts:
    record = entry.record
    offer = record.offer
    return SpecialFacts(
        id=entry.id,
        title=record.title,
        procedures=tuple(record.procedures),
        regular_price=offer.regular_price,
        sale_price=offer.sale_price,
        price=offer.price,
        percent_off=offer.percent_off,
        amount_off=offer.amount_off,
        per=offer.per,
        terms=record.terms,
    )

"""A staff brief: what the team must know to talk about a procedure or a device accurately.

:func:`procedure_brief` and :func:`device_brief` build a :class:`Brief` from the validated content
(plain values in, plain values out); the quiz comes from ``pipeline.briefs.quiz``. The brief's
``version`` is a hash of everything it teaches (not of when it was made, nor of its Git history),
so a staff acknowledgement of one version goes stale exactly when what it teaches changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from pipeline.claims.facts import FDA_STATUSES
from pipeline.claims.rules import RULES
from pipeline.claims.text import body_sentences

SUITS = re.compile(
    r"who it suits|right for me|signs it might help|good candidate|who is it for|can address|can do|work well",
    re.IGNORECASE,
)


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    versioned: bool = True  # part of what staff acknowledge (a month's special is not)


@dataclass
class Question:
    number: int
    text: str
    options: list[str]
    answer: int  # index into options
    field: str  # the content field the answer comes from, e.g. "price_from"

    @property
    def answer_text(self) -> str:
        return self.options[self.answer]


@dataclass
class Brief:
    id: str
    kind: str  # procedure | device
    title: str
    path: str  # the content file
    sections: list[Section] = field(default_factory=list)
    quiz: list[Question] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # since the previous version (from Git)
    changes_note: str = ""

    @property
    def version(self) -> str:
        """A hash of what the brief teaches: 12 hex digits, as staff write it in the acknowledgements."""
        taught = {
            "sections": [asdict(s) for s in self.sections if s.versioned],
            "quiz": [asdict(q) for q in self.quiz],
        }
        data = json.dumps(taught, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(data).hexdigest()[:12]


@dataclass(frozen=True)
class Context:
    """Everything the briefs read, by id: validated records of each kind."""

    procedures: dict
    devices: dict  # id -> models.Device
    team: dict
    locations: dict
    specials: dict
    bodies: dict  # (kind, id) -> (body, first line)
    paths: dict  # (kind, id) -> content path
    approved: list  # pipeline.claims.custom.Approved
    custom_rules: list  # pipeline.claims.custom.CustomRule
    as_of: dt.date
    currency: str = "USD"

    def device_for(self, name: str):
        from pipeline.claims.facts import key

        for device_id, record in self.devices.items():
            if key(name) in {key(device_id), key(record.name), *(key(a) for a in record.aliases)}:
                return device_id, record
        return None

    def procedures_using(self, device_id: str) -> list[str]:
        return [
            pid
            for pid, p in sorted(self.procedures.items())
            if any((found := self.device_for(n)) is not None and found[0] == device_id for n in p.devices)
        ]

    def providers(self, procedure_id: str) -> list[str]:
        return sorted(tid for tid, m in self.team.items() if procedure_id in m.procedures)

    def current_specials(self, procedure_id: str) -> list[str]:
        return sorted(
            sid
            for sid, s in self.specials.items()
            if procedure_id in s.procedures and s.valid_from <= self.as_of <= s.valid_through
        )


def money(value, currency: str = "USD") -> str:
    symbol = "$" if currency == "USD" else f"{currency} "
    text = f"{value:,.2f}"
    return symbol + (text[:-3] if text.endswith(".00") else text)


def offer_text(special, currency: str = "USD") -> str:
    offer = special.offer
    per = f" per {offer.per}" if offer.per else ""
    return f"{money(offer.sale_price, currency)}{per} instead of {money(offer.regular_price, currency)}{per}"


def _body_sections(body: str, first: int) -> tuple[list[str], dict[str, list[str]]]:
    """The body's opening paragraphs, and each heading's blocks (plain text)."""
    intro: list[str] = []
    by_heading: dict[str, list[str]] = {}
    seen = set()
    for sentence in body_sentences(body, first):
        if sentence.kind == "heading":
            by_heading.setdefault(sentence.plain, [])
            continue
        block = " ".join(sentence.block.split())
        if (sentence.heading, block) in seen or sentence.kind == "cell":
            continue
        seen.add((sentence.heading, block))
        (by_heading.setdefault(sentence.heading, []) if sentence.heading else intro).append(block)
    return intro, by_heading


def device_section(ctx: Context, names) -> Section:
    section = Section("Devices and products: FDA status and cleared indications")
    for name in names:
        found = ctx.device_for(name)
        if found is None:
            section.items.append(
                f"{name}: no FDA status declared (content/devices/); make no FDA claim about it."
            )
            continue
        _, device = found
        status = FDA_STATUSES[device.fda_status]
        reference = f" ({device.fda_reference})" if device.fda_reference else ""
        uses = "; ".join(u.text for u in device.indications) or "none"
        line = f"{device.name}: {status}{reference}. Indications: {uses}."
        if device.off_label:
            line += " Off-label (say so if it comes up): " + "; ".join(u.text for u in device.off_label) + "."
        section.items.append(line)
    return section


def phrases_sections(ctx: Context, procedure_ids: list[str], devices: list) -> list[Section]:
    approved = Section("Approved phrases")
    approved.items = [
        a.text for a in ctx.approved if not a.procedures or set(a.procedures) & set(procedure_ids)
    ]
    if not approved.items:
        approved.paragraphs.append(
            "No approved phrases are listed yet (content/claims.yml, approved_phrases)."
        )
    avoid = Section("Phrases to avoid, and what to say instead")
    avoid.items = [f"{rule.title.capitalize()}: instead, {rule.suggestion}" for rule in RULES]
    avoid.items += [f"'{r.phrase or r.pattern}': {r.why} Instead, {r.suggestion}" for r in ctx.custom_rules]
    for device in devices:
        for use in device.off_label:
            avoid.items.append(
                f"Presenting {use.text.lower()} as what {device.name} treats: it is off-label."
            )
    return [approved, avoid]


def people_section(ctx: Context, procedure_ids: list[str]) -> Section:
    section = Section("Who performs it, and where")
    for pid in procedure_ids:
        for tid in ctx.providers(pid):
            member = ctx.team[tid]
            where = ", ".join(ctx.locations[loc].name for loc in member.locations if loc in ctx.locations)
            credentials = f", {member.credentials}" if member.credentials else ""
            line = f"{member.name}{credentials}, {member.role} — {where}"
            if len(procedure_ids) > 1:
                line += f" ({ctx.procedures[pid].name})"
            if line not in section.items:
                section.items.append(line)
    if not section.items:
        section.paragraphs.append("No team member lists it yet (team files, procedures:).")
    return section


def price_section(ctx: Context, procedure_ids: list[str]) -> Section:
    section = Section("Price")
    for pid in procedure_ids:
        procedure = ctx.procedures[pid]
        section.items.append(f"{procedure.name}: from {money(procedure.price_from, ctx.currency)}")
    return section


def specials_section(ctx: Context, procedure_ids: list[str]) -> Section:
    """This month's offers: shown, but not part of the version staff acknowledge."""
    section = Section(f"Current specials (on {ctx.as_of:%B %-d, %Y})", versioned=False)
    for pid in procedure_ids:
        for sid in ctx.current_specials(pid):
            special = ctx.specials[sid]
            code = f" Code {special.promo_code}." if special.promo_code else ""
            section.items.append(
                f"Special until {special.valid_through:%B %-d, %Y}: {special.title}, {offer_text(special, ctx.currency)}. "
                f"Terms: {special.terms}{code}"
            )
    if not section.items:
        section.paragraphs.append("None today.")
    return section


def procedure_brief(ctx: Context, procedure_id: str) -> Brief:
    from pipeline.briefs.quiz import procedure_quiz

    p = ctx.procedures[procedure_id]
    intro, by_heading = _body_sections(*ctx.bodies[("procedure", procedure_id)])
    suits = [block for heading, blocks in by_heading.items() if SUITS.search(heading) for block in blocks]
    devices = [found[1] for n in p.devices if (found := ctx.device_for(n)) is not None]
    sections = [
        Section("What it is", [p.summary, *intro[:2]]),
        Section("Who it suits", [f"Treatment areas: {', '.join(p.body_areas)}."], suits),
        Section("Who it does not suit (contraindications)", items=list(p.contraindications)),
        Section("How it works", [t for t in (f"Type: {p.procedure_type}.", p.how_performed) if t]),
        Section("Sessions", [f"Typically {p.sessions} session(s)."]),
        Section(
            "Downtime and aftercare",
            [f"Downtime: {p.downtime}."],
            [
                t
                for t in (p.preparation and f"Before: {p.preparation}", p.followup and f"After: {p.followup}")
                if t
            ],
        ),
        price_section(ctx, [procedure_id]),
        specials_section(ctx, [procedure_id]),
        people_section(ctx, [procedure_id]),
        Section("FAQs with approved answers", items=[f"{f.q} — {f.a}" for f in p.faqs]),
        device_section(ctx, p.devices),
        *phrases_sections(ctx, [procedure_id], devices),
    ]
    brief = Brief(procedure_id, "procedure", p.name, ctx.paths[("procedure", procedure_id)], sections)
    brief.quiz = procedure_quiz(ctx, procedure_id)
    return brief


def device_brief(ctx: Context, device_id: str) -> Brief:
    from pipeline.briefs.quiz import device_quiz

    d = ctx.devices[device_id]
    intro, by_heading = _body_sections(*ctx.bodies[("device", device_id)])
    using = ctx.procedures_using(device_id)
    contraindications = sorted({c for pid in using for c in ctx.procedures[pid].contraindications})
    areas = sorted({a for pid in using for a in ctx.procedures[pid].body_areas})
    sections = [
        Section("What it is", [d.summary, *intro, *(b for blocks in by_heading.values() for b in blocks)]),
        Section(
            "Procedures that use it",
            items=[
                f"{ctx.procedures[pid].name}: {ctx.procedures[pid].sessions} session(s); downtime: {ctx.procedures[pid].downtime}"
                for pid in using
            ]
            or ["No procedure lists it yet (procedures' devices:)."],
        ),
        Section("Who it suits", [f"Treatment areas: {', '.join(areas)}."] if areas else []),
        Section("Who it does not suit (contraindications)", items=contraindications),
        Section(
            "How it works",
            [d.summary],
            [ctx.procedures[pid].how_performed for pid in using if ctx.procedures[pid].how_performed],
        ),
        Section(
            "Downtime and aftercare",
            items=[
                f"{ctx.procedures[pid].name}: {ctx.procedures[pid].downtime}. After: {ctx.procedures[pid].followup or '—'}"
                for pid in using
            ],
        ),
        price_section(ctx, using),
        specials_section(ctx, using),
        people_section(ctx, using),
        Section(
            "FAQs with approved answers",
            items=[f"{f.q} — {f.a}" for pid in using for f in ctx.procedures[pid].faqs],
        ),
        device_section(ctx, [d.name]),
        *phrases_sections(ctx, using, [d]),
    ]
    brief = Brief(device_id, "device", d.name, ctx.paths[("device", device_id)], sections)
    brief.quiz = device_quiz(ctx, device_id)
    return brief

"""Small documents and facts for the claims rules, built the way the build builds them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.claims.document import Acceptance, Document
from pipeline.claims.facts import DeviceFacts, Facts, ProcedureFacts, SpecialFacts, Use
from pipeline.claims.testimonials import Entry, Testimonial
from pipeline.claims.text import body_sentences, field_sentences


def doc(
    body: str = "", kind: str = "post", procedures=(), fields=None, accepted=(), links=(), testimonials=()
):
    """A document whose body is ``body`` (Markdown, first line 10) and whose fields are ``fields``."""
    sentences = []
    for line, (name, value) in enumerate((fields or {}).items(), start=2):
        sentences += field_sentences(name, value, line)
    sentences += body_sentences(body, 10)
    return Document(
        path=f"content/{kind}/example.md",
        kind=kind,
        id="example",
        sentences=tuple(sentences),
        procedures=tuple(procedures),
        links=tuple(links),
        accepted=tuple(Acceptance(*a) for a in accepted),
        testimonials=tuple(testimonials),
    )


def ledger_entry(id="T-1", connection="none", disclosure=None, usable=True) -> Entry:
    record = Testimonial(
        id=id,
        text="The team explained everything and I felt looked after.",
        attribution="J. M., patient",
        source="survey",
        received=2026,
        consent="C-1",
        connection=connection,
        disclosure=disclosure,
    )
    return Entry(record, 3, usable, "" if usable else "consent C-1 revoked 2026-02")


@pytest.fixture
def facts() -> Facts:
    devices = {
        "coolsculpting-elite": DeviceFacts(
            "coolsculpting-elite",
            "CoolSculpting Elite",
            "cleared",
            ("CoolSculpting Elite", "CoolSculpting"),
            (Use("Visible fat bulges of the abdomen and flanks", ("abdomen", "flanks")),),
        ),
        "botox-cosmetic": DeviceFacts(
            "botox-cosmetic",
            "Botox Cosmetic",
            "approved",
            ("Botox Cosmetic", "Botox"),
            (
                Use("Glabellar lines", ("frown lines", "glabellar lines")),
                Use("Forehead lines", ("forehead lines",)),
            ),
            (Use("Relaxing the masseter muscles", ("masseter", "masseters", "jawline")),),
        ),
        "glowwand": DeviceFacts("glowwand", "GlowWand", "exempt", ("GlowWand",)),
    }
    procedures = {
        "body-contouring": ProcedureFacts(
            "body-contouring",
            "CoolSculpting body contouring",
            Decimal(750),
            "None; temporary numbness",
            ("coolsculpting-elite",),
            ("CoolSculpting Elite",),
        ),
        "botox": ProcedureFacts(
            "botox",
            "Botox & neuromodulators",
            Decimal(240),
            "None; avoid exercise for 4 hours",
            ("botox-cosmetic",),
            ("Botox Cosmetic",),
        ),
        "ipl-photofacial": ProcedureFacts(
            "ipl-photofacial",
            "IPL photofacial",
            Decimal(350),
            "Minimal; brown spots flake off over 7-10 days",
        ),
        "hydrafacial": ProcedureFacts("hydrafacial", "HydraFacial", Decimal(199), "None"),
    }
    specials = {
        "november-botox": SpecialFacts(
            "november-botox",
            "November neuromodulator event",
            ("botox",),
            Decimal(14),
            Decimal("11.00"),
            price=Decimal(11),
            per="unit",
        ),
        "summer-glow": SpecialFacts(
            "summer-glow",
            "Summer glow",
            ("hydrafacial",),
            Decimal(199),
            Decimal("149.25"),
            percent_off=Decimal(25),
        ),
    }
    return Facts(
        procedures=procedures,
        devices=devices,
        specials=specials,
        disclaimers=("Individual results vary. A consultation with a provider is required.",),
        testimonials={"T-1": ledger_entry(), "T-9": ledger_entry("T-9", usable=False)},
    )

"""Finding the procedures and devices a text names: the one-pass index finds exactly what searching
for every name in the text finds."""

from __future__ import annotations

import itertools

from pipeline.claims.facts import Facts

TEXTS = [
    "",
    "Botox",
    "BOTOX® Cosmetic softens lines.",
    "botoxes are not a name",
    "We pair HydraFacial with CoolSculpting Elite; then Juvéderm.",
    "hydra facial",
    "Laser hair removal (with the Gentle-Max Pro) after a consultation",
    "A sentence about nothing we offer.",
    "coolsculpting coolsculpting elite elite",
]


def _every_name_searched(items: dict, text: str) -> list:
    return [item for item in items.values() if item.named_in(text)]


def test_the_index_finds_what_every_name_searched_finds(facts: Facts):
    names = [n for p in facts.procedures.values() for n in (p.id, p.name)]
    names += [n for d in facts.devices.values() for n in (d.id, *d.names)]
    texts = TEXTS + [" ".join(pair) for pair in itertools.permutations(names, 2)]
    found_any = 0
    for text in texts:
        assert facts.procedures_named_in(text) == _every_name_searched(facts.procedures, text), text
        assert facts.devices_named_in(text) == _every_name_searched(facts.devices, text), text
        found_any += bool(facts.procedures_named_in(text)) + bool(facts.devices_named_in(text))
    assert found_any > len(texts)  # most texts name something: the comparison is not of empty lists

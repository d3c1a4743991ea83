"""Every built-in rule fires on a minimal example and stays silent on its compliant rewording."""

from __future__ import annotations

import re

import pytest

from pipeline.claims import rules
from pipeline.claims.check import check_document
from pipeline.claims.testimonials import ledger_document

from .conftest import doc, ledger_entry

# rule, what it fires on, its compliant rewording, the document's kind and procedures
CASES = [
    (
        "guarantee",
        "Guaranteed results after one session.",
        "Most people see softer lines in two weeks; individual results vary.",
        "post",
        (),
    ),
    (
        "guarantee",
        "We promise you will love your results.",
        "We cannot guarantee results, and we say so at every consultation.",
        "post",
        (),
    ),
    (
        "absolute",
        "Laser hair removal is permanent.",
        "Laser hair removal gives a long-term reduction in hair.",
        "post",
        (),
    ),
    (
        "absolute",
        "The treatment is painless.",
        "We do not promise painless treatment: most people feel a quick pinch.",
        "post",
        (),
    ),
    ("absolute", "There is no risk.", "Risks are usually mild and temporary.", "post", ()),
    (
        "absolute",
        "Our peels are 100% safe.",
        "Our peels are chosen for your skin; side effects are usually mild.",
        "post",
        (),
    ),
    (
        "absolute",
        "There are no side effects.",
        "Side effects are usually mild and short-lived, such as redness.",
        "post",
        (),
    ),
    ("cure", "This peel cures acne.", "This peel improves the appearance of acne marks.", "post", ()),
    (
        "cure",
        "Microneedling erases deep wrinkles for good.",
        "Microneedling can soften the look of fine wrinkles.",
        "post",
        (),
    ),
    (
        "superlative",
        "We are the best med spa in Brightwater.",
        "We are a physician-led med spa in Brightwater.",
        "page",
        (),
    ),
    (
        "superlative",
        "Visit the #1 injector in town.",
        "Visit a nurse injector with ten years' experience.",
        "page",
        (),
    ),
    (
        "superlative",
        "Our top-rated clinic is open on Saturdays.",
        "Our clinic is open on Saturdays.",
        "page",
        (),
    ),
    (
        "superlative",
        "Our top-rated clinic is open on Saturdays.",
        "Our top-rated clinic[^1] is open on Saturdays.\n\n[^1]: Brightwater Reader's Choice 2026.",
        "page",
        (),
    ),
    (
        "fda-approved",
        "The FDA-approved CoolSculpting Elite reduces stubborn fat.",
        "The FDA-cleared CoolSculpting Elite reduces stubborn fat.",
        "procedure",
        ("body-contouring",),
    ),
    (
        "fda-approved",
        "Our devices are FDA-approved.",
        "Botox Cosmetic is FDA-approved for frown lines.",
        "page",
        (),
    ),
    ("fda-cleared", "The FDA-cleared GlowWand brightens skin.", "The GlowWand brightens skin.", "post", ()),
    (
        "off-label",
        "Botox slims the jawline by relaxing the masseters.",
        "Relaxing the masseters is an off-label use of Botox Cosmetic.",
        "procedure",
        ("botox",),
    ),
    (
        "off-label",
        "CoolSculpting Elite is FDA-cleared for double chins and cellulite and the masseters.",
        "CoolSculpting Elite is FDA-cleared for fat bulges of the abdomen and flanks.",
        "procedure",
        ("body-contouring",),
    ),
    (
        "no-downtime",
        "An IPL photofacial has no downtime.",
        "An IPL photofacial has minimal downtime: brown spots flake off over a week.",
        "post",
        (),
    ),
    (
        "no-downtime",
        "A treatment with no downtime.",
        "A treatment with no downtime.",
        "procedure",
        ("hydrafacial",),
    ),
    ("price", "Botox from $199 a unit area.", "Botox from $240.", "procedure", ("botox",)),
    (
        "price",
        "Botox at $9 a unit this month.",
        "Botox at $11 a unit this month, instead of $14.",
        "procedure",
        ("botox",),
    ),
    ("price", "Save 30% off a HydraFacial.", "Save 25% off a HydraFacial.", "post", ("hydrafacial",)),
    (
        "before-after-disclaimer",
        "See our before-and-after results in the gallery.",
        "See our before-and-after results in the gallery. Individual results vary.",
        "post",
        (),
    ),
    (
        "before-after-disclaimer",
        "These before and after photos show results not typical of most patients.",
        "These before and after photos show typical results. Individual results vary.",
        "post",
        (),
    ),
    (
        "review-source",
        "> \u201cMy skin has never looked better!\u201d \u2014 Sarah K.",
        "[[testimonial T-1]]",
        "procedure",
        (),
    ),
    (
        "review-source",
        "\u2605\u2605\u2605\u2605\u2605 from 200 happy clients.",
        "We ask every client for feedback after a visit.",
        "page",
        (),
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "fires", "silent", "kind", "procedures"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_rule_fires_and_its_rewording_is_silent(facts, rule_id, fires, silent, kind, procedures):
    rule = rules.BY_ID[rule_id]
    found = list(rule.find(doc(fires, kind, procedures), facts))
    if fires == silent:  # a claim that is true for this procedure: silent both ways
        assert not found, found
        return
    assert found, f"{rule_id} did not fire on: {fires}"
    assert all(h.line == 10 for h in found), [h.line for h in found]
    quiet = list(rule.find(doc(silent, kind, procedures), facts))
    assert not quiet, f"{rule_id} fired on its rewording: {[h.words for h in quiet]}"


def test_every_builtin_rule_has_a_case_a_reason_with_a_source_and_a_rewording():
    covered = {case[0] for case in CASES} | {"testimonial-disclosure", "testimonial-source"}
    assert covered == set(rules.BY_ID)
    for rule in rules.RULES:
        assert re.search(r"CFR|FTC|FDA|Code", rule.why), rule.id
        assert rule.suggestion and rule.severity in (rules.ERROR, rules.WARNING)


def test_testimonial_with_a_connection_needs_its_disclosure(facts):
    rule = rules.BY_ID["testimonial-disclosure"]
    undisclosed = ledger_document([ledger_entry(connection="employee")], "content/testimonials.yml")
    assert [h.message for h in rule.find(undisclosed, facts)]
    disclosed = ledger_document(
        [ledger_entry(connection="employee", disclosure="Maya works at our front desk.")],
        "content/testimonials.yml",
    )
    assert not list(rule.find(disclosed, facts))
    none = ledger_document([ledger_entry()], "content/testimonials.yml")
    assert not list(rule.find(none, facts))


def test_a_testimonial_marker_needs_a_ledger_entry_whose_consent_allows_the_web(facts):
    rule = rules.BY_ID["testimonial-source"]
    assert list(rule.find(doc(testimonials=[("T-404", 12)]), facts))[0].line == 12
    assert "revoked" in list(rule.find(doc(testimonials=[("T-9", 12)]), facts))[0].message
    assert not list(rule.find(doc(testimonials=[("T-1", 12)]), facts))


@pytest.mark.parametrize(
    "text",
    [
        "There is no guarantee of results.",
        "We cannot guarantee a result, and nobody honestly can.",
        "It gives long-term reduction rather than complete, permanent removal.",
        "We do not promise painless treatment.",
        "No one can promise a permanent result.",
        'Myth 3: "Once you start, the results are permanent"',
        'Beware of clinics that promise "guaranteed results".',
        "Tattoos or permanent makeup in the treatment area.",
        "The laser is cleared for permanent hair reduction.",
        "They do not restore lost volume, lift sagging skin or erase deep lines.",
        "Sunscreen works best when you apply it every day.",
        "The best way to know is an examination.",
        "Is laser hair removal permanent?",
    ],
)
def test_negations_quotations_and_terms_of_art_do_not_fire(facts, text):
    kind = "procedure"
    fields = {"faqs.0.q": text} if text.endswith("?") else None
    document = doc("" if fields else text, kind, ("botox",), fields=fields)
    found = [
        f
        for f in check_document(document, facts)
        if f.rule in ("guarantee", "absolute", "cure", "superlative")
    ]
    assert not found, [(f.rule, f.words) for f in found]


def test_a_claim_wrapped_over_two_lines_is_found_on_the_line_of_its_first_word(facts):
    body = "A gentle facial,\nsuitable for most skin, with no\ndowntime at all.\n"
    found = list(rules.BY_ID["no-downtime"].find(doc(body, "post", ("ipl-photofacial",)), facts))
    assert [h.line for h in found] == [11]
    assert found[0].words == "no downtime"


def test_a_heading_names_the_procedure_a_list_is_about(facts):
    body = "## Choose the IPL photofacial if...\n\n- you want a treatment with no downtime;\n"
    post = doc(body, "post", ("hydrafacial", "ipl-photofacial"))
    assert [h.line for h in rules.BY_ID["no-downtime"].find(post, facts)] == [12]
    other = "## Choose the HydraFacial if...\n\n- you want a treatment with no downtime;\n"
    assert not list(
        rules.BY_ID["no-downtime"].find(doc(other, "post", ("hydrafacial", "ipl-photofacial")), facts)
    )


def test_an_accepted_finding_is_kept_with_its_reason_and_a_stale_acceptance_is_reported(facts):
    why = "Brightwater Reader's Choice 2026, Best Med Spa: certificate on file."
    page = doc(
        "We were voted the best med spa in town.", "page", accepted=[("superlative", "best med spa", why, 3)]
    )
    findings = check_document(page, facts)
    assert [(f.rule, f.accepted) for f in findings] == [("superlative", why)]
    stale = doc("We are a med spa.", "page", accepted=[("superlative", "best med spa", why, 3)])
    findings = check_document(stale, facts)
    assert [(f.rule, f.line, f.accepted) for f in findings] == [("claims-accepted", 3, "")]

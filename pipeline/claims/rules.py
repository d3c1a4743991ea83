"""The built-in claims rules: one table, each rule with its reason and a compliant rewording.

A rule reads a :class:`~pipeline.claims.document.Document` against the content's
:class:`~pipeline.claims.facts.Facts` and yields :class:`Hit`s. Phrases are matched with care:
words negated in the same clause ("we do not promise painless", "no guarantee"), a phrase quoted
to be discussed (Myth: "it is permanent"), a patient's question in an FAQ, and the allow-listed
terms of art ("permanent makeup", FDA's "permanent hair reduction") never fire.

The reasons cite their public sources:
- FTC, *Health Products Compliance Guidance* (December 2022): health-related claims, express or
  implied, need competent and reliable scientific evidence, generally randomized controlled
  human trials; qualifying information must be clear and conspicuous.
- FTC, *Guides Concerning the Use of Endorsements and Testimonials in Advertising*, 16 CFR Part
  255 (revised 2023): 255.2 (consumer endorsements must reflect what consumers generally achieve,
  "results not typical" is no safe harbor), 255.5 (material connections must be disclosed).
- FTC, *Trade Regulation Rule on the Use of Consumer Reviews and Testimonials*, 16 CFR Part 465
  (in force 21 October 2024): 465.2 (fake or false reviews and testimonials), 465.5 (insiders).
- FDA, "Premarket Approval (PMA)", "Premarket Notification 510(k)" and "De Novo Classification
  Request" (fda.gov), and 21 CFR 807.97 (a 510(k) clearance "does not in any way denote official
  approval"); 21 CFR 801.4 (a device's intended uses).
- FTC, *Guides Against Deceptive Pricing*, 16 CFR Part 233.
- State medical boards, e.g. California Business and Professions Code section 651(b)(3): no claim
  "likely to create false or unjustified expectations of favorable results".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pipeline.claims.document import Document
from pipeline.claims.facts import AUTHORIZED, FDA_STATUSES, DeviceFacts, Facts, ProcedureFacts, key
from pipeline.claims.text import Sentence

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Hit:
    sentence: Sentence
    start: int
    end: int
    message: str = ""  # what is wrong, when the rule's title is not enough
    suggestion: str = ""  # a rewording for this hit, when the rule's own is not enough

    @property
    def words(self) -> str:
        return " ".join(self.sentence.text[self.start : self.end].split())

    @property
    def line(self) -> int | None:
        return self.sentence.line_at(self.start)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str  # what the finding is, in a few words
    severity: str  # error: stops a --strict build; warning: listed only
    why: str  # the reason, with its source
    suggestion: str  # a compliant rewording
    find: Callable[[Document, Facts], Iterable[Hit]]
    builtin: bool = True


# -- careful matching -------------------------------------------------------------------------

_NEGATIONS = re.compile(
    r"\b(?:no|not|never|nor|neither|cannot|can't|can’t|don't|don’t|doesn't|doesn’t|didn't|isn't|isn’t|"
    r"aren't|aren’t|won't|won’t|wouldn't|shouldn't|nothing|nobody|rather than|instead of|"
    r"do not|does not|did not|is not|are not|will not|would not|should not|no one|beware|avoid|"
    r"wary|skeptical|myths?|false)\b",
    re.IGNORECASE,
)
_NOT_NEGATING = re.compile(r"\bnot (?:only|just)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;:!?]|\bbut\b|\bhowever\b|\byet\b|\bwhile\b", re.IGNORECASE)
_FRAMING = re.compile(
    r"\b(?:myths?|claims?|claimed|promises?|promised|says?|said|hear|heard|asks?|asked|called|words?|"
    r"phrases?|terms?|beware|avoid|told|question|means?|advertis\w*|wary|skeptical)\b",
    re.IGNORECASE,
)
_QUOTE_CHARS = {'"': '"', "“": "”", "‘": "’"}
NEGATION_WINDOW = 10  # words before a phrase that can negate it, within its clause


def negated(sentence: Sentence, start: int) -> bool:
    """Is the phrase at ``start`` negated in its clause ("we do not promise painless results")?"""
    before = sentence.text[:start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    clause = before[cut:]
    words = clause.split()[-NEGATION_WINDOW:]
    window = " ".join(words)
    window = _NOT_NEGATING.sub(" ", window)
    return bool(_NEGATIONS.search(window))


def quoted(sentence: Sentence, start: int, end: int) -> bool:
    """Is the phrase inside quotation marks that the sentence frames as a mention (Myth: "...",
    clinics that promise "..."), rather than our own words?"""
    text = sentence.text
    inside = False
    opened_at = -1
    for index, char in enumerate(text[:start]):
        if char == '"':
            inside, opened_at = (not inside), index
        elif char == "“":
            inside, opened_at = True, index
        elif char == "”":
            inside = False
    if not inside:
        return False
    closer = text.find("”", end) if text[opened_at] == "“" else text.find('"', end)
    outside = text[:opened_at] + (text[closer + 1 :] if closer >= 0 else "")
    return bool(_FRAMING.search(outside) or _FRAMING.search(sentence.heading[:40]))


def phrases(
    doc: Document,
    pattern: re.Pattern,
    allow: re.Pattern | None = None,
    questions: bool = False,
) -> Iterator[tuple[Sentence, re.Match]]:
    """Each match of ``pattern`` that makes a claim: not negated, not a framed quotation, not an
    allow-listed term, and (unless ``questions``) not in a patient's question."""
    for sentence in doc.sentences:
        if sentence.kind == "question" and not questions:
            continue
        for match in pattern.finditer(sentence.text):
            if allow is not None and any(
                a.start() <= match.start() < a.end() for a in allow.finditer(sentence.text)
            ):
                continue
            if negated(sentence, match.start()) or quoted(sentence, match.start(), match.end()):
                continue
            yield sentence, match


def _hits(doc: Document, pattern: re.Pattern, allow: re.Pattern | None = None) -> Iterator[Hit]:
    for sentence, match in phrases(doc, pattern, allow):
        yield Hit(sentence, match.start(), match.end())


# -- guarantees, absolutes, cures, superlatives -----------------------------------------------

GUARANTEE = re.compile(
    r"\bguarantee(?:d|s)?\b|\bguaranteeing\b|\bmoney[- ]back\b|\bwe promise\b|\bpromised results\b|"
    r"\bresults? (?:are |is )?assured\b|\bsure[- ]fire\b",
    re.IGNORECASE,
)


def find_guarantees(doc: Document, facts: Facts) -> Iterator[Hit]:
    return _hits(doc, GUARANTEE)


ABSOLUTES = {  # group name -> pattern
    "permanent": r"\bpermanent(?:ly)?\b|\bforever\b|\blifelong results?\b",
    "painless": r"\bpainless(?:ly)?\b|\bpain[- ]free\b|\bno pain\b|\bwithout (?:any )?pain\b|\bdoesn[’']t hurt\b",
    "no_risk": r"\bno risks?\b|\brisk[- ]free\b|\bzero risk\b|\bwithout (?:any )?risks?\b",
    "pct_safe": r"\b100 ?% safe\b|\b(?:completely|totally|perfectly|absolutely|entirely) safe\b",
    "no_side_effects": r"\bno side[- ]effects?\b|\bside[- ]effect[- ]free\b|\bwithout (?:any )?side[- ]effects?\b",
}
ABSOLUTE = re.compile("|".join(f"(?P<{k}>{v})" for k, v in ABSOLUTES.items()), re.IGNORECASE)
# Terms of art, not claims: FDA's own "permanent hair reduction" (defined in cleared laser
# labeling as a long-term, stable reduction in regrowth), a tattoo's "permanent makeup".
ABSOLUTE_ALLOWED = re.compile(
    r"\bpermanent (?:hair reduction|reduction in hair regrowth|makeup|make-up|cosmetics?|tattoos?|teeth)\b|"
    r"\bsemi-permanent\b",
    re.IGNORECASE,
)
ABSOLUTE_SUGGESTIONS = {
    "permanent": "say how long results typically last: 'long-lasting', 'a long-term reduction', "
    "'results typically last three to four months'",
    "painless": "describe what it feels like: 'most people feel a quick pinch; numbing cream is available'",
    "no_risk": "name the usual risks: 'risks are usually mild and temporary, and we go through them at "
    "your consultation'",
    "pct_safe": "say what makes it safer, without an absolute: 'performed by a nurse injector under "
    "physician supervision; side effects are usually mild'",
    "no_side_effects": "name the common side effects: 'side effects are usually mild and short-lived, "
    "such as redness or swelling'",
}


def find_absolutes(doc: Document, facts: Facts) -> Iterator[Hit]:
    for sentence, match in phrases(doc, ABSOLUTE, ABSOLUTE_ALLOWED):
        kind = match.lastgroup or "permanent"
        yield Hit(sentence, match.start(), match.end(), suggestion=ABSOLUTE_SUGGESTIONS.get(kind, ""))


CURE = re.compile(
    r"\bcur(?:e|es|ed|ing)\b|\beradicat\w*|\b(?:eliminat\w*|erase[sd]?|erasing|reverses?|reversing)\s+"
    r"(?:\w+\s+){0,2}(?:wrinkles|lines|acne|scars?|scarring|cellulite|fat|aging|ageing|pigment\w*|rosacea|"
    r"melasma|sun damage|spots)\b",
    re.IGNORECASE,
)


def find_cures(doc: Document, facts: Facts) -> Iterator[Hit]:
    return _hits(doc, CURE)


_PRAISED = (
    r"(?:med ?spas?|spas?|clinics?|practices?|injectors?|surgeons?|doctors?|dermatologists?|providers?|"
    r"nurses?|team|results?|care|treatments?|botox|fillers?|lasers?|prices?|deals?|value|technology|devices?|"
    r"options?|experience|service)"
)
SUPERLATIVE = re.compile(
    rf"\b(?:the\s+)?best(?:\s+[\w-]+)?\s+{_PRAISED}\b|\bbest\s+in\s+(?:town|the\s+\w+|[A-Z]\w+)|"
    r"(?<![\w#])#\s?1\b|\bnumber[- ]one\b|\bno\.\s?1\b|\b(?:top|highest|best)[- ]rated\b|\bworld[- ]class\b|"
    r"\bvoted\s+(?:the\s+)?best\b|\bunmatched\b|\bunrivall?ed\b|\bsecond to none\b",
    re.IGNORECASE,
)


def find_superlatives(doc: Document, facts: Facts) -> Iterator[Hit]:
    for sentence, match in phrases(doc, SUPERLATIVE):
        if sentence.cites:  # "voted best in Brightwater[^award]": the reference substantiates it
            continue
        yield Hit(sentence, match.start(), match.end())


# -- FDA status and indications ---------------------------------------------------------------

FDA_APPROVED = re.compile(
    r"\bFDA[- ]approv\w*|\bapproved by (?:the )?(?:U\.?S\.? )?(?:FDA|Food and Drug Administration)\b|"
    r"\bFDA approval\b",
    re.IGNORECASE,
)
FDA_CLEARED = re.compile(
    r"\bFDA[- ](?:cleared|clearance|authori[sz]ed)\b|\bcleared by (?:the )?(?:FDA|Food and Drug Administration)\b",
    re.IGNORECASE,
)
CLEARED_FOR = re.compile(
    r"\b(?:FDA[- ])?(?:approved|cleared|authori[sz]ed|indicated)\s+(?:by (?:the )?FDA\s+)?(?:for|to treat|to improve)"
    r"\s+(?P<use>[^.;:!?]+)",
    re.IGNORECASE,
)


def _devices_meant(sentence: Sentence, doc: Document, facts: Facts) -> tuple[list[DeviceFacts], list[str]]:
    """The declared devices a sentence is about, and the procedures' undeclared device names it names."""
    named = facts.devices_named_in(sentence.text)
    if named:
        return named, []
    procedures = _procedures_meant(sentence, doc, facts)
    devices = [facts.devices[d] for p in procedures for d in p.devices if d in facts.devices]
    undeclared = [
        n
        for p in procedures
        for n in p.device_names
        if facts.device_for(n) is None and key(n) in key(sentence.text)
    ]
    return list(dict.fromkeys(devices)), undeclared


def _procedures_meant(sentence: Sentence, doc: Document, facts: Facts) -> list[ProcedureFacts]:
    """The procedures a sentence is about: those it names, else its paragraph's or heading's, else the page's."""
    for text in (sentence.text, sentence.block, sentence.heading):
        named = facts.procedures_named_in(text) if text else []
        if named:
            return named
    return [facts.procedures[p] for p in doc.procedures if p in facts.procedures]


def find_fda_approved(doc: Document, facts: Facts) -> Iterator[Hit]:
    for sentence, match in phrases(doc, FDA_APPROVED, questions=True):
        devices, undeclared = _devices_meant(sentence, doc, facts)
        if undeclared:
            yield Hit(
                sentence,
                match.start(),
                match.end(),
                f"names {', '.join(undeclared)}, whose FDA status is not declared",
                f"add content/devices/<id>.md for {undeclared[0]} with its fda_status and indications "
                "(inv new device), or leave out 'FDA-approved'",
            )
            continue
        if not devices:
            yield Hit(
                sentence,
                match.start(),
                match.end(),
                "says 'FDA-approved' without naming a device or product whose FDA status is declared",
                "name the product and declare it in content/devices/, or leave out 'FDA-approved'",
            )
            continue
        for device in devices:
            if device.status != "approved":
                yield Hit(
                    sentence,
                    match.start(),
                    match.end(),
                    f"{device.name} is {FDA_STATUSES[device.status]}",
                    f"write 'FDA-cleared' for {device.name}"
                    if device.status in AUTHORIZED
                    else f"say what {device.name} is without an FDA claim",
                )


def find_fda_cleared(doc: Document, facts: Facts) -> Iterator[Hit]:
    for sentence, match in phrases(doc, FDA_CLEARED, questions=True):
        devices, undeclared = _devices_meant(sentence, doc, facts)
        if not devices:
            yield Hit(
                sentence,
                match.start(),
                match.end(),
                "says 'FDA-cleared' without naming a device whose FDA status is declared",
                "name the device and declare it in content/devices/ (its fda_status and cleared indications)",
            )
            continue
        for device in devices:
            if device.status not in AUTHORIZED:
                yield Hit(
                    sentence,
                    match.start(),
                    match.end(),
                    f"{device.name} is {FDA_STATUSES[device.status]}",
                    f"say what {device.name} does without an FDA claim",
                )


_OFF_LABEL_NOTE = re.compile(
    r"\boff[- ]label\b|\bnot (?:FDA[- ])?(?:approved|cleared|authori[sz]ed)\b|\bunapproved use\b|"
    r"\bnot an? (?:FDA[- ])?(?:approved|cleared) use\b|\bisn[’']t (?:FDA[- ])?(?:approved|cleared)\b",
    re.IGNORECASE,
)


def find_off_label(doc: Document, facts: Facts) -> Iterator[Hit]:
    """An off-label use presented as an indication; a clearance claimed for a use not cleared."""
    for sentence in doc.sentences:
        if sentence.kind == "question":
            continue
        devices, _ = _devices_meant(sentence, doc, facts)
        if not devices:
            continue
        if _OFF_LABEL_NOTE.search(sentence.block) or _OFF_LABEL_NOTE.search(sentence.text):
            continue
        cleared = [use for d in devices for use in d.indications]
        for device in devices:
            for use in device.off_label:
                term = use.named_in(sentence.text)
                if term is None or any(i.named_in(sentence.text) == term for i in cleared):
                    continue
                position = _position(sentence.text, term)
                if negated(sentence, position):
                    continue
                yield Hit(
                    sentence,
                    position,
                    position + len(term),
                    f"'{term}' ({use.text}) is an off-label use of {device.name}, presented as what it treats",
                    f"say it is off-label: '... {term} is an off-label use: {device.name} is "
                    f"{'approved' if device.status == 'approved' else 'cleared'} for "
                    f"{_indications_text(device)}; your provider will explain the evidence and risks'",
                )
        for match in CLEARED_FOR.finditer(sentence.text):
            if negated(sentence, match.start()):
                continue
            claimed = match.group("use")
            # Only a use our content knows by name can be compared ("FDA-cleared for two uses" cannot).
            known = any(
                use.named_in(claimed)
                for d in facts.devices.values()
                for use in (*d.indications, *d.off_label)
            )
            if not known or any(use.named_in(claimed) for use in cleared):
                continue
            yield Hit(
                sentence,
                match.start(),
                match.end(),
                f"claims an FDA indication ('{' '.join(claimed.split())}') that is not among the cleared "
                f"indications of {', '.join(d.name for d in devices)}",
                f"name only the cleared indications: {'; '.join(_indications_text(d) for d in devices)}",
            )


def _position(text: str, term: str) -> int:
    found = re.search(r"\s+".join(re.escape(w) for w in term.split()), text, re.IGNORECASE)
    return found.start() if found else 0


def _indications_text(device: DeviceFacts) -> str:
    return "; ".join(use.text[0].lower() + use.text[1:] for use in device.indications) or "no indication"


# -- downtime, prices --------------------------------------------------------------------------

NO_DOWNTIME = re.compile(
    r"\b(?:no|zero|without(?: any)?)\s+(?:down[- ]?time|recovery time|recovery)\b|\bno[- ]downtime\b",
    re.IGNORECASE,
)


def find_no_downtime(doc: Document, facts: Facts) -> Iterator[Hit]:
    for sentence in doc.sentences:
        for match in NO_DOWNTIME.finditer(sentence.text):
            if quoted(sentence, match.start(), match.end()):
                continue
            before = sentence.text[: match.start()]
            if re.search(
                r"\b(?:little|minimal|almost|nearly|virtually)\s+(?:or|to)\s*$", before, re.IGNORECASE
            ):
                pass  # "little to no downtime" still says none is possible: checked like the rest
            meant = _procedures_meant(sentence, doc, facts)
            if not meant:
                continue
            wrong = [p for p in meant if p.has_downtime]
            # Several procedures and the sentence names none of them: it is wrong only if wrong for all.
            local = facts.procedures_named_in(sentence.text) or facts.procedures_named_in(sentence.block)
            if not wrong or (not local and len(wrong) < len(meant)):
                continue
            procedure = wrong[0]
            yield Hit(
                sentence,
                match.start(),
                match.end(),
                f"{procedure.name}'s downtime is '{procedure.downtime}'",
                f"say what the downtime is: '{procedure.downtime[0].lower()}{procedure.downtime[1:]}'",
            )


MONEY = re.compile(r"(?<![\w.])\$\s?(?P<amount>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<cents>\d{2}))?(?!\d)")
PERCENT_OFF = re.compile(r"(?P<amount>\d+(?:\.\d+)?)\s?%\s+off\b", re.IGNORECASE)
_FROM = re.compile(r"\b(?:from|starting at|starts at|as low as|only|just)\s*$", re.IGNORECASE)


def _amount(match: re.Match) -> Decimal | None:
    try:
        value = Decimal(match.group("amount").replace(",", ""))
    except InvalidOperation:
        return None
    cents = match.groupdict().get("cents")
    return (value + (Decimal(cents) / 100 if cents else 0)).quantize(Decimal("0.01"))


def find_prices(doc: Document, facts: Facts) -> Iterator[Hit]:
    """A price in the text must be one the content declares: the procedure's `price_from`, or a
    special's regular price, price or discount (16 CFR 233: no invented former or sale prices)."""
    own_special = (
        (facts.specials.get(doc.id) or facts.draft_specials.get(doc.id)) if doc.kind == "special" else None
    )
    for sentence in doc.sentences:
        if own_special is not None:
            allowed = own_special.amounts
            percent = {own_special.percent_off} if own_special.percent_off is not None else set()
            subject = f"the offer ({_offer_text(own_special)})"
        else:
            meant = _procedures_meant(sentence, doc, facts)
            if not meant:
                continue
            specials = facts.specials_for(p.id for p in meant)
            allowed = {p.price_from.quantize(Decimal("0.01")) for p in meant}
            allowed |= {a for s in specials for a in s.amounts}
            percent = {s.percent_off for s in specials if s.percent_off is not None}
            subject = ", ".join(f"{p.name} from {_money(p.price_from)}" for p in meant)
            if specials:
                subject += "; " + "; ".join(f"{s.title}: {_offer_text(s)}" for s in specials)
        for match in MONEY.finditer(sentence.text):
            value = _amount(match)
            if value is None or value in allowed:
                continue
            yield Hit(
                sentence,
                match.start(),
                match.end(),
                f"{match.group(0)} is not a price the content declares ({subject})",
                "use the declared price (price_from, or the special's offer), or correct that field",
            )
        for match in PERCENT_OFF.finditer(sentence.text):
            value = Decimal(match.group("amount"))
            if value in percent:
                continue
            yield Hit(
                sentence,
                match.start(),
                match.end(),
                f"{match.group(0)} is not the discount the content declares ({subject})",
                "use the special's percent_off, or correct it",
            )


def _money(value: Decimal) -> str:
    return f"${value:,.2f}".replace(".00", "")


def _offer_text(special) -> str:
    per = f" per {special.per}" if special.per else ""
    parts = [f"regular {_money(special.regular_price)}{per}", f"now {_money(special.sale_price)}{per}"]
    if special.percent_off is not None:
        parts.append(f"{special.percent_off}% off")
    if special.amount_off is not None:
        parts.append(f"{_money(special.amount_off)} off")
    return ", ".join(parts)


# -- before/after, testimonials and reviews ---------------------------------------------------

BEFORE_AFTER = re.compile(r"\bbefore[- ]?(?:and|&|/)[- ]?after\b|\bbefore[- ]after\b", re.IGNORECASE)
_RESULTS_CONTEXT = re.compile(
    r"\bresults?\b|\btransformations?\b|\bdifference\b|\bsee\b|\bgallery\b|\bphotos? of\b|\bpictures? of\b",
    re.IGNORECASE,
)
NOT_TYPICAL = re.compile(r"\bresults? (?:are )?not typical\b|\batypical results?\b", re.IGNORECASE)
GENERIC_DISCLAIMER = re.compile(
    r"\bindividual results (?:may )?vary\b|\bresults (?:may )?vary\b", re.IGNORECASE
)


def find_before_after(doc: Document, facts: Facts) -> Iterator[Hit]:
    """Before/after results shown or linked without the results disclaimer (a gallery case's page
    always carries it, from the template)."""
    if doc.kind == "case":
        return
    text = doc.text()
    has_disclaimer = bool(GENERIC_DISCLAIMER.search(text)) or any(
        key(d) in key(text) for d in facts.disclaimers
    )
    gallery_link = next((link for link in doc.links if link.lstrip("/").startswith("gallery")), None)
    for sentence in doc.sentences:
        for match in NOT_TYPICAL.finditer(sentence.text):
            if not negated(sentence, match.start()):
                yield Hit(
                    sentence,
                    match.start(),
                    match.end(),
                    "'results not typical' does not qualify a before/after claim",
                    "show typical results, and say 'Individual results vary.'",
                )
    if has_disclaimer:
        return
    for sentence in doc.sentences:
        for match in BEFORE_AFTER.finditer(sentence.text):
            if _RESULTS_CONTEXT.search(sentence.text) or gallery_link:
                yield Hit(sentence, match.start(), match.end())
                return
    if gallery_link:
        target = next((s for s in doc.sentences if "gallery" in s.raw.lower()), None)
        if target is not None:
            at = target.raw.lower().find("gallery")
            yield Hit(target, at, at + len("gallery"), "links to before/after photos")


REVIEW_LIKE = re.compile(
    r"[★⭐]{3,}|\b[1-5](?:\.\d)?[- ]stars?\b|\bstars? reviews?\b|\b(?:testimonial|review)s?\s*:|"
    r"^\s*[\"“][^\"”]{12,}[\"”]\s*[—–-]{1,2}\s*\S+",
    re.IGNORECASE,
)


def find_reviews(doc: Document, facts: Facts) -> Iterator[Hit]:
    """Review or testimonial text written into a page, instead of drawn from the testimonials
    ledger (where its source, consent and any material connection are recorded)."""
    for sentence in doc.sentences:
        for match in REVIEW_LIKE.finditer(sentence.raw if sentence.kind == "quote" else sentence.text):
            if negated(sentence, match.start()):
                continue
            yield Hit(sentence, match.start(), min(match.end(), len(sentence.text)))
            break
        else:
            if sentence.kind == "quote" and re.search(r"[—–]\s*[A-Z]", sentence.raw):
                yield Hit(sentence, 0, len(sentence.text), "a quotation attributed to someone")


# -- the table ---------------------------------------------------------------------------------

HPCG = "FTC Health Products Compliance Guidance (2022)"
RULES: tuple[Rule, ...] = (
    Rule(
        "guarantee",
        "a guaranteed result",
        ERROR,
        f"Medical treatments work differently for different people, so a guarantee of results cannot be "
        f"substantiated ({HPCG}: health claims need competent and reliable scientific evidence) and is the "
        "kind of statement state medical boards treat as false advertising (e.g. California Business and "
        "Professions Code section 651(b)(3): claims likely to create unjustified expectations of favorable "
        "results).",
        "describe typical results and say they vary: 'Most people see softer lines within two weeks; "
        "individual results vary.'",
        find_guarantees,
    ),
    Rule(
        "absolute",
        "an absolute claim",
        ERROR,
        f"Every medical treatment has risks and results that fade or vary; 'permanent', 'painless', 'no risk', "
        f"'100% safe' or 'no side effects' cannot be substantiated ({HPCG}) and leave out material facts "
        "about risk (FTC Act section 5; the product's own FDA labeling lists its adverse events).",
        "describe it truthfully: 'long-lasting', 'most people feel a quick pinch', 'side effects are usually "
        "mild and short-lived'",
        find_absolutes,
    ),
    Rule(
        "cure",
        "a cure claim",
        ERROR,
        f"Saying a treatment cures or eliminates a condition is a disease claim that needs randomized "
        f"controlled trials to substantiate ({HPCG}), and goes beyond what an FDA-cleared device is cleared "
        "for (21 CFR 801.4: a device's intended uses).",
        "say what it improves: 'improves the appearance of', 'softens', 'reduces'",
        find_cures,
    ),
    Rule(
        "superlative",
        "an unqualified superlative",
        ERROR,
        f"'Best', '#1' or 'top-rated' is an objective claim when said of a practice, a provider or a result; "
        f"it needs substantiation you hold before you publish it ({HPCG}; FTC Policy Statement Regarding "
        "Advertising Substantiation). With a source, add the reference in the same sentence (a footnote "
        "[^1] or a link to the award or survey).",
        "say what is true and specific: 'Dr. Castell is a board-certified plastic surgeon with 15 years' "
        "experience', or cite the source of the ranking",
        find_superlatives,
    ),
    Rule(
        "fda-approved",
        "'FDA-approved' for a device that is not",
        ERROR,
        "FDA approves drugs, biologics and high-risk (PMA) devices; a 510(k) device is 'cleared' and a De "
        "Novo device 'granted'. Calling a cleared device approved is misbranding (21 CFR 807.97) and "
        "misleading (FDA, 'Premarket Notification 510(k)'; FTC Health Products Compliance Guidance (2022), "
        "on mischaracterizing FDA approval). Each device's status is declared in content/devices/.",
        "use the device's own status: 'the FDA-cleared CoolSculpting Elite' (510(k)), 'FDA-approved' only "
        "for an approved drug, biologic or PMA device",
        find_fda_approved,
    ),
    Rule(
        "fda-cleared",
        "'FDA-cleared' for a device that is not",
        ERROR,
        "Only a device FDA cleared (510(k)) or authorized (De Novo) may be called FDA-cleared; an exempt or "
        "unreviewed device has no FDA clearance to claim (21 CFR 807.97; FDA, 'Premarket Notification "
        "510(k)').",
        "describe the device without an FDA claim, or correct its fda_status in content/devices/",
        find_fda_cleared,
    ),
    Rule(
        "off-label",
        "an off-label use presented as an indication",
        ERROR,
        "A device or drug is cleared or approved for specific indications (21 CFR 801.4, intended use); "
        "presenting another use as one it treats implies an FDA endorsement it does not have. Off-label use "
        "is a provider's decision and may be discussed, said to be off-label.",
        "say it is off-label, and name the cleared indications",
        find_off_label,
    ),
    Rule(
        "no-downtime",
        "'no downtime' for a procedure that has some",
        ERROR,
        "A page must agree with the procedure's own `downtime` field; 'no downtime' for a treatment with "
        "downtime misrepresents a material fact (FTC Act section 5; California Business and Professions "
        "Code section 651(b)(1)).",
        "say what the downtime is, as the procedure's downtime field does",
        find_no_downtime,
    ),
    Rule(
        "price",
        "a price that contradicts the content",
        ERROR,
        "A price in the text must match the procedure's `price_from` or a current special's offer; another "
        "figure misstates the price or invents a former price (FTC Guides Against Deceptive Pricing, 16 CFR "
        "Part 233).",
        "use the declared price, or correct price_from / the special's offer",
        find_prices,
    ),
    Rule(
        "before-after-disclaimer",
        "before/after results without the results disclaimer",
        ERROR,
        "Before/after results must reflect what patients generally achieve, with a clear disclaimer that "
        "individual results vary; 'results not typical' is no safe harbor (16 CFR 255.2, FTC Endorsement "
        "Guides, 2023; California Business and Professions Code section 651(b)(3)(C)).",
        "add the practice's results disclaimer to the page: 'Individual results vary.'",
        find_before_after,
    ),
    Rule(
        "review-source",
        "review or testimonial text not from the testimonials ledger",
        ERROR,
        "Every review or testimonial must come from a real patient who consented, and be shown with any "
        "material connection (16 CFR 465.2: no fake or false reviews or testimonials; 16 CFR 465.5 and "
        "255.5: connections disclosed). The ledger (content/testimonials.yml) records each one's source, "
        "consent and connection; pages show them with [[testimonial ID]].",
        "record it in content/testimonials.yml and write [[testimonial T-...]] on its own line instead",
        find_reviews,
    ),
)
BY_ID = {rule.id: rule for rule in RULES}


def find_undisclosed(doc: Document, facts: Facts) -> Iterator[Hit]:
    """A ledger testimonial from someone with a material connection, without its disclosure."""
    for entry in doc.extra.get("entries", ()):
        record = entry.record
        if record.connection == "none" or record.disclosure:
            continue
        sentence = next(
            (s for s in doc.sentences if s.line == entry.line or s.where.endswith(f"{record.id}")), None
        )
        sentence = sentence or Sentence(
            record.text, record.text, f"testimonials.{record.id}", entry.line, "field"
        )
        yield Hit(
            sentence,
            0,
            len(sentence.text),
            f"{record.id} comes from someone with a material connection ({record.connection}) and has no disclosure",
            "add disclosure: in plain words, e.g. 'She received this treatment free of charge.'",
        )


def find_unknown_testimonials(doc: Document, facts: Facts) -> Iterator[Hit]:
    """A [[testimonial ...]] marker whose entry is missing, or whose consent does not allow the web."""
    for testimonial_id, line in doc.testimonials:
        entry = facts.testimonials.get(testimonial_id)
        if entry is not None and entry.usable:
            continue
        text = f"[[testimonial {testimonial_id}]]"
        sentence = Sentence(text, text, "body", line, "paragraph")
        reason = "is not in content/testimonials.yml" if entry is None else f"cannot be shown: {entry.reason}"
        yield Hit(
            sentence,
            0,
            len(text),
            f"testimonial {testimonial_id} {reason}",
            "use an id from content/testimonials.yml whose consent covers the web",
        )


RULES += (
    Rule(
        "testimonial-disclosure",
        "a testimonial without its material connection disclosed",
        ERROR,
        "A testimonial from someone with a material connection to the practice (a free or discounted "
        "treatment, an employee or a relative of one, a payment) must disclose it clearly, next to the "
        "testimonial (16 CFR 255.5, FTC Endorsement Guides, 2023; 16 CFR 465.5, FTC Consumer Reviews and "
        "Testimonials Rule, 2024).",
        "add a disclosure: 'Maya works at our front desk and received this treatment free of charge.'",
        find_undisclosed,
    ),
    Rule(
        "testimonial-source",
        "a testimonial that is not in the ledger or not consented",
        ERROR,
        "A testimonial must be real and its patient's authorization in force (16 CFR 465.2; 45 CFR 164.508 "
        "for a patient's words used in marketing); the ledger entry and the consent ledger say both.",
        "use an id from content/testimonials.yml whose consent covers the web",
        find_unknown_testimonials,
    ),
)
BY_ID = {rule.id: rule for rule in RULES}

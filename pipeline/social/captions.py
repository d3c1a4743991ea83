"""Captions: title, summary and a call to action with a tracked link, checked against each network.

``captions_for(item, network)`` builds the text from the item (or its ``social.caption``) and
checks it against the network's rules (``pipeline.social.networks``). Everything but the main
text (the disclaimer, the call to action with its link, the hashtags, an offer's details) is a
fixed budget: an automatic caption that runs over the limit has its main text (the title on X,
the summary elsewhere) cut at a word boundary, with an ellipsis, to what the budget leaves.
The coordinator's own words (``social.caption``) are never cut: too long is a ``SocialError``
naming the file, the field, the rule and how many characters the budget leaves for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.content.errors import Problem
from pipeline.social import text as counting
from pipeline.social.errors import SocialError
from pipeline.social.items import SocialItem
from pipeline.social.links import tagged_link
from pipeline.social.networks import NETWORKS, Network


@dataclass(frozen=True)
class Caption:
    network: str
    text: str
    link: str  # the page with utm_source=<network>&utm_medium=social&utm_campaign=<campaign>
    length: int  # as the network counts it (X: weighted)
    limit: int | None
    hashtags: tuple[str, ...]
    shortened: bool = False  # the automatic text was cut to fit the network's limit

    @property
    def counting(self) -> str:
        return "weighted characters" if NETWORKS[self.network].weighted else "characters"


def _override(item: SocialItem, network: str) -> tuple[str, str] | None:
    """(field, text) of the coordinator's own caption for ``network``, if any."""
    caption = item.caption
    if isinstance(caption, str):
        return "social.caption", caption
    if isinstance(caption, Mapping):
        for key in (network, "default"):
            if key in caption:
                return f"social.caption.{key}", caption[key]
    return None


def _parts(item: SocialItem, net: Network, link: str) -> list[tuple[str, str, str]]:
    """(field, text, joiner) pieces of the caption; the joiner goes before the piece."""
    own = _override(item, net.id)
    if own is not None:
        parts = [(own[0], own[1], "")]
    elif net.weighted:  # X: short by default, the title and the link
        parts = [("title", item.title, "")]
    else:
        parts = [("title", item.title, ""), ("summary", item.summary, "\n\n")]
        parts += [(field, text, " ") for field, text in item.details]
    if item.disclaimer:
        parts.append(("disclaimer", item.disclaimer, "\n\n"))
    if net.link_in_text:
        parts.append(("cta", f"{item.cta}: {link}", "\n\n"))
    else:
        parts.append(("cta", " ".join(p for p in (f"{item.cta}.", net.link_note) if p), "\n\n"))
    if net.hashtags:
        written = {t.lower() for _, text, _ in parts for t in counting.hashtags(text)}
        extra, seen = [], set()
        for field, tag in item.hashtags:
            if tag.lower() not in written and tag.lower() not in seen:
                seen.add(tag.lower())
                extra.append((field, tag))
        if extra:
            parts.append((extra[0][0], " ".join(tag for _, tag in extra), "\n\n"))
    return parts


_PART_NAMES = {
    "title": "the title",
    "summary": "the summary",
    "disclaimer": "the results disclaimer",
    "cta": "the call to action",
    "hashtags": "the hashtags",
}


def _join(parts: list[tuple[str, str, str]]) -> str:
    return "".join(joiner + piece.strip() for _, piece, joiner in parts if piece.strip() or joiner).strip()


def _fixed_names(parts: list[tuple[str, str, str]], flexible: int, net: Network) -> str:
    names = []
    for i, (field, _, _) in enumerate(parts):
        if i == flexible:
            continue
        name = _PART_NAMES.get(field) or ("the hashtags" if "hashtag" in field.lower() else "the details")
        if field == "cta" and net.link_in_text:
            name = "the call to action with its link"
        if name not in names:
            names.append(name)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def captions_for(item: SocialItem, network: str | Network, phone_region: str = "US") -> Caption:
    """The caption of ``item`` on ``network``; raises ``SocialError`` for every rule it breaks."""
    net = NETWORKS[network] if isinstance(network, str) else network
    link = tagged_link(item.url, net.utm_source, item.campaign)
    parts = _parts(item, net, link)
    measure = counting.weighted_length if net.weighted else counting.plain_length
    own = _override(item, net.id)
    text_field = own[0] if own else ("title" if net.weighted else "summary")
    flexible = next(i for i, (field, _, _) in enumerate(parts) if field == text_field)
    text = _join(parts)
    length = measure(text)
    shortened = False
    problems = []

    def problem(field: str, what: str, fix: str) -> None:
        problems.append(Problem(item.path, field, what, fix, item.line_of(field)))

    if net.max_chars is not None and length > net.max_chars:
        field, piece, joiner = parts[flexible]
        fixed = measure(_join([*parts[:flexible], (field, "", joiner), *parts[flexible + 1 :]]))
        left = net.max_chars - fixed
        cut = None
        if own is None:  # an automatic caption: cut its main text to what the fixed parts leave
            for budget in range(left, max(left - 8, 0), -1):  # joined text may count a little differently
                cut = counting.shorten(piece, budget, measure)
                if cut is None:
                    break
                trial = _join([*parts[:flexible], (field, cut, joiner), *parts[flexible + 1 :]])
                if measure(trial) <= net.max_chars:
                    text, length, shortened = trial, measure(trial), True
                    break
        if not shortened:
            how = " (weighted: every link counts 23, every emoji 2)" if net.weighted else ""
            budget_text = (
                f"{_fixed_names(parts, flexible, net)} take {fixed:,}, which leaves "
                f"{max(left, 0):,} for {'your text' if own else 'the ' + field}"
            )
            problem(
                text_field,
                f"the {net.label} caption is {length:,} characters{how}; {net.label} allows "
                f"{net.max_chars:,}: {budget_text}",
                (
                    f"shorten it to {max(left, 0):,} characters or fewer"
                    if own
                    else f"write a shorter caption for {net.label} only, up to {max(left, 0):,} characters: "
                    f'social: {{caption: {{{net.id}: "..."}}}}'
                )
                + " — your own words are never cut short",
            )
    tags = tuple(counting.hashtags(text))
    if net.max_hashtags is not None and len(tags) > net.max_hashtags:
        field = next((f for f, _ in item.hashtags if f.startswith("social.")), "social.hashtags")
        problem(
            field,
            f"the {net.label} caption has {len(tags)} hashtags ({' '.join(tags)}); {net.label} allows "
            f"at most {net.max_hashtags}",
            f"keep {net.max_hashtags} or fewer, counting SOCIAL_HASHTAGS and any # in the caption",
        )
    if net.rejects_phone_numbers:
        for field, piece, _ in parts:
            for number in counting.phone_numbers(piece, phone_region):
                problem(
                    field if field != "cta" else "social.caption",
                    f"'{number}' is a phone number, and {net.label} rejects posts containing one",
                    f"remove it from the text ({net.label} shows the practice's number itself), "
                    f'or write a caption for it: social: {{caption: {{{net.id}: "..."}}}}',
                )
    if problems:
        raise SocialError(problems)
    return Caption(net.id, text, link, length, net.max_chars, tags, shortened)

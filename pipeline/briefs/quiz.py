"""Ten questions from a brief's structured fields, each answer taken from the content itself.

Every question names the field its answer comes from (``Question.field``); wrong options come from
the same field of other procedures (or devices), never invented, so a question can only be wrong
when the content is. Options are shuffled with a seed made of the brief's id and the question's
number: the same content gives the same quiz.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from pipeline.briefs.model import Context, Question, money
from pipeline.claims.facts import FDA_STATUSES

COUNT = 10
# A sentence staff may say, and sentences that break a claims rule (for when the content runs short).
SAY = (
    (
        "Which of these may you say to a patient?",
        "Results vary from person to person; we will talk through what to expect.",
        ["Your results are guaranteed.", "It is completely painless.", "There are no side effects at all."],
    ),
    (
        "A patient asks whether the result lasts forever. What is accurate?",
        "Results last for a time and vary; we will explain how long is typical.",
        [
            "Yes, the result is permanent.",
            "It cures the problem for good.",
            "Nothing ever changes afterwards.",
        ],
    ),
    (
        "Which of these describes our practice accurately?",
        "Our providers are licensed and will examine you at a consultation.",
        [
            "We are the best clinic in town.",
            "We are the #1 practice in the state.",
            "Our team is top-rated everywhere.",
        ],
    ),
)


def _question(
    brief_id: str, number: int, text: str, right: str, wrong: list[str], field: str
) -> Question | None:
    wrong = [w for w in dict.fromkeys(wrong) if w and w != right][:3]
    if not right or len(wrong) < 2:
        return None
    options = [right, *wrong]
    random.Random(f"{brief_id}-{number}").shuffle(options)
    return Question(number, text, options, options.index(right), field)


def _others(ctx: Context, procedure_id: str, get: Callable) -> list[str]:
    values = []
    for pid in sorted(ctx.procedures):
        if pid != procedure_id:
            value = get(ctx.procedures[pid])
            values += value if isinstance(value, list) else [value]
    return values


def _procedure_candidates(ctx: Context, pid: str, name: str) -> list[tuple]:
    p = ctx.procedures[pid]
    out = [
        (
            f"What is the starting price of {name}?",
            money(p.price_from, ctx.currency),
            _others(ctx, pid, lambda o: money(o.price_from, ctx.currency)),
            "price_from",
        ),
        (
            f"What downtime should a patient expect after {name}?",
            p.downtime,
            _others(ctx, pid, lambda o: o.downtime),
            "downtime",
        ),
        (
            f"How many sessions does {name} typically take?",
            str(p.sessions),
            _others(ctx, pid, lambda o: str(o.sessions)),
            "sessions",
        ),
    ]
    ours = {w for c in p.contraindications for w in re.findall(r"[a-z]{5,}", c.lower())}
    # A wrong option shares no word with ours ("Pregnancy" is not wrong where "Pregnancy or breastfeeding" is right).
    not_ours = [
        c
        for c in _others(ctx, pid, lambda o: list(o.contraindications))
        if not ours & set(re.findall(r"[a-z]{5,}", c.lower()))
    ]
    if p.contraindications:
        out.append(
            (
                f"Which of these is a reason not to have {name} (a contraindication)?",
                p.contraindications[0],
                not_ours,
                "contraindications.0",
            )
        )
    providers = ctx.providers(pid)
    if providers:
        out.append(
            (
                f"Who on our team performs {name}?",
                ctx.team[providers[0]].name,
                [m.name for tid, m in sorted(ctx.team.items()) if tid not in providers],
                f"team:{providers[0]}",
            )
        )
    other_answers = [
        f.a for other in sorted(ctx.procedures) if other != pid for f in ctx.procedures[other].faqs
    ]
    for index, faq in enumerate(p.faqs[:3]):
        out.append(
            (
                f"A patient asks: \u201c{faq.q}\u201d Which answer is the approved one?",
                faq.a,
                other_answers[index::5],
                f"faqs.{index}.a",
            )
        )
    for name_ in p.devices:
        found = ctx.device_for(name_)
        if found is None:
            continue
        _, device = found
        out += _device_candidates(ctx, device)
    return out


def _device_candidates(ctx: Context, device) -> list[tuple]:
    out = [
        (
            f"What is the FDA status of {device.name}?",
            FDA_STATUSES[device.fda_status],
            [v for k, v in FDA_STATUSES.items() if k != device.fda_status],
            f"device:{device.name}:fda_status",
        ),
    ]
    if device.indications:
        wrong = [u.text for u in device.off_label] + [
            u.text
            for other in sorted(ctx.devices.values(), key=lambda d: d.name)
            if other is not device
            for u in other.indications
            if u.text not in {i.text for i in device.indications}
        ]
        out.append(
            (
                f"Which of these is an FDA-cleared or approved indication of {device.name}?",
                device.indications[0].text,
                wrong,
                f"device:{device.name}:indications.0",
            )
        )
    return out


def _fill(brief_id: str, candidates: list[tuple]) -> list[Question]:
    questions: list[Question] = []
    for text, right, wrong, field in [*candidates, *((t, r, w, "claims rules") for t, r, w in SAY)]:
        if len(questions) == COUNT:
            break
        question = _question(brief_id, len(questions) + 1, text, right, wrong, field)
        if question is not None and question.text not in {q.text for q in questions}:
            questions.append(question)
    return questions


def procedure_quiz(ctx: Context, procedure_id: str) -> list[Question]:
    return _fill(procedure_id, _procedure_candidates(ctx, procedure_id, ctx.procedures[procedure_id].name))


def device_quiz(ctx: Context, device_id: str) -> list[Question]:
    device = ctx.devices[device_id]
    candidates = _device_candidates(ctx, device)
    for pid in ctx.procedures_using(device_id):
        candidates += [
            c
            for c in _procedure_candidates(ctx, pid, ctx.procedures[pid].name)
            if not c[3].startswith("device:")
        ]
    return _fill(device_id, candidates)

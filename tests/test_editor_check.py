"""What `inv edit` answers the editor before a save: the problems `inv check` finds in that entry, with
their field and in the same words, from a real check of the content with the entry written in."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from pipeline import dates
from pipeline.editor.checks import check_entry
from pipeline.editor.config import Site, collections

ROOT = Path(__file__).resolve().parents[1]


def test_the_check_before_saving_names_the_field_in_inv_checks_words(tmp_path):
    content = tmp_path / "repo" / "content"
    shutil.copytree(ROOT / "content", content)
    before = sorted(p.relative_to(content) for p in content.rglob("*"))
    special = next(c for c in collections(Site()) if c.name == "special")
    first, last = dates.next_month(dt.date.today())
    data = {
        "title": "New year peels",
        "summary": "A lighter peel at a lighter price, all next month.",
        "procedures": ["chemical-peel"],
        "offer": {"regular_price": 150, "price": 120},  # no currency
        "valid_from": first.isoformat(),
        "valid_through": last.isoformat(),
        "terms": "One per client.",
        "image": {"src": "/images/blog/botox-myths.jpg", "alt": "A peel being applied"},
    }
    answer = check_entry(content, special, {"collection": "special", "data": data})
    assert answer["blocking"], answer
    fields = {p["field"]: p for p in answer["problems"]}
    assert "offer.currency" in fields, answer
    assert "currency" in fields["offer.currency"]["fix"]
    assert fields["offer.currency"]["text"].startswith("content/specials/new-year-peels.md:offer.currency:")
    # The same entry, completed: nothing to say; and the real content folder was never written.
    data["offer"]["currency"] = "USD"
    assert check_entry(content, special, {"collection": "special", "data": data})["problems"] == []
    assert sorted(p.relative_to(content) for p in content.rglob("*")) == before
    # A draft with a problem is saved (drafts never block), its problems listed.
    del data["offer"]["currency"]
    draft = check_entry(content, special, {"collection": "special", "data": {**data, "status": "draft"}})
    assert not draft["blocking"] and draft["problems"]

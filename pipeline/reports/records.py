"""The plain values reports work on: inquiries (leads), conversions and the practice's catalogue."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

# Appointment states, normalized from each system's words (see pipeline.reports.emr).
BOOKED_STATES = frozenset({"booked", "confirmed", "arrived", "completed", "no-show"})
TREATED_STATES = frozenset({"arrived", "completed"})
STATES = BOOKED_STATES | {"canceled"}


@dataclass(slots=True)
class Lead:
    """One inquiry, from the website or the front desk."""

    id: str
    at: dt.datetime  # aware
    origin: str  # "web" | "front-desk"
    channel: str  # e.g. "Paid search", "Phone call"
    source: str = "(direct)"
    medium: str = "(none)"
    campaign: str = "(none)"
    landing_page: str = "(offline)"
    partner: str | None = None  # a partner code, lower case
    interest: str = ""
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    gclid: str | None = None  # kept exactly as received: click ids are case-sensitive
    other_click_id: bool = (
        False  # only a gbraid / wbraid (iOS): not accepted by the file upload's GCLID column
    )
    gbraid: str | None = None  # set only without a gclid (Google Ads API: never both with a gclid)
    wbraid: str | None = None  # set only without a gclid or gbraid
    location: str | None = None
    # From the inbox's events (web inquiries read from the store): first answered, and the first
    # time it was marked contacted (reached), consultation booked, treated.
    first_contact_at: dt.datetime | None = None
    contacted_at: dt.datetime | None = None
    inbox_booked_at: dt.datetime | None = None
    inbox_treated_at: dt.datetime | None = None
    inbox_status: str | None = None  # the inbox's status (new, contacted, ... closed)


@dataclass(slots=True)
class Conversion:
    """One row of a practice-management export: an appointment, or an invoice (a sale)."""

    kind: str  # "appointment" | "invoice"
    id: str
    at: dt.datetime  # aware: appointment time, or invoice date
    source: str  # the file, for messages
    state: str | None = None  # appointments: a member of STATES
    amount: Decimal | None = None
    booked_at: dt.datetime | None = None  # when the booking was made, if the export says
    promo_code: str | None = None
    service: str | None = None
    email: str | None = None
    phone: str | None = None
    client_id: str | None = None
    name: str | None = None

    @property
    def booked(self) -> bool:
        return self.kind == "appointment" and self.state in BOOKED_STATES

    @property
    def treated(self) -> bool:
        if self.kind == "invoice":
            return self.amount is not None and self.amount > 0
        return self.state in TREATED_STATES

    @property
    def revenue(self) -> Decimal:
        if self.amount is None or (self.kind == "appointment" and self.state not in TREATED_STATES):
            return Decimal(0)
        return self.amount

    @property
    def match_time(self) -> dt.datetime:
        """When the person acted: the booking if known, else the appointment or sale."""
        return self.booked_at or self.at


@dataclass(slots=True)
class Client:
    """A patient row (Aesthetic Record patients, ...): joins a client id to an email and phone."""

    client_id: str
    email: str | None = None
    phone: str | None = None
    name: str | None = None


def key(text: str) -> str:
    """How names are compared: ``Botox Cosmetic`` ~ ``botox-cosmetic``."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class Special:
    id: str
    title: str
    promo_code: str | None = None


@dataclass
class Catalogue:
    """What the site offers, to group free text: procedures by id and name, specials by code."""

    procedures: dict[str, str] = field(default_factory=dict)  # id -> name
    specials: list[Special] = field(default_factory=list)

    def __post_init__(self) -> None:
        names = {}
        for pid, name in self.procedures.items():
            names[key(pid)] = name
            names[key(name)] = name
        # Longest first: "laser hair removal" wins over "laser".
        self._procedure_keys = sorted(names.items(), key=lambda kv: (-len(kv[0]), kv[0]))
        self._special_keys = {}
        for special in self.specials:
            for alias in (special.id, special.title, special.promo_code):
                if alias:
                    self._special_keys[key(alias)] = special.title
        self._cache: dict[str, str | None] = {}

    def procedure(self, text: str | None) -> str | None:
        """The procedure a free text names (an interest, an EMR service), or None."""
        if not text:
            return None
        if text not in self._cache:
            k = key(text)
            self._cache[text] = next(
                (name for alias, name in self._procedure_keys if alias and alias in k), None
            )
        return self._cache[text]

    def special(self, *codes: str | None) -> str | None:
        """The special a campaign name or promo code points to, or None."""
        for code in codes:
            if code and (found := self._special_keys.get(key(code))):
                return found
        return None

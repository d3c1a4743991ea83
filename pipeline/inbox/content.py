"""What the inbox, the reminders and the event reports need from the content folder: the
clinics' hours, the partners' names and the events (title, dates, places)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.business_hours import Calendar


@dataclass(frozen=True)
class EventInfo:
    id: str
    title: str
    start: dt.datetime | None = None  # aware, in the practice's zone
    end: dt.datetime | None = None
    capacity: int | None = None
    waitlist: int = 0


@dataclass(frozen=True)
class InboxContent:
    practice: str = "The practice"
    calendar: Calendar = field(
        default_factory=lambda: Calendar.from_table({"timezone": "UTC", "clinics": {}})
    )
    partners: Mapping[str, str] = field(default_factory=dict)  # code -> name
    events: Mapping[str, EventInfo] = field(default_factory=dict)
    clinics: Mapping[str, str] = field(default_factory=dict)  # id -> name

    @property
    def tz(self) -> ZoneInfo:
        return self.calendar.tz

    def clinic_name(self, value: str | None) -> str | None:
        """A clinic's name from what a record holds (its id, or its name as the form sends it)."""
        if not value:
            return None
        cid = self.calendar.names.get(str(value).strip().lower())
        return self.clinics.get(cid, str(value)) if cid else str(value)


def calendar_table(content_root: str | Path, timezone: str | None) -> dict:
    """``{"timezone": ..., "clinics": {id: {"name", "hours"}}}`` from ``content/locations/*.md``.

    Read as written (the content check validates the hours); a published clinic only."""
    from pipeline.content import frontmatter

    clinics = {}
    for path in sorted(Path(content_root, "locations").glob("*.md")):
        data = frontmatter.split(path.read_text(encoding="utf-8"), path.name).data or {}
        if str(data.get("status") or "published") != "published":
            continue
        hours = {str(k).strip().lower(): str(v) for k, v in (data.get("hours") or {}).items()}
        clinics[path.stem] = {"name": str(data.get("name") or path.stem), "hours": hours}
    return {"timezone": timezone or "UTC", "clinics": clinics}


def calendar_from_content(content_root: str | Path, timezone: str | None) -> Calendar:
    return Calendar.from_table(calendar_table(content_root, timezone))


def read_events(content_root: Path, tz: ZoneInfo) -> dict[str, EventInfo]:
    from pipeline.content import frontmatter

    events = {}
    for path in sorted(Path(content_root, "events").glob("*.md")):
        data = frontmatter.split(path.read_text(encoding="utf-8"), path.name).data or {}

        def when(value):
            if isinstance(value, dt.datetime):
                return value if value.tzinfo else value.replace(tzinfo=tz)
            try:
                moment = dt.datetime.fromisoformat(str(value))
            except ValueError:
                return None
            return moment if moment.tzinfo else moment.replace(tzinfo=tz)

        capacity = data.get("capacity")
        events[path.stem] = EventInfo(
            id=path.stem,
            title=str(data.get("title") or path.stem),
            start=when(data.get("start")),
            end=when(data.get("end")),
            capacity=int(capacity) if isinstance(capacity, int) and capacity > 0 else None,
            waitlist=int(data.get("waitlist") or 0) if isinstance(data.get("waitlist"), int) else 0,
        )
    return events


def read_content(settings: Mapping, root: Path) -> InboxContent:
    """From the project's content folder and settings (TIMEZONE, PATH, PARTNER_REGISTRY)."""
    from pipeline import partners as partner_registry

    content_root = Path(settings.get("PATH") or Path(root) / "content")
    table = calendar_table(content_root, settings.get("TIMEZONE"))
    calendar = Calendar.from_table(table)
    path, shown = partner_registry.registry_path(settings)
    registry = partner_registry.load_registry(path, shown)
    return InboxContent(
        practice=partner_registry.read_practice(content_root)["name"],
        calendar=calendar,
        partners={p.code: p.name for p in registry.partners},
        events=read_events(content_root, calendar.tz),
        clinics={cid: clinic["name"] for cid, clinic in table["clinics"].items()},
    )

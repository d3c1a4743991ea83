"""The INBOX_* settings: read once from a plain mapping (Pelican's settings, or the Lambda
function's environment), checked, the key at fault named."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.inbox.errors import InboxError

DEFAULTS: dict[str, Any] = {
    "INBOX_PORT": 8100,  # `inv inbox` listens on 127.0.0.1 at this port
    "INBOX_STORE": None,  # the store to read (default: INQUIRY_STORE)
    "INBOX_REMINDER_MINUTES": 30,  # business minutes a new inquiry waits before the reminder email; 0: off
    "INBOX_PAGE_SIZE": 50,  # inquiries per page of the list
    "INBOX_REFRESH_SECONDS": None,  # how often new inquiries are looked for (None: 0.5 s, or 3 s for S3)
}


@dataclass(frozen=True)
class InboxConfig:
    port: int = 8100
    store: str = "internal/inquiries"
    reminder_minutes: int = 30
    page_size: int = 50
    refresh_seconds: float = 0.5

    @property
    def full_refresh_seconds(self) -> float:
        """Everything is listed again this often (changes to older inquiries by other people)."""
        return max(5.0, self.refresh_seconds * 10)


def _whole(raw: Mapping[str, Any], key: str, low: int, high: int) -> int:
    value = raw[key]
    try:
        number = int(str(value))
    except ValueError:
        number = None
    if number is None or isinstance(value, bool) or not low <= number <= high:
        raise InboxError(f"{key} is {value!r}: give a whole number from {low} to {high}.")
    return number


def load_config(settings: Mapping[str, Any]) -> InboxConfig:
    unknown = sorted(k for k in settings if k.startswith("INBOX_") and k not in DEFAULTS)
    if unknown:
        hints = []
        for key in unknown:
            close = difflib.get_close_matches(key, DEFAULTS, n=1)
            hints.append(f"{key} (did you mean {close[0]}?)" if close else key)
        raise InboxError(
            f"Unknown inbox setting(s): {', '.join(hints)} — the settings are {', '.join(DEFAULTS)}."
        )
    raw = {k: settings[k] if settings.get(k) is not None else v for k, v in DEFAULTS.items()}
    store = str(raw["INBOX_STORE"] or settings.get("INQUIRY_STORE") or "internal/inquiries").strip()
    refresh = raw["INBOX_REFRESH_SECONDS"]
    if refresh is None:
        refresh = 3.0 if store.startswith("s3://") else 0.5
    try:
        refresh = float(refresh)
    except (TypeError, ValueError):
        refresh = -1.0
    if not 0.1 <= refresh <= 300:
        raise InboxError(
            f"INBOX_REFRESH_SECONDS is {raw['INBOX_REFRESH_SECONDS']!r}: give seconds from 0.1 to 300."
        )
    return InboxConfig(
        port=_whole(raw, "INBOX_PORT", 1, 65535),
        store=store,
        reminder_minutes=_whole(raw, "INBOX_REMINDER_MINUTES", 0, 7 * 24 * 60),
        page_size=_whole(raw, "INBOX_PAGE_SIZE", 5, 500),
        refresh_seconds=refresh,
    )

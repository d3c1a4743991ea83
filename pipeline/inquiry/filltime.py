"""The minimum fill time: did a person spend long enough on the form to have typed it?

With JavaScript, ``attribution.js`` measures it (``fill_ms``) and waits out the rest before
sending, so a person is never refused. A form post that lacks ``fill_ms``, or any of the hidden
fields every form carries, did not come from that script: it counts as too fast. A person whose
browser did not run the script is then answered with a one-step confirmation page carrying a
``fill_token``: the receiver's own clock, signed, so the second post shows how long the form was
in the person's hands without trusting anything the client measured.

Pure functions: the caller passes the keys and the time.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.inquiry import fields as F

TOKEN_MAX_AGE = 24 * 3600  # a confirmation page left open longer is answered with a new one
_CONTEXT = b"inquiry fill-time token v1"


def long_enough(
    values: Mapping[str, Any], min_fill_seconds: float, token_seconds: float | None = None
) -> bool:
    """True when the form was filled in for at least ``min_fill_seconds``.

    ``token_seconds`` is the age of a valid ``fill_token`` (:func:`token_age`), which the receiver
    measured itself and which therefore wins. Otherwise the script's ``fill_ms`` counts, and only
    on a post that carries every hidden field of the form: missing means too fast.
    """
    if min_fill_seconds <= 0:
        return True
    if token_seconds is not None:
        return token_seconds >= min_fill_seconds
    if any(name not in values for name in F.hidden_fields()):
        return False
    try:
        elapsed = float(str(values.get(F.FILL_MS) or "").strip())
    except ValueError:
        return False
    return math.isfinite(elapsed) and elapsed >= min_fill_seconds * 1000


def derive_key(secret: str | bytes) -> bytes:
    """A token key from a shared secret, so every instance of the receiver accepts every token."""
    raw = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hmac.new(raw, _CONTEXT, hashlib.sha256).digest()


def issue_token(key: bytes, now: float) -> str:
    """``<milliseconds>.<signature>``: when the confirmation page was made, signed with ``key``."""
    stamp = str(int(now * 1000))
    return f"{stamp}.{_sign(key, stamp)}"


def token_age(token: Any, keys: Sequence[bytes], now: float, max_age: float = TOKEN_MAX_AGE) -> float | None:
    """Seconds since a token signed with one of ``keys`` was issued; None when it is not one of
    ours, from the future, or older than ``max_age``."""
    stamp, _, signature = str(token or "").strip().partition(".")
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 16 or not signature:
        return None
    valid = False
    for key in keys:  # compare with every key, in constant time: no early exit
        valid |= hmac.compare_digest(_sign(key, stamp).encode(), signature.encode("utf-8", "replace"))
    age = now - int(stamp) / 1000
    return age if valid and 0 <= age <= max_age else None


def _sign(key: bytes, stamp: str) -> str:
    return hmac.new(key, stamp.encode("ascii"), hashlib.sha256).hexdigest()

"""Per-client rate limiting: an in-memory token bucket.

This guards one process: the local server, or one warm Lambda instance. It is a first
line, not the production limit. In production the limit that holds across instances is:

- AWS WAF rate-based rule on the CloudFront distribution that routes ``/api/*`` to the
  receiver (per client IP; lowest limit 10 requests per 1, 2, 5 or 10 minute window;
  WAF attaches to CloudFront and REST APIs, not to HTTP APIs or function URLs directly);
- API Gateway HTTP API route throttling (rate and burst for all clients together), or
- the function's reserved concurrency, which caps parallel runs (and the bill).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from pipeline.inquiry.config import RateLimit


class TokenBucket:
    """``allow(key)`` spends one token from ``key``'s bucket; buckets refill continuously."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000):
        self.capacity = float(limit.count)
        self.refill_per_second = limit.count / limit.seconds
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        with self._lock:
            now = self.clock()
            tokens, when = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - when) * self.refill_per_second)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            if len(self._buckets) > self.max_keys:
                self._forget_full(now)
            return allowed

    def retry_after(self, key: str) -> int:
        """Whole seconds until ``key`` has a token again (for the Retry-After header)."""
        with self._lock:
            tokens, when = self._buckets.get(key, (self.capacity, self.clock()))
            tokens = min(self.capacity, tokens + (self.clock() - when) * self.refill_per_second)
            return max(1, int((1.0 - tokens) / self.refill_per_second + 0.999))

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled is the same as no bucket; drop those to bound memory.
        for key, (tokens, when) in list(self._buckets.items()):
            if tokens + (now - when) * self.refill_per_second >= self.capacity:
                del self._buckets[key]
        while len(self._buckets) > self.max_keys:  # still full: a flood of fresh clients
            del self._buckets[next(iter(self._buckets))]

"""The token bucket, on a hand-driven clock."""

from __future__ import annotations

from pipeline.inquiry.config import RateLimit
from pipeline.inquiry.ratelimit import TokenBucket


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_bucket_spends_and_refills_per_client():
    clock = Clock()
    bucket = TokenBucket(RateLimit(3, 3600), clock)
    assert [bucket.allow("a") for _ in range(4)] == [True, True, True, False]
    assert bucket.allow("b")  # another client has its own bucket
    assert bucket.retry_after("a") == 1200  # one token per 20 minutes
    clock.now += 1199
    assert not bucket.allow("a")
    clock.now += 2
    assert bucket.allow("a")
    assert not bucket.allow("a")


def test_memory_is_bounded():
    clock = Clock()
    bucket = TokenBucket(RateLimit(2, 60), clock, max_keys=100)
    for i in range(1000):
        bucket.allow(f"client-{i}")
        clock.now += 0.01
    assert len(bucket._buckets) <= 101
    clock.now += 120  # everyone refilled
    bucket.allow("late")
    assert len(bucket._buckets) <= 101

"""Who may run what: API keys (``Keys``), rate limits (``RateLimiter``, fixed windows per
key) and daily quotas with the usage they are measured against (``Usage``).

A refusal is a ``Refused`` value carrying the HTTP status and headers (401, or 429 with
``Retry-After`` and ``X-RateLimit-*``); the routes turn it into a response. Time comes from
an injectable clock so tests need not sleep. Thread-safe; all state is in memory.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from grader.serve.config import KeySpec, Quota, Rate

__all__ = ["ANONYMOUS", "Keys", "RateLimiter", "Refused", "Usage", "UsageRow"]

Clock = Callable[[], float]
DAY = 86400
# Who runs code on an open (keyless, loopback-only) service.
ANONYMOUS = KeySpec(name="anonymous", sha256="", admin=True)


class Refused(Exception):
    """A request refused for who sent it: 401, or 429 with its headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class Keys:
    """Finds the key a request presents by its SHA-256 hash (compared in constant time)."""

    def __init__(self, keys: tuple[KeySpec, ...]) -> None:
        self._keys = keys

    def identify(self, presented: str | None) -> KeySpec:
        if not self._keys:
            return ANONYMOUS
        if not presented:
            raise Refused(401, "an API key is required (X-API-Key or Authorization: Bearer)")
        digest = hashlib.sha256(presented.encode("utf-8", "surrogateescape")).hexdigest()
        for key in self._keys:
            if hmac.compare_digest(digest, key.sha256):
                return key
        raise Refused(401, "unknown API key")


def _limit_headers(limit: int, remaining: int, reset: float) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(max(0, remaining)),
        "X-RateLimit-Reset": str(max(1, math.ceil(reset))),
    }


class RateLimiter:
    """At most ``rate.count`` requests per key in each window of ``rate.period`` seconds.
    ``X-RateLimit-Reset`` is the seconds until the window ends."""

    def __init__(self, clock: Clock = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, int]] = {}  # key -> (window number, count)

    def take(self, key: str, rate: Rate | None) -> dict[str, str]:
        """Count one request; the headers to send, or Refused (429) when over the rate."""
        if rate is None:
            return {}
        now = self._clock()
        window = int(now // rate.period)
        reset = (window + 1) * rate.period - now
        with self._lock:
            seen, count = self._windows.get(key, (window, 0))
            count = count if seen == window else 0
            if count >= rate.count:
                headers = _limit_headers(rate.count, 0, reset)
                headers["Retry-After"] = headers["X-RateLimit-Reset"]
                raise Refused(429, f"rate limit of {rate} exceeded", headers)
            self._windows[key] = (window, count + 1)
        return _limit_headers(rate.count, rate.count - count - 1, reset)


@dataclass
class UsageRow:
    """A key's use: in total, and on the current UTC day (what quotas count)."""

    runs: int = 0
    cpu_seconds: float = 0.0
    runs_today: int = 0
    cpu_seconds_today: float = 0.0
    day: int = 0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "runs": self.runs,
            "cpu_seconds": round(self.cpu_seconds, 6),
            "runs_today": self.runs_today,
            "cpu_seconds_today": round(self.cpu_seconds_today, 6),
        }


class Usage:
    """Runs and CPU seconds per key, fed by the run log (one ``add`` per logged run), and
    the quota check made before a run is accepted. Runs accepted but not yet finished count
    against a run quota too, so a burst cannot overshoot it."""

    def __init__(self, clock: Clock = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._rows: dict[str, UsageRow] = {}
        self._pending: dict[str, int] = {}

    def _row(self, key: str) -> UsageRow:
        day = int(self._clock() // DAY)
        row = self._rows.setdefault(key, UsageRow(day=day))
        if row.day != day:
            row.day, row.runs_today, row.cpu_seconds_today = day, 0, 0.0
        return row

    def admit(self, key: KeySpec) -> None:
        """Reserve one run against ``key``'s quota, or Refused (429) until the next UTC day."""
        with self._lock:
            row = self._row(key.name)
            quota = key.quota
            if quota is not None and _over(quota, row, self._pending.get(key.name, 0)):
                retry = str(math.ceil(DAY - self._clock() % DAY))
                headers = {"Retry-After": retry, "X-RateLimit-Reset": retry}
                raise Refused(429, f"daily quota of {quota} used up", headers)
            self._pending[key.name] = self._pending.get(key.name, 0) + 1

    def add(self, key: str, cpu_seconds: float) -> None:
        """A run of ``key`` finished (or was cancelled); releases its reservation."""
        with self._lock:
            row = self._row(key)
            row.runs += 1
            row.runs_today += 1
            row.cpu_seconds += cpu_seconds
            row.cpu_seconds_today += cpu_seconds
            self._pending[key] = max(0, self._pending.get(key, 0) - 1)

    def release(self, key: str) -> None:
        """A reserved run that was never accepted (the queue was full)."""
        with self._lock:
            self._pending[key] = max(0, self._pending.get(key, 0) - 1)

    def of(self, key: str) -> dict[str, float | int]:
        with self._lock:
            return self._row(key).as_dict()

    def all(self) -> dict[str, dict[str, float | int]]:
        with self._lock:
            return {key: self._row(key).as_dict() for key in sorted(self._rows)}


def _over(quota: Quota, row: UsageRow, pending: int) -> bool:
    if quota.cpu:
        return row.cpu_seconds_today >= quota.amount
    return row.runs_today + pending >= quota.amount

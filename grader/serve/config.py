"""The service's configuration: ``service.yaml`` -> ``ServiceConfig``, validated once.

Every key is optional. A mistake raises ``UsageError`` naming the file, the key and what
was expected. Keys are stored as SHA-256 hashes (``key_sha256``); a plain ``key`` is
accepted for a development config and reported by ``warnings``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from grader.errors import UsageError
from grader.model import MIB
from grader.quantities import parse_duration, parse_size

__all__ = ["KeySpec", "MaxLimits", "Quota", "Rate", "ServiceConfig", "load_config"]

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")
_QUOTA = re.compile(r"^\s*(\d+(?:\.\d+)?)(s?)\s*/\s*day\s*$")
_TOP = {
    "workers",
    "queue",
    "problems_dir",
    "max_limits",
    "keys",
    "grace",
    "max_body",
    "reuse_containers",
}
_KEY = {"name", "key_sha256", "key", "rate", "quota", "admin"}
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Rate:
    """At most ``count`` requests per ``period`` seconds (a fixed window)."""

    count: int
    period: int

    def __str__(self) -> str:
        name = next(k for k, v in _PERIODS.items() if v == self.period)
        return f"{self.count}/{name}"


@dataclass(frozen=True)
class Quota:
    """Per UTC day: ``amount`` runs, or CPU seconds when ``cpu`` is set."""

    amount: float
    cpu: bool = False

    def __str__(self) -> str:
        return f"{self.amount:g}{'s' if self.cpu else ''}/day"


@dataclass(frozen=True)
class KeySpec:
    name: str
    sha256: str
    rate: Rate | None = None
    quota: Quota | None = None
    admin: bool = False
    plain: bool = False  # given as a plain key in the config (development only)


@dataclass(frozen=True)
class MaxLimits:
    """The most a request may ask for."""

    time: float = 10.0  # CPU seconds
    wall: float = 20.0
    memory: int = 512 * MIB
    output: int = 16 * MIB


@dataclass(frozen=True)
class ServiceConfig:
    workers: int = field(default_factory=lambda: max(1, len(os.sched_getaffinity(0))))
    queue: int = 100
    problems_dir: Path | None = None
    max_limits: MaxLimits = MaxLimits()
    keys: tuple[KeySpec, ...] = ()
    grace: float = 30.0  # seconds SIGTERM waits for running work before cancelling it
    max_body: int = 8 * MIB  # larger request bodies: 413
    # Let a run container serve several runs in turn, scrubbed between them as between
    # cases (faster; runs of different keys then share a container in turn).
    reuse_containers: bool = False

    @property
    def open(self) -> bool:
        """No keys: anyone who can reach the port may run code (loopback only)."""
        return not self.keys

    @property
    def warnings(self) -> list[str]:
        return [
            f"key {k.name!r} is stored in plain text: use key_sha256 outside development"
            for k in self.keys
            if k.plain
        ]


def load_config(path: Path | None) -> ServiceConfig:
    """The configuration in ``path``; the defaults when None."""
    if path is None:
        return ServiceConfig()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"{path}: cannot read the service config: {exc}") from exc
    if data is None:
        return ServiceConfig()
    return _Reader(path).config(data)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, message: str) -> UsageError:
        return UsageError(f"{self.path}: {key}: {message}")

    def mapping(self, value: object, key: str, known: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, "expected a mapping")
        unknown = sorted(set(value) - known)
        if unknown:
            raise self.fail(key, f"unknown keys {unknown} (known: {', '.join(sorted(known))})")
        return value

    def positive(self, value: object, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(key, f"expected a whole number >= 1; got {value!r}")
        return value

    def config(self, raw: object) -> ServiceConfig:
        data = self.mapping(raw, "(top level)", _TOP)
        base = ServiceConfig()
        keys = tuple(self.key(k, f"keys[{i}]") for i, k in enumerate(data.get("keys") or []))
        names, digests = [k.name for k in keys], [k.sha256 for k in keys]
        if len(set(names)) != len(names) or len(set(digests)) != len(digests):
            raise self.fail("keys", "key names and keys must be unique")
        problems = data.get("problems_dir")
        return ServiceConfig(
            workers=self.positive(data.get("workers", base.workers), "workers"),
            queue=self.positive(data.get("queue", base.queue), "queue"),
            problems_dir=(self.path.parent / str(problems)) if problems else None,
            max_limits=self.max_limits(data.get("max_limits", {})),
            keys=keys,
            grace=self.quantity(parse_duration, data["grace"], "grace")
            if "grace" in data
            else base.grace,
            reuse_containers=self.flag(data.get("reuse_containers", False), "reuse_containers"),
            max_body=int(self.quantity(parse_size, data["max_body"], "max_body"))
            if "max_body" in data
            else base.max_body,
        )

    def flag(self, value: object, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false; got {value!r}")
        return value

    def quantity(self, parse: Any, value: object, key: str) -> float:
        try:
            return float(parse(value))
        except ValueError as exc:
            raise self.fail(key, str(exc)) from exc

    def max_limits(self, raw: object) -> MaxLimits:
        data = self.mapping(raw, "max_limits", {"time", "wall", "memory", "output"})
        base = MaxLimits()
        sizes = {k: int(self.quantity(parse_size, data[k], f"max_limits.{k}"))
                 for k in ("memory", "output") if k in data}  # fmt: skip
        times = {k: self.quantity(parse_duration, data[k], f"max_limits.{k}")
                 for k in ("time", "wall") if k in data}  # fmt: skip
        return MaxLimits(
            time=times.get("time", base.time),
            wall=times.get("wall", max(base.wall, times.get("time", 0.0) + 1.0)),
            memory=sizes.get("memory", base.memory),
            output=sizes.get("output", base.output),
        )

    def key(self, raw: object, where: str) -> KeySpec:
        data = self.mapping(raw, where, _KEY)
        name = data.get("name")
        if not isinstance(name, str) or not name:
            raise self.fail(f"{where}.name", "expected a name")
        digest, plain = self.digest(data, where)
        return KeySpec(
            name=name,
            sha256=digest,
            rate=self.rate(data["rate"], f"{where}.rate") if data.get("rate") else None,
            quota=self.quota(data["quota"], f"{where}.quota") if data.get("quota") else None,
            admin=data.get("admin", False) is True,
            plain=plain,
        )

    def digest(self, data: dict[str, Any], where: str) -> tuple[str, bool]:
        if ("key" in data) == ("key_sha256" in data):
            raise self.fail(where, "expected exactly one of key_sha256 and key")
        if "key" in data:
            return hashlib.sha256(str(data["key"]).encode()).hexdigest(), True
        digest = str(data["key_sha256"]).lower()
        if not _HEX64.match(digest):
            raise self.fail(f"{where}.key_sha256", "expected 64 hexadecimal digits")
        return digest, False

    def rate(self, value: object, where: str) -> Rate:
        match = _RATE.match(str(value))
        if not match or int(match[1]) < 1:
            raise self.fail(
                where, f"expected like '30/minute' (second, minute, hour, day); got {value!r}"
            )
        return Rate(int(match[1]), _PERIODS[match[2]])

    def quota(self, value: object, where: str) -> Quota:
        match = _QUOTA.match(str(value))
        if not match or float(match[1]) <= 0:
            raise self.fail(
                where,
                f"expected runs like '1000/day' or CPU seconds like '3600s/day'; got {value!r}",
            )
        return Quota(float(match[1]), cpu=bool(match[2]))

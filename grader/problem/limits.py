"""Resource limits: the ``limits:`` mappings of problem.yaml (the problem's, a case's, a
checker program's) -> ``Limits``, the upper bounds that catch typos, the wall-clock limit
when none is given, and ``time_multipliers:`` (per-language factors on the time limits).

Kattis packages (``kattis``) use the same bounds and default wall limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from grader.model import MIB, Limits, Problem
from grader.problem.fields import Fields, suggest
from grader.problem.yamlfile import YamlMapping
from grader.quantities import parse_duration, parse_size
from grader.submissions.languages import load_languages

__all__ = [
    "LIMIT_BOUNDS",
    "LIMIT_KEYS",
    "default_wall",
    "read_limits",
    "read_multipliers",
    "with_limits",
]

LIMIT_KEYS = ("time", "wall", "memory", "output", "processes", "cpus", "scratch")

# Upper bounds that catch typos (a memory limit of 64000 meaning MB, not 64 GB).
LIMIT_BOUNDS: dict[str, float] = {
    "time": 300,
    "wall": 900,
    "memory": 32 << 30,
    "output": 1 << 30,
    "processes": 4096,
    "cpus": 64,
    "scratch": 4 << 30,
}


def default_wall(time: float, cpus: float) -> float:
    """Wall-clock limit when the problem gives none: twice the CPU limit at the run's CPU
    quota, plus a second, as problemtools gives a run about twice its time limit. A
    program that computes is stopped by its CPU limit; the wall limit only stops one that
    waits (a sleeper), and must leave room for a loaded machine: with a 10 s CPU limit
    and ``time + 1`` (what grader had), a Python AC at 7 s of CPU became TLE when two jobs
    and another process shared 2 cores."""
    return 2.0 * time / min(cpus, 1.0) + 1.0


def with_limits(
    problem: Problem, *, time: float | None = None, memory: int | None = None, source: str
) -> Problem:
    """``problem`` with every case's CPU limit ``time`` (its wall limit derived) and memory
    limit ``memory``, where given; ``source`` says where they come from, for reports."""

    def limited(limits: Limits) -> Limits:
        if time is not None:
            limits = replace(limits, time=time, wall=default_wall(time, limits.cpus))
        return limits if memory is None else replace(limits, memory=memory)

    given = {"time": time, "memory": memory}
    sources = {**problem.limit_sources, **{k: source for k, v in given.items() if v is not None}}
    tests = tuple(replace(case, limits=limited(case.limits)) for case in problem.tests)
    return replace(problem, limits=limited(problem.limits), tests=tests, limit_sources=sources)


def read_limits(fields: Fields, value: object, base: Limits, where: str, line: int) -> Limits:
    """The limits mapping ``value`` at ``where`` over ``base`` (``None``: ``base`` as is),
    the wall limit derived unless given."""
    if value is None:
        return replace(base, wall=default_wall(base.time, base.cpus))
    data = fields.mapping(value, where, line)
    fields.known(data, LIMIT_KEYS, f"{where}.")
    parsed: dict[str, Any] = {}
    for key, raw in data.items():
        parsed[key] = _limit(fields, key, raw, f"{where}.{key}", data.lines[key])
    limits = replace(base, **parsed)
    if "wall" not in parsed:
        limits = replace(limits, wall=default_wall(limits.time, limits.cpus))
    if limits.wall < limits.time:
        fields.fail(f"{where}.wall", data.line, f"wall ({limits.wall} s) is below time")
    return limits


def read_multipliers(fields: Fields, data: YamlMapping) -> dict[str, float]:
    """``time_multipliers: {java: 2}``: per-language factors on the time limits."""
    raw = data.get("time_multipliers")
    if raw is None:
        return {}
    spec = fields.mapping(raw, "time_multipliers", data.lines["time_multipliers"])
    known = [language.key for language in load_languages()]
    factors: dict[str, float] = {}
    for key, value in spec.items():
        where = f"time_multipliers.{key}"
        if key not in known:
            fields.fail(
                where, spec.lines[key], f"unknown language{suggest(str(key), known, 'languages')}"
            )
        try:
            factors[key] = _positive_float(value)
        except ValueError as exc:
            fields.fail(where, spec.lines[key], str(exc))
        if factors[key] > 20:
            fields.fail(where, spec.lines[key], "expected a factor of at most 20")
    return factors


def _limit(fields: Fields, key: str, raw: object, where: str, line: int) -> float | int:
    try:
        value = _PARSERS[key](raw)
    except ValueError as exc:
        fields.fail(where, line, str(exc))
    if value > LIMIT_BOUNDS[key]:
        fields.fail(where, line, f"{raw!r} is above the maximum of {_bound(key)}")
    return value


def _positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a whole number >= 1; got {value!r}")
    return value


def _positive_float(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValueError(f"expected a number > 0; got {value!r}")
    return float(value)


_PARSERS: dict[str, Callable[[object], float | int]] = {
    "time": parse_duration,
    "wall": parse_duration,
    "memory": parse_size,
    "output": parse_size,
    "scratch": parse_size,
    "processes": _positive_int,
    "cpus": _positive_float,
}


def _bound(key: str) -> str:
    bound = LIMIT_BOUNDS[key]
    if key in ("memory", "output", "scratch"):
        return f"{int(bound) // MIB} MiB"
    return f"{bound:g}" + (" s" if key in ("time", "wall") else "")

"""The bench's figures: throughput per strategy and language, the ratios, the machine, and
how they are printed (a plain-text table) and saved (JSON)."""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "RATIOS",
    "Machine",
    "Rate",
    "Results",
    "ratio_table",
    "ratios",
    "table",
    "to_json",
    "total",
]

# Compared pairs: runs/s of the first over runs/s of the second (> 1: the first is faster).
RATIOS = (
    ("grader", "floor"),
    ("grader", "naive"),
    ("grader", "epicbox"),
    ("grader-reuse", "floor"),
    ("grader-reuse", "naive"),
    ("grader-reuse", "epicbox"),
    ("grader-py", "floor"),
    ("grader", "grader-py"),  # the static supervisor against the Python one
)


@dataclass(frozen=True)
class Rate:
    runs: int
    seconds: float

    @property
    def runs_per_s(self) -> float:
        return self.runs / self.seconds

    @property
    def ms_per_run(self) -> float:
        return 1000 * self.seconds / self.runs


Results = Mapping[str, Mapping[str, Rate]]  # strategy -> language -> rate


def total(rates: Mapping[str, Rate]) -> Rate:
    return Rate(sum(r.runs for r in rates.values()), sum(r.seconds for r in rates.values()))


@dataclass(frozen=True)
class Machine:
    cores: int
    cpu: str
    kernel: str
    docker: str
    runtime: str  # the OCI runtime grader's boxes get

    @classmethod
    def probe(cls, client: Any) -> Machine:
        default = str(client.info().get("DefaultRuntime") or "unknown")
        return cls(
            cores=len(os.sched_getaffinity(0)),
            cpu=_cpu_model(),
            kernel=platform.release(),
            docker=str(client.version().get("Version", "unknown")),
            runtime=os.environ.get("GRADER_DOCKER_RUNTIME") or default,
        )

    def describe(self) -> str:
        return (
            f"{self.cores} cores ({self.cpu}), kernel {self.kernel}, Docker {self.docker}, "
            f"OCI runtime {self.runtime}"
        )


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def ratios(results: Results) -> dict[str, dict[str, float]]:
    """``"grader/floor" -> {language or "all": ratio}`` for every pair that was measured."""
    found: dict[str, dict[str, float]] = {}
    for mine, theirs in RATIOS:
        if mine not in results or theirs not in results:
            continue
        pair = {
            lang: rate.runs_per_s / results[theirs][lang].runs_per_s
            for lang, rate in results[mine].items()
            if lang in results[theirs]
        }
        pair["all"] = total(results[mine]).runs_per_s / total(results[theirs]).runs_per_s
        found[f"{mine}/{theirs}"] = pair
    return found


def table(results: Results) -> str:
    lines = [f"{'strategy':<9} {'language':<8} {'runs':>5} {'s':>7} {'runs/s':>8} {'ms/run':>8}"]
    for strategy, rates in results.items():
        for language, rate in [*rates.items(), ("all", total(rates))]:
            lines.append(
                f"{strategy:<9} {language:<8} {rate.runs:>5} {rate.seconds:>7.2f} "
                f"{rate.runs_per_s:>8.1f} {rate.ms_per_run:>8.1f}"
            )
    return "\n".join(lines)


def ratio_table(found: Mapping[str, Mapping[str, float]]) -> str:
    columns = list(dict.fromkeys(lang for pair in found.values() for lang in pair))
    lines = [f"{'ratio':<15}" + "".join(f"{c:>9}" for c in columns)]
    for name, pair in found.items():
        cells = "".join(f"{pair[c]:>9.2f}" if c in pair else f"{'-':>9}" for c in columns)
        lines.append(f"{name:<15}{cells}")
    return "\n".join(lines)


def to_json(results: Results, machine: Machine, **extra: Any) -> dict[str, Any]:
    strategies = {
        name: {
            **_rate_json(total(rates)),
            "languages": {lang: _rate_json(rate) for lang, rate in rates.items()},
        }
        for name, rates in results.items()
    }
    found = {
        name: {k: round(v, 3) for k, v in pair.items()} for name, pair in ratios(results).items()
    }
    return {"machine": asdict(machine), "strategies": strategies, "ratios": found} | extra


def _rate_json(rate: Rate) -> dict[str, float]:
    return {
        "runs": rate.runs,
        "seconds": round(rate.seconds, 3),
        "runs_per_s": round(rate.runs_per_s, 2),
        "ms_per_run": round(rate.ms_per_run, 2),
    }

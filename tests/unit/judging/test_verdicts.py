"""The verdict table: resource verdicts first, in precedence order; clean runs compare."""

from __future__ import annotations

from dataclasses import replace

from grader.judging.verdicts import classify
from grader.model import MIB, KilledBy, Limits, Verdict
from grader.sandbox.fake import ok_run

LIMITS = Limits(time=1.0, wall=3.0, memory=64 * MIB, output=1 * MIB)


def verdict_of(**changes: object) -> Verdict | None:
    result = classify(ok_run(b"3\n", **changes), LIMITS)
    return result[0] if result else None


def test_clean_run_goes_to_the_checker() -> None:
    assert verdict_of() is None


def test_killed_on_cpu_limit_is_tle() -> None:
    assert verdict_of(killed_by=KilledBy.CPU, signal=9, exit_code=None) is Verdict.TLE


def test_cpu_time_over_the_limit_is_tle_even_if_it_finished() -> None:
    assert verdict_of(cpu_time=1.2) is Verdict.TLE


def test_killed_on_wall_limit_is_tle_naming_the_wall_clock() -> None:
    result = classify(ok_run(killed_by=KilledBy.WALL, signal=9, exit_code=None), LIMITS)
    assert result is not None and result[0] is Verdict.TLE and "wall time" in result[1]


def test_oom_kill_is_mle() -> None:
    assert verdict_of(oom=True, signal=9, exit_code=None) is Verdict.MLE


def test_peak_over_the_limit_is_mle_even_without_a_kill() -> None:
    assert verdict_of(memory_peak=65 * MIB) is Verdict.MLE


def test_output_over_the_cap_is_ole() -> None:
    assert verdict_of(killed_by=KilledBy.OUTPUT, signal=9, exit_code=None) is Verdict.OLE


def test_stderr_flood_is_ole() -> None:
    assert verdict_of(stderr_bytes=2 * MIB) is Verdict.OLE


def test_nonzero_exit_is_rte() -> None:
    assert verdict_of(exit_code=1) is Verdict.RTE


def test_signal_is_rte_and_named() -> None:
    result = classify(ok_run(exit_code=None, signal=11), LIMITS)
    assert result == (Verdict.RTE, "killed by SIGSEGV")


def test_time_beats_memory() -> None:
    assert verdict_of(cpu_time=2.0, oom=True) is Verdict.TLE


def test_memory_beats_runtime_error() -> None:
    assert verdict_of(oom=True, exit_code=None, signal=9) is Verdict.MLE


def test_output_beats_runtime_error() -> None:
    assert verdict_of(killed_by=KilledBy.OUTPUT, exit_code=1) is Verdict.OLE


def test_limit_in_message_uses_case_limits() -> None:
    result = classify(ok_run(cpu_time=3.0), replace(LIMITS, time=2.5))
    assert result is not None and "2.5 s" in result[1]

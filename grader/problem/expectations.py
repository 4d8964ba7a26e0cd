"""What a jury submission filed in ``submissions/<folder>/`` must earn, per package format.

Legacy packages and grader's own problems: the submission's verdict (that of its first
failing case) is the folder's (``FOLDER_VERDICTS``). The 2025-09 format speaks of every
case instead: each case's verdict must be ``permitted`` and, for each ``required`` set,
some case's verdict in it (``FOLDERS_2025``: ``rejected/`` is any failure;
``brute_force/`` never WA but fails), counting verdicts as Kattis does (MLE and OLE are run
time errors; CE and IE are none of AC, WA, TLE, RTE, so they meet no rule). A submission
required to TLE (``{TLE}``) is judged at the limit x the safety margin (``slow``). No I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from grader.model import CaseResult, SubmissionResult, Verdict

__all__ = [
    "FILED_FOLDERS",
    "FOLDERS_2025",
    "FOLDER_VERDICTS",
    "KATTIS_VERDICTS",
    "LEGACY_FOLDERS",
    "Expectation",
    "folders_for",
]

FOLDER_VERDICTS = {
    "accepted": Verdict.AC,
    "wrong_answer": Verdict.WA,
    "time_limit_exceeded": Verdict.TLE,
    "memory_limit_exceeded": Verdict.MLE,
    "run_time_error": Verdict.RTE,
    "output_limit_exceeded": Verdict.OLE,
    "compile_error": Verdict.CE,
}
KATTIS_VERDICTS = (Verdict.AC, Verdict.WA, Verdict.TLE, Verdict.RTE)
_ALL = frozenset(KATTIS_VERDICTS)
_AS_KATTIS = {Verdict.MLE: Verdict.RTE, Verdict.OLE: Verdict.RTE}


def _kattis(verdict: Verdict) -> Verdict:
    return _AS_KATTIS.get(verdict, verdict)


@dataclass(frozen=True)
class Expectation:
    """The submission's verdict one of ``verdicts``; or (``verdicts`` empty) every case's
    verdict in ``permitted`` and, for each set in ``required``, some case's verdict in it."""

    verdicts: frozenset[Verdict] = frozenset()
    permitted: frozenset[Verdict] = _ALL
    required: tuple[frozenset[Verdict], ...] = ()

    @classmethod
    def verdict(cls, *verdicts: Verdict) -> Expectation:
        """The submission's verdict (that of its first failing case) is one of these."""
        return cls(frozenset(verdicts))

    @classmethod
    def of(
        cls, permitted: Iterable[Verdict] = _ALL, required: Iterable[Verdict] = ()
    ) -> Expectation:
        """A 2025-09 rule: cases ``permitted``, some case ``required`` (none: no demand)."""
        needed = frozenset(required)
        return cls(frozenset(), frozenset(permitted), (needed,) if needed else ())

    def also(self, other: Expectation) -> Expectation:
        """This rule and ``other`` (a 2025-09 rule) both."""
        return Expectation(
            frozenset(), self.permitted & other.permitted, self.required + other.required
        )

    @property
    def slow(self) -> bool:
        """Judged at the time limit x the safety margin: must be too slow even there."""
        return self.verdicts == {Verdict.TLE} or {Verdict.TLE} in self.required

    def met(self, result: SubmissionResult) -> bool:
        return self.miss(result) == ""

    def miss(self, result: SubmissionResult) -> str:
        """Why ``result`` does not meet the expectation ("" when it does), for a report."""
        if self.verdicts:
            return "" if result.verdict in self.verdicts else f"got {result.verdict}"
        if _kattis(result.verdict) not in _ALL:
            return f"got {result.verdict}"  # CE, IE: no case ran to a Kattis verdict
        case = self.offending(result)
        if case is not None:
            return f"got {case.verdict} on case {case.name}"
        for needed in self.required:
            if not any(_kattis(c.verdict) in needed for c in result.cases):
                return f"got {result.verdict}, no case {_names(needed)}"
        return ""

    def offending(self, result: SubmissionResult) -> CaseResult | None:
        """The first case whose verdict is not permitted, if any."""
        return next((c for c in result.cases if _kattis(c.verdict) not in self.permitted), None)

    def __str__(self) -> str:
        if self.verdicts:
            return " or ".join(sorted(v.value for v in self.verdicts))
        parts = [f"every case {_names(self.permitted)}"] if self.permitted != _ALL else []
        parts += [f"some case {_names(needed)}" for needed in self.required]
        return ", ".join(parts) or "any verdicts"


def _names(verdicts: frozenset[Verdict]) -> str:
    return " or ".join(v.value for v in KATTIS_VERDICTS if v in verdicts) or "(none)"


_AC, _WA, _TLE, _RTE = KATTIS_VERDICTS
FOLDERS_2025 = {
    "accepted": Expectation.of(permitted={_AC}),
    "rejected": Expectation.of(required={_WA, _TLE, _RTE}),
    "wrong_answer": Expectation.of(permitted={_AC, _WA}, required={_WA}),
    "time_limit_exceeded": Expectation.of(permitted={_AC, _TLE}, required={_TLE}),
    "run_time_error": Expectation.of(permitted={_AC, _RTE}, required={_RTE}),
    "brute_force": Expectation.of(permitted={_AC, _TLE, _RTE}, required={_TLE, _RTE}),
}
_OWN = {folder: Expectation.verdict(verdict) for folder, verdict in FOLDER_VERDICTS.items()}


# A legacy Kattis package, judged as problemtools judges it: no MLE or OLE verdict there (a
# program that runs out of memory or floods its output is a run-time error), so grader's
# MLE and OLE meet run_time_error/. DOMjudge's folders too (its NO-OUTPUT is a wrong answer).
_RTE_LIKE = (Verdict.RTE, Verdict.MLE, Verdict.OLE)
LEGACY_FOLDERS = {
    "accepted": Expectation.verdict(Verdict.AC),
    "wrong_answer": Expectation.verdict(Verdict.WA),
    "time_limit_exceeded": Expectation.verdict(Verdict.TLE),
    "run_time_error": Expectation.verdict(*_RTE_LIKE),
    "memory_limit_exceeded": Expectation.verdict(Verdict.MLE, Verdict.RTE),
    "output_limit_exceeded": Expectation.verdict(Verdict.OLE, Verdict.RTE),
    "compile_error": Expectation.verdict(Verdict.CE),
    "compiler_error": Expectation.verdict(Verdict.CE),
    "no_output": Expectation.verdict(Verdict.WA),
    "output_limit": Expectation.verdict(Verdict.OLE, Verdict.RTE),
    "memory_limit": Expectation.verdict(Verdict.MLE, Verdict.RTE),
}
# Every folder name that files programs by expected verdict, in any of the formats: inside
# one, each entry is one program (see submissions.discover).
FILED_FOLDERS = frozenset(_OWN) | frozenset(LEGACY_FOLDERS) | frozenset(FOLDERS_2025)


def folders_for(version: str) -> Mapping[str, Expectation]:
    """The folders under ``submissions/`` that a problem of format ``version`` files by:
    ``grader`` (grader's own problem.yaml: the verdict exactly), ``legacy`` or
    ``2025-09``."""
    if version == "grader":
        return _OWN
    return FOLDERS_2025 if version == "2025-09" else LEGACY_FOLDERS

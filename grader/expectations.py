"""What a jury submission filed in ``submissions/<folder>/`` must earn, per package format.

Legacy packages and grader's own problems: the submission's verdict (that of its first
failing case) is the folder's (``FOLDER_VERDICTS``). The 2025-09 format speaks of every
case instead: each case's verdict must be ``permitted`` and some case's ``required``
(``FOLDERS_2025``: ``rejected/`` is any failure; ``brute_force/`` never WA but fails),
counting verdicts as Kattis does (MLE and OLE are run time errors; CE and IE are none
of AC, WA, TLE, RTE, so they meet no folder). ``time_limit_exceeded/`` submissions are
judged at the limit x the safety margin (``slow``). No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from grader.model import CaseResult, SubmissionResult, Verdict

__all__ = ["FOLDERS_2025", "FOLDER_VERDICTS", "Expectation", "folders_for"]

FOLDER_VERDICTS = {
    "accepted": Verdict.AC,
    "wrong_answer": Verdict.WA,
    "time_limit_exceeded": Verdict.TLE,
    "memory_limit_exceeded": Verdict.MLE,
    "run_time_error": Verdict.RTE,
    "output_limit_exceeded": Verdict.OLE,
    "compile_error": Verdict.CE,
}
_AS_KATTIS = {Verdict.MLE: Verdict.RTE, Verdict.OLE: Verdict.RTE}
_KATTIS = (Verdict.AC, Verdict.WA, Verdict.TLE, Verdict.RTE)


@dataclass(frozen=True)
class Expectation:
    """The submission's ``verdict``; or (``verdict`` None) every case's verdict in
    ``permitted`` and some case's in ``required``."""

    verdict: Verdict | None = None
    permitted: frozenset[Verdict] = frozenset(_KATTIS)
    required: frozenset[Verdict] = frozenset(_KATTIS)

    @property
    def slow(self) -> bool:
        """Judged at the time limit x the safety margin: must be too slow even there."""
        return self.verdict is Verdict.TLE or self.required == {Verdict.TLE}

    def met(self, result: SubmissionResult) -> bool:
        if self.verdict is not None:
            return result.verdict is self.verdict
        return self.miss(result) == ""

    def miss(self, result: SubmissionResult) -> str:
        """Why ``result`` does not meet the expectation ("" when it does), for a report."""
        if self.verdict is not None:
            return "" if result.verdict is self.verdict else f"got {result.verdict}"
        if _AS_KATTIS.get(result.verdict, result.verdict) not in _KATTIS:
            return f"got {result.verdict}"  # CE, IE: no case ran to a Kattis verdict
        case = self.offending(result)
        if case is not None:
            return f"got {case.verdict} on case {case.name}"
        if not any(_AS_KATTIS.get(c.verdict, c.verdict) in self.required for c in result.cases):
            return f"got {result.verdict}, no case {' or '.join(_names(self.required))}"
        return ""

    def offending(self, result: SubmissionResult) -> CaseResult | None:
        """The first case whose verdict is not permitted, if any."""
        for case in result.cases:
            if _AS_KATTIS.get(case.verdict, case.verdict) not in self.permitted:
                return case
        return None

    def __str__(self) -> str:
        if self.verdict is not None:
            return str(self.verdict)
        every = f"every case {' or '.join(_names(self.permitted))}"
        some = f"some case {' or '.join(_names(self.required))}"
        if self.required == set(_KATTIS):
            return every
        return some if self.permitted == set(_KATTIS) else f"{every}, {some}"


def _names(verdicts: frozenset[Verdict]) -> list[str]:
    return [verdict.value for verdict in _KATTIS if verdict in verdicts]


def _rule(permitted: str = "AC WA TLE RTE", required: str = "AC WA TLE RTE") -> Expectation:
    def verdicts(text: str) -> frozenset[Verdict]:
        return frozenset(Verdict(name) for name in text.split())

    return Expectation(None, verdicts(permitted), verdicts(required))


FOLDERS_2025 = {
    "accepted": _rule(permitted="AC"),
    "rejected": _rule(required="WA TLE RTE"),
    "wrong_answer": _rule(permitted="AC WA", required="WA"),
    "time_limit_exceeded": _rule(permitted="AC TLE", required="TLE"),
    "run_time_error": _rule(permitted="AC RTE", required="RTE"),
    "brute_force": _rule(permitted="AC TLE RTE", required="TLE RTE"),
}
_LEGACY = {folder: Expectation(verdict) for folder, verdict in FOLDER_VERDICTS.items()}


def folders_for(version: str) -> Mapping[str, Expectation]:
    """The folders under ``submissions/`` a package of format ``version`` files by."""
    return FOLDERS_2025 if version == "2025-09" else _LEGACY

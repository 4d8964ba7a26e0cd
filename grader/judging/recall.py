"""The result cache as one judge sees it (``Recall``): case keys that include the judge's
comparison rule, compiled programs looked up before compiling, and case results stored only
while the run is not cancelled (an interrupted run's results are not trusted). Without a
cache it remembers nothing and finds nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from grader.judging.cache import ResultCache, case_key
from grader.judging.compile import Compiled
from grader.model import CaseResult, TestCase

__all__ = ["Recall"]


class Recall:
    def __init__(
        self, cache: ResultCache | None, checker: object, cancelled: threading.Event
    ) -> None:
        self._cache = cache
        self._checker = checker  # what identifies the comparison rule in case keys
        self._cancelled = cancelled

    def case_key(self, program: str, case: TestCase) -> str:
        return case_key(program, case, self._checker)

    def cases(self, program: str, tests: Sequence[TestCase]) -> list[CaseResult | None]:
        """Each case's stored result (None where there is none), in order."""
        if self._cache is None:
            return [None] * len(tests)
        return [self._cache.get_case(self.case_key(program, case)) for case in tests]

    def log(self, program: str) -> str:
        """The stored compile log of ``program`` ("" if none)."""
        stored = self._cache.get_program(program) if self._cache else None
        return stored[1] if stored else ""

    def compiled(self, program: str, compile: Callable[[], Compiled]) -> Compiled:
        """The compiled program and its log: stored, else ``compile()``'s, then stored."""
        stored = self._cache.get_program(program) if self._cache else None
        if stored is not None:
            return stored
        files, log = compile()
        if self._cache:
            self._cache.put_program(program, files, log)
        return files, log

    def store(self, program: str, case: TestCase, result: CaseResult) -> CaseResult:
        """``result``, stored under its case key unless the run was cancelled."""
        if self._cache is not None and not self._cancelled.is_set():
            self._cache.put_case(self.case_key(program, case), result)
        return result

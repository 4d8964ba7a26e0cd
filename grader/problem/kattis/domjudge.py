"""DOMjudge's conventions in a problem package: the ``@EXPECTED_RESULTS@:`` annotation in a
jury submission's source, and ``domjudge-problem.ini``.

An annotation (``// @EXPECTED_RESULTS@: CORRECT,TIMELIMIT``) lists the results any one of
which the submission may earn; it overrides the folder the submission is filed in, as on
DOMjudge. Results map to grader's verdicts as DOMjudge judges them: NO-OUTPUT is a wrong
answer (grader has no verdict of its own for it), RUN-ERROR is a run-time error or running
out of memory (DOMjudge reports both as RUN-ERROR). ``domjudge-problem.ini`` gives the
``timelimit`` (seconds) and the ``name``; its other keys (``color``, ``externalid``,
``points``, ``special_compare``, ``special_run``) are read and ignored. No I/O but the
files named.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.errors import ProblemError
from grader.model import ProgramFile, Verdict

__all__ = ["INI_FILE", "RESULTS", "DomjudgeIni", "expected_results", "read_ini", "seconds"]

INI_FILE = "domjudge-problem.ini"
RESULTS: dict[str, tuple[Verdict, ...]] = {
    "CORRECT": (Verdict.AC,),
    "WRONG-ANSWER": (Verdict.WA,),
    "NO-OUTPUT": (Verdict.WA,),
    "TIMELIMIT": (Verdict.TLE,),
    "RUN-ERROR": (Verdict.RTE, Verdict.MLE),
    "MEMORY-LIMIT": (Verdict.MLE,),
    "OUTPUT-LIMIT": (Verdict.OLE,),
    "COMPILER-ERROR": (Verdict.CE,),
}
_ANNOTATION = re.compile(rb"@EXPECTED_RESULTS@:?\s*([A-Za-z, _-]+)")


def expected_results(files: Sequence[ProgramFile]) -> frozenset[Verdict] | None:
    """The verdicts a ``@EXPECTED_RESULTS@`` annotation in ``files`` allows (None: no
    annotation, or none of its results is one DOMjudge knows)."""
    for file in files:
        found = _ANNOTATION.search(file.data)
        if found is None:
            continue
        names = [n.strip().upper() for n in found[1].decode().replace(" ", ",").split(",")]
        verdicts = {v for name in names for v in RESULTS.get(name.replace("_", "-"), ())}
        return frozenset(verdicts) or None
    return None


@dataclass(frozen=True)
class DomjudgeIni:
    """What grader takes from ``domjudge-problem.ini``."""

    timelimit: float | None = None
    name: str | None = None


def read_ini(root: Path) -> DomjudgeIni:
    """``root``'s domjudge-problem.ini (absent: all unset). A time limit that is not a
    positive number is a ProblemError."""
    path = root / INI_FILE
    if not path.is_file():
        return DomjudgeIni()
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        key, sep, value = line.partition("=")
        if sep and not key.lstrip().startswith((";", "#")):
            values[key.strip().lower()] = value.strip().strip("'\"")
    text = values.get("timelimit")
    timelimit = None if text is None else seconds(path, "timelimit", text)
    return DomjudgeIni(timelimit, values.get("name") or None)


def seconds(path: Path, where: str, text: str) -> float:
    """``text`` as a number of seconds > 0 (a ``.timelimit`` file, an ini's timelimit);
    anything else is a ProblemError naming ``path`` and ``where``."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or not math.isfinite(value):
        raise ProblemError(path, where, f"expected a number of seconds > 0; got {text!r}")
    return value

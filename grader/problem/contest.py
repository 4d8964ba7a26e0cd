"""Problem sets: a folder of problems judged together, and participants' submissions
matched to its problems.

A folder is a problem set (``is_contest``) when it holds a ``contest.yaml``, or when it has
no problem.yaml of its own and some sub-folder has one. ``contest.yaml`` (every key
optional)::

    name: spring-contest        # default: the folder name
    title: Spring contest
    problems: [hello, subtasks] # sub-folders, in scoreboard order; default: every
                                # sub-folder with a problem.yaml (grader's or a package), sorted
    ranking: solved             # solved: problems solved, then points; score: points, then solved

A problem is known by its folder name (its *key*). Submissions come in either layout:

* by participant: ``SUBMISSIONS/<participant>/<problem>.<ext>`` (or a folder
  ``SUBMISSIONS/<participant>/<problem>/`` holding an entry point such as ``main.py``);
* by problem: ``SUBMISSIONS/<problem>/<participant>.<ext>`` (or ``.../<participant>/``).

The layout is *by problem* when every sub-folder of SUBMISSIONS is named after a problem,
else *by participant*. What matches no problem is left out, and ``match_submissions`` says
so. Reads the folders and source files; writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from grader.errors import NoSubmissionsError, ProblemError, UsageError
from grader.model import Language, Problem, Submission
from grader.problem.grader_format import FILE_NAMES, load_problem
from grader.problem.kattis import Package, is_package, load_package
from grader.problem.yamlfile import YamlMapping, check_keys, key_error, read_yaml
from grader.submissions import DEFAULT_MAX_SOURCE, discover
from grader.submissions.languages import LanguageTable

__all__ = [
    "CONTEST_FILE",
    "RANKINGS",
    "Contest",
    "ContestProblem",
    "is_contest",
    "load_contest",
    "match_submissions",
]

CONTEST_FILE = "contest.yaml"
KEYS = ("name", "title", "problems", "ranking")
RANKINGS = ("solved", "score")


@dataclass(frozen=True)
class ContestProblem:
    key: str  # its folder name, which submissions are named after
    problem: Problem
    package: Package | None = None  # a Kattis package (its time limit may need deriving)


@dataclass(frozen=True)
class Contest:
    name: str
    title: str
    root: Path
    problems: tuple[ContestProblem, ...]
    ranking: str = "solved"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.problems)


def is_contest(path: Path) -> bool:
    if not path.is_dir():
        return False
    if (path / CONTEST_FILE).is_file():
        return True
    if any((path / name).is_file() for name in FILE_NAMES):
        return False
    return any(_has_problem(child) for child in path.iterdir())


def load_contest(path: Path) -> Contest:
    """Read the problem set in ``path`` and every problem in it; raises ProblemError."""
    file = path / CONTEST_FILE
    data = read_yaml(file) if file.is_file() else YamlMapping.empty(0)
    _known(file, data)
    keys = _problem_keys(path, file, data)
    ranking = data.get("ranking", "solved")
    if ranking not in RANKINGS:
        raise _error(file, data, "ranking", f"expected solved or score; got {ranking!r}")
    return Contest(
        name=_text(file, data, "name", path.resolve().name),
        title=_text(file, data, "title", _text(file, data, "name", path.resolve().name)),
        root=path,
        problems=tuple(_load(path / key, key) for key in keys),
        ranking=str(ranking),
    )


def _has_problem(folder: Path) -> bool:
    return folder.is_dir() and any((folder / name).is_file() for name in FILE_NAMES)


def _load(folder: Path, key: str) -> ContestProblem:
    if is_package(folder):
        package = load_package(folder)
        return ContestProblem(key, package.problem, package)
    return ContestProblem(key, load_problem(folder))


def _error(file: Path, data: YamlMapping, key: str, message: str) -> ProblemError:
    return key_error(file, key, data.lines.get(key, 0), message)


def _known(file: Path, data: YamlMapping) -> None:
    check_keys(file, data, KEYS)


def _text(file: Path, data: YamlMapping, key: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise _error(file, data, key, "expected text")
    return value


def _problem_keys(path: Path, file: Path, data: YamlMapping) -> list[str]:
    if "problems" not in data:
        keys = sorted(child.name for child in path.iterdir() if _has_problem(child))
        if not keys:
            raise ProblemError(path, "", "no problem folders (with a problem.yaml) in it")
        return keys
    keys = data["problems"]
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise _error(file, data, "problems", "expected a non-empty list of problem folders")
    for key in keys:
        if "/" in key or key.startswith(".") or not _has_problem(path / key):
            raise _error(file, data, "problems", f"{key!r} is not a problem folder in {path}")
    if len(set(keys)) != len(keys):
        raise _error(file, data, "problems", "a problem is listed twice")
    return list(keys)


# ---- submissions ---------------------------------------------------------------------


def match_submissions(
    contest: Contest,
    folder: Path,
    table: LanguageTable,
    *,
    language: Language | None = None,
    max_source: int = DEFAULT_MAX_SOURCE,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, list[Submission]]:
    """Each problem's submissions (key -> submissions with the participant as id); logs
    what was left out."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder (a problem set takes one SUBMISSIONS folder)")
    entries = [e for e in sorted(folder.iterdir()) if _visible(e)]
    folders = [e for e in entries if e.is_dir()]
    by_problem = bool(folders) and all(e.name in contest.keys for e in folders)
    matched: dict[str, list[Submission]] = {key: [] for key in contest.keys}
    for entry in entries:
        if not entry.is_dir():
            log(f"left out {entry}: expected a folder per {_outer(by_problem)}")
            continue
        for item in sorted(p for p in entry.iterdir() if _visible(p)):
            name = item.stem if item.is_file() else item.name
            key, participant = (entry.name, name) if by_problem else (name, entry.name)
            if key not in matched:
                log(f"left out {item}: no problem named {key!r} ({', '.join(contest.keys)})")
            elif any(s.id == participant for s in matched[key]):
                log(f"left out {item}: {participant} already has a submission for {key}")
            else:
                matched[key].append(_submission(item, participant, table, language, max_source))
    if not any(matched.values()):
        raise NoSubmissionsError(f"no submissions for any problem of {contest.name} in {folder}")
    return matched


def _visible(path: Path) -> bool:
    """Hidden files and README files are no submissions (as in ``submissions``)."""
    return not path.name.startswith(".") and not path.name.lower().startswith("readme")


def _outer(by_problem: bool) -> str:
    return "problem" if by_problem else "participant"


def _submission(
    path: Path, participant: str, table: LanguageTable, language: Language | None, limit: int
) -> Submission:
    try:
        found = discover([path], table, language=language, max_source=limit)
    except NoSubmissionsError:
        found = []
    if len(found) != 1:
        entries = ", ".join(table.entry_names())
        reason = f"a folder submission needs one entry point ({entries})"
        return Submission(participant, path, None, (), reason=reason)
    return replace(found[0], id=participant)

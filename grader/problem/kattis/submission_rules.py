"""``submissions/submissions.yaml`` of a 2025-09 package, in the part grader supports:
more requirements on the jury submissions ``grader verify`` judges.

Each top-level key is a folder of the format (``accepted``, ``wrong_answer``, ...: its
``permitted`` / ``required`` replace the folder's, the other inherited) or a path pattern
under ``submissions/`` (``time_limit_exceeded/*``, ``other/slow.py``; ``*`` matches within
a name) whose ``permitted`` / ``required`` every matched submission (or one inside a
matched folder) must meet as well, so that a submission in a folder of another name is
judged too. Verdicts are AC, WA, TLE and RTE. ``authors`` and ``model_solution`` are read
and ignored; ``language``, ``entrypoint``, ``score``, ``message``, ``use_for_time_limit``,
requirements for test data groups, and ``**``, ``[...]`` or ``{...}`` in a pattern are a
ProblemError. Reads that one file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from grader.errors import ProblemError
from grader.model import Verdict
from grader.problem.expectations import KATTIS_VERDICTS, Expectation
from grader.problem.yamlfile import YamlMapping, key_error, read_yaml

__all__ = ["RULE_KEYS", "Rules", "read_rules"]

RULE_KEYS = ("permitted", "required", "authors", "model_solution")
_REFUSED = {
    "language": "choosing a submission's language is not supported (grader goes by extension)",
    "entrypoint": "choosing a submission's entry point is not supported",
    "score": "expected scores are not supported",
    "message": "expected judge messages are not supported",
    "use_for_time_limit": "grader times accepted/ submissions only",
}


@dataclass(frozen=True)
class Rules:
    """What each submission under ``submissions/`` must earn: its folder's expectation,
    and every ``extra`` rule whose pattern (path parts) matches it."""

    folders: Mapping[str, Expectation]
    extra: tuple[tuple[tuple[str, ...], Expectation], ...] = field(default=())
    file: Path | None = None  # the submissions.yaml read, not a submission

    def expectation(self, folder: str, parts: tuple[str, ...]) -> Expectation | None:
        """The expectation of the submission in ``folder`` at ``parts`` (its path under
        submissions/); None: not judged."""
        found = self.folders.get(folder)
        for pattern, rule in self.extra:
            inside = len(parts) > 1 and len(pattern) <= len(parts)
            if inside and all(map(fnmatchcase, parts, pattern)):
                found = found.also(rule) if found else rule
        return found


def read_rules(file: Path, folders: Mapping[str, Expectation]) -> Rules:
    """``folders`` with what submissions.yaml ``file`` adds; raises ProblemError."""
    data = read_yaml(file)
    merged = dict(folders)
    extra: list[tuple[tuple[str, ...], Expectation]] = []
    for key, value in data.items():
        pattern = str(key).strip("/")
        rule = _Rule(file, str(key), data.lines.get(key, 0), value)
        if pattern in folders:
            merged[pattern] = rule.override(folders[pattern])
        else:
            extra.append((rule.pattern(), rule.expectation()))
    return Rules(merged, tuple(extra), file)


@dataclass(frozen=True)
class _Rule:
    file: Path
    key: str
    line: int
    value: Any

    def fail(self, where: str, message: str) -> ProblemError:
        return key_error(self.file, f"{self.key}{where}", self.line, message)

    def mapping(self) -> YamlMapping:
        if not isinstance(self.value, YamlMapping):
            raise self.fail("", "expected a mapping (permitted, required, ...)")
        for name in self.value:
            if name in _REFUSED:
                raise self.fail(f".{name}", _REFUSED[name])
            if name not in RULE_KEYS:
                message = "requirements for test data groups are not supported"
                raise self.fail(f".{name}", message)
        return self.value

    def verdicts(self, name: str) -> frozenset[Verdict] | None:
        value = self.mapping().get(name)
        if value is None:
            return None
        names = [v.value for v in KATTIS_VERDICTS]
        if not isinstance(value, list) or not all(v in names for v in value):
            raise self.fail(f".{name}", f"expected a sequence of {', '.join(names)}")
        return frozenset(Verdict(v) for v in value)

    def expectation(self) -> Expectation:
        permitted = self.verdicts("permitted")
        required = self.verdicts("required") or ()
        return Expectation.of(KATTIS_VERDICTS if permitted is None else permitted, required)

    def override(self, default: Expectation) -> Expectation:
        """The folder's ``default`` with the keys this rule gives replaced."""
        permitted, required = self.verdicts("permitted"), self.verdicts("required")
        return Expectation(
            frozenset(),
            default.permitted if permitted is None else permitted,
            default.required if required is None else ((required,) if required else ()),
        )

    def pattern(self) -> tuple[str, ...]:
        if any(mark in self.key for mark in ("**", "[", "{")):
            raise self.fail("", "patterns with **, [...] or {...} are not supported")
        return tuple(self.key.strip("/").split("/"))

"""The persistent result cache: re-grading an unchanged batch reuses verdicts.

A case result is stored under the digest of everything that decides it: the grader's
cache version, the runtime image tag, the language row, the submission's files, the case's
input, expected output, limits and points, and the checker. Change any of them and only
the affected cases run again. Compiled programs are cached the same way, by the digest of
image, language and sources, each file stored with its SHA-256, checked when read. IE
results are never stored; an unreadable or corrupted entry is a miss and is overwritten.

Files: ``<root>/cases/<2 hex>/<digest>.json`` and ``<root>/compiled/<2 hex>/<digest>.json``
(default root ``.grader-cache`` in the current directory), each written atomically.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from grader.model import CaseResult, Language, ProgramFile, Submission, TestCase, Verdict

__all__ = ["CACHE_VERSION", "DEFAULT_CACHE_DIR", "ResultCache", "case_key", "program_key"]

CACHE_VERSION = "1"
DEFAULT_CACHE_DIR = Path(".grader-cache")


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@functools.lru_cache(maxsize=4096)
def _sha(data: bytes) -> str:
    """Remembered per bytes object: a case's input and expected output are hashed once per
    batch, not once per submission (they may be megabytes)."""
    return hashlib.sha256(data).hexdigest()


def _files(files: tuple[ProgramFile, ...]) -> list[object]:
    return [[f.path, f.mode, _sha(f.data)] for f in files]


def _language(language: Language) -> dict[str, object]:
    return {
        "key": language.key,
        "compile": language.compile,
        "run": language.run,
        "env": dict(language.env),
        "allowance": language.memory_allowance,
        "check_only": language.check_only,
        "jvm_main": language.jvm_main,
    }


def program_key(image: str, submission: Submission, language: Language) -> str:
    """What decides a compiled program: image, language row, sources, entry point."""
    return _digest(
        [CACHE_VERSION, image, _language(language), _files(submission.files), submission.entry]
    )


def case_key(program: str, case: TestCase, checker: object) -> str:
    """What decides a case's verdict, given the program's key."""
    return _digest(
        [
            CACHE_VERSION,
            program,
            case.name,
            _sha(case.stdin),
            _sha(case.expected),
            asdict(case.limits),
            case.points,
            checker,
        ]
    )


class ResultCache:
    """Case results and compiled programs on disk. ``read=False`` ignores what is stored
    (``--no-cache``) but still records fresh results."""

    def __init__(self, root: Path = DEFAULT_CACHE_DIR, *, read: bool = True) -> None:
        self.root = root
        self.read = read

    def get_case(self, key: str) -> CaseResult | None:
        data = self._load("cases", key)
        try:
            return _case_from(data) if data is not None else None
        except (KeyError, TypeError, ValueError):
            return None

    def put_case(self, key: str, result: CaseResult) -> None:
        if result.verdict not in (Verdict.IE, Verdict.SKIPPED):
            stored = {**asdict(result), "verdict": result.verdict.value}
            del stored["host"]  # where it ran does not decide it
            self._store("cases", key, stored)

    def get_program(self, key: str) -> tuple[tuple[ProgramFile, ...] | None, str] | None:
        """(files or None for a compile error, compile log), or None when not stored."""
        data = self._load("compiled", key)
        try:
            if data is None:
                return None
            files = data["files"]
            program = None
            if files is not None:
                program = tuple(_checked_file(f) for f in files)
            return program, str(data["log"])
        except (KeyError, TypeError, ValueError):
            return None

    def put_program(self, key: str, files: tuple[ProgramFile, ...] | None, log: str) -> None:
        encoded = None
        if files is not None:
            encoded = [
                {
                    "path": f.path,
                    "mode": f.mode,
                    "sha256": _sha(f.data),
                    "data": base64.b64encode(f.data).decode(),
                }
                for f in files
            ]
        self._store("compiled", key, {"files": encoded, "log": log})

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / f"{key}.json"

    def _load(self, kind: str, key: str) -> Any:
        if not self.read:
            return None
        try:
            data = json.loads(self._path(kind, key).read_text())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _store(self, kind: str, key: str, value: dict[str, Any]) -> None:
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w") as handle:
                json.dump(value, handle)
            os.replace(temp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def _checked_file(stored: dict[str, Any]) -> ProgramFile:
    """A stored compiled file whose bytes still have the digest stored with them (a
    ValueError, and so a cache miss, otherwise)."""
    data = base64.b64decode(stored["data"])
    if hashlib.sha256(data).hexdigest() != stored["sha256"]:
        raise ValueError(f"{stored['path']}: its bytes do not match their digest")
    return ProgramFile(stored["path"], data, int(stored["mode"]))


def _case_from(data: dict[str, Any]) -> CaseResult:
    names = {f.name for f in fields(CaseResult)}
    values = {k: v for k, v in data.items() if k in names}
    values["verdict"] = Verdict(values["verdict"])
    return CaseResult(**values)

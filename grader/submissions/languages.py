"""The language table, loaded from data (``languages.yaml``), not code branches.

``load_languages()`` validates the packaged table once; ``LanguageTable.for_file`` picks a
language by extension. Adding a language is a row in the YAML and an image folder.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import PurePath

import yaml

from grader.errors import UsageError
from grader.model import MIB, Language

__all__ = ["LanguageTable", "load_languages"]

_KEYS = {
    "name",
    "extensions",
    "image",
    "entry",
    "compile",
    "run",
    "env",
    "memory_allowance",
    "notes",
    "headers",
    "check_only",
    "jvm_main",
}


@dataclass(frozen=True)
class LanguageTable:
    languages: Mapping[str, Language]

    def __iter__(self) -> Iterator[Language]:
        return iter(self.languages.values())

    def get(self, key: str) -> Language:
        try:
            return self.languages[key.lower()]
        except KeyError:
            known = ", ".join(sorted(self.languages))
            raise UsageError(f"unknown language {key!r} (known: {known})") from None

    def preferring(self, keys: Sequence[str]) -> LanguageTable:
        """This table with the rows ``keys`` first, so that they take the extensions they
        share with others (``preferring(["pypy"])``: .py files run under PyPy)."""
        chosen = {lang.key: lang for lang in map(self.get, keys)}
        rest = {key: lang for key, lang in self.languages.items() if key not in chosen}
        return LanguageTable({**chosen, **rest})

    def for_file(self, name: str) -> Language | None:
        """The first row whose extensions take ``name`` (rows sharing an extension, like
        PyPy's with Python's, are chosen with ``--prefer`` or ``--language``)."""
        return next((lang for lang in self if lang.is_source(name)), None)

    def is_header(self, name: str) -> bool:
        """A header (``util.h``, ``geometry.hpp``): compiled with a program, never one."""
        suffix = PurePath(name).suffix.lstrip(".")
        return self.for_file(name) is None and any(suffix in lang.headers for lang in self)

    def entry_names(self) -> tuple[str, ...]:
        """Every language's entry-point names, in table order."""
        return tuple(dict.fromkeys(name for lang in self for name in lang.entry_names))


def _strings(row: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
    value = row.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}.{key}: expected a list of strings")
    return tuple(value)


def _language(key: str, row: object) -> Language:
    if not isinstance(row, dict):
        raise ValueError(f"{key}: expected a mapping")
    unknown = set(row) - _KEYS
    if unknown:
        raise ValueError(f"{key}: unknown keys {sorted(unknown)}")
    compile_argv = _strings(row, "compile", key) if "compile" in row else None
    env = row.get("env", {})
    if not isinstance(env, dict):
        raise ValueError(f"{key}.env: expected a mapping")
    return Language(
        key=key,
        name=str(row.get("name", key)),
        extensions=_strings(row, "extensions", key),
        headers=_strings(row, "headers", key),
        image=str(row.get("image", key)),
        run=_strings(row, "run", key),
        compile=compile_argv,
        entry_names=_strings(row, "entry", key),
        env={str(k): str(v) for k, v in env.items()},
        memory_allowance=int(row.get("memory_allowance", 0)) * MIB,
        notes=str(row.get("notes", "")),
        check_only=_flag(row, "check_only", key),
        jvm_main=_flag(row, "jvm_main", key),
    )


def _flag(row: Mapping[str, object], key: str, where: str) -> bool:
    value = row.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{where}.{key}: expected true or false")
    return value


@cache
def load_languages() -> LanguageTable:
    text = resources.files("grader.submissions").joinpath("languages.yaml").read_text()
    data = yaml.safe_load(text)
    return LanguageTable({key: _language(key, row) for key, row in data.items()})

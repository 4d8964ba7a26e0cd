"""The language table, loaded from data (``languages.yaml``), not code branches.

``load_languages()`` validates the packaged table once; ``LanguageTable.for_file`` picks a
language by extension. Adding a language is a row in the YAML and an image folder.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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

    def for_file(self, name: str) -> Language | None:
        suffix = PurePath(name).suffix.lstrip(".").lower()
        return next((lang for lang in self if suffix in lang.extensions), None)

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
        extensions=tuple(e.lower() for e in _strings(row, "extensions", key)),
        image=str(row.get("image", key)),
        run=_strings(row, "run", key),
        compile=compile_argv,
        entry_names=_strings(row, "entry", key),
        env={str(k): str(v) for k, v in env.items()},
        memory_allowance=int(row.get("memory_allowance", 0)) * MIB,
        notes=str(row.get("notes", "")),
    )


@cache
def load_languages() -> LanguageTable:
    text = resources.files("grader").joinpath("languages.yaml").read_text()
    data = yaml.safe_load(text)
    return LanguageTable({key: _language(key, row) for key, row in data.items()})

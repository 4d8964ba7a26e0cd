"""YAML files read once, with the line of every key remembered, so a mistake found later
can be reported as ``file: line N: key: what was expected``.

Used by every loader of problem files (grader's ``problem.yaml``, Kattis packages,
``contest.yaml``); mistakes raise ``ProblemError``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from grader.errors import ProblemError

__all__ = ["YamlMapping", "check_keys", "key_error", "read_yaml", "unknown_keys"]


class YamlMapping(dict[Any, Any]):
    """A parsed YAML mapping: a dict, plus ``line`` (its own) and ``lines`` (key -> line)."""

    line: int = 0
    lines: dict[Any, int]

    @classmethod
    def empty(cls, line: int) -> YamlMapping:
        """An empty mapping standing for a key given no value (``sample:``)."""
        mapping = cls()
        mapping.line, mapping.lines = line, {}
        return mapping


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> YamlMapping:
    loader.flatten_mapping(node)
    mapping = YamlMapping.empty(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key_node, yaml.ScalarNode):  # {}: or [a]: as a key
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a key must be a plain value, not a list or mapping",
                key_node.start_mark,
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def key_error(file: Path, where: str, line: int, message: str) -> ProblemError:
    """The error for a mistake at ``where`` (a key path) on ``line`` (0: unknown)."""
    return ProblemError(file, f"line {line}: {where}" if line else where, message)


def check_keys(file: Path, data: YamlMapping, keys: tuple[str, ...], prefix: str = "") -> None:
    """Raise for the first key of ``data`` not in ``keys``, suggesting the closest."""
    for error in _unknown(file, data, keys, prefix):
        raise error


def unknown_keys(
    file: Path, data: YamlMapping, keys: tuple[str, ...], prefix: str = ""
) -> list[str]:
    """What ``check_keys`` would say of each key of ``data`` not in ``keys``."""
    return [str(error) for error in _unknown(file, data, keys, prefix)]


def _unknown(
    file: Path, data: YamlMapping, keys: tuple[str, ...], prefix: str
) -> Iterator[ProblemError]:
    for key in data:
        if key not in keys:
            close = difflib.get_close_matches(str(key), keys, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(keys)})"
            line = data.lines.get(key, data.line)
            yield key_error(file, f"{prefix}{key}", line, f"unknown key{hint}")


def _fail(file: Path, line: int, message: str) -> ProblemError:
    return key_error(file, "YAML", line, message)


def read_yaml(file: Path, *, allow_empty: bool = True) -> YamlMapping:
    """A YAML file whose top level is a mapping (an empty file is an empty mapping when
    ``allow_empty``), every key's line remembered; raises ProblemError."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemError(file, "", f"cannot read: {exc}") from exc
    if allow_empty and not text.strip():
        return YamlMapping.empty(0)
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _fail(file, mark.line + 1 if mark else 0, f"{exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise _fail(file, 0, str(exc)) from exc
    if not isinstance(data, YamlMapping):
        raise ProblemError(file, "", "expected a mapping of keys (name, limits, tests, ...)")
    return data

"""Foreign formats are read leniently: a key that a Kattis or DOMjudge package has and
grader does not know (``source_url``, a key of a newer or older format version) is a
warning that names the file and the key, never a refusal, as problemtools warns. grader's
own ``problem.yaml`` stays strict (``yamlfile.check_keys``).

The warnings of one package load are collected in a context (``collecting``), so that the
readers deep in ``kattis/`` need no extra argument; ``load_package`` puts them on the
``Package``. Outside ``collecting`` a warning is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from grader.problem.yamlfile import YamlMapping, unknown_keys

__all__ = ["collecting", "warn", "warn_unknown_keys"]

_NOTES: ContextVar[list[str] | None] = ContextVar("grader_package_warnings", default=None)


@contextmanager
def collecting() -> Iterator[list[str]]:
    """Collect the warnings made inside the block into the yielded list."""
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def warn(message: str) -> None:
    notes = _NOTES.get()
    if notes is not None and message not in notes:
        notes.append(message)


def warn_unknown_keys(
    file: Path, data: YamlMapping, keys: tuple[str, ...], prefix: str = ""
) -> None:
    """A warning for each key of ``data`` not in ``keys``: read and ignored."""
    for message in unknown_keys(file, data, keys, prefix):
        warn(f"{message}: ignored")

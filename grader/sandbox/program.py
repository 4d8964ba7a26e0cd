"""The script every grader container runs as PID 1: the cgroup reader, then the supervisor.

``cgroup.py`` (typed, checked by mypy, tested on fake trees) and ``supervisor.py`` are two
files here, but the container gets them as one ``python3 -c`` script, reader first, so the
supervisor finds ``find_cgroup`` already defined. Both use the standard library only.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["supervisor_program"]

_PARTS = ("cgroup.py", "supervisor.py")


@cache
def supervisor_program() -> str:
    """The source of the container's PID 1 program."""
    files = resources.files("grader.sandbox")
    return "\n\n".join(files.joinpath(name).read_text(encoding="utf-8") for name in _PARTS)

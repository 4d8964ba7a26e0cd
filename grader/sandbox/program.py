"""The script every grader container runs as PID 1: the cgroup reader, then the supervisor.

``cgroup.py`` and ``supervisor.py`` (both typed and checked by mypy; the reader tested on
fake trees) are two files here, but the container gets them as one ``python3 -c`` script,
reader first, so the supervisor finds ``find_cgroup`` already defined (it knows the reader
as its ``CgroupReader`` protocol; ``_READER`` below has mypy check that ``Cgroup`` is one).
Both use the standard library only.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.sandbox.cgroup import Cgroup
    from grader.sandbox.supervisor import CgroupReader

    _READER: type[CgroupReader] = Cgroup

__all__ = ["supervisor_program"]

_PARTS = ("cgroup.py", "supervisor.py")


@cache
def supervisor_program() -> str:
    """The source of the container's PID 1 program."""
    files = resources.files("grader.sandbox")
    return "\n\n".join(files.joinpath(name).read_text(encoding="utf-8") for name in _PARTS)

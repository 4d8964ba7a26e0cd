"""Kattis / ICPC problem packages, read unmodified as grader problems.

``package`` tells a package from grader's own problem folder and reads the ``legacy``
format; ``format_2025`` reads ``problem_format_version: 2025-09``. Both share ``fields``
(problem.yaml values), ``data`` (the data/ tree and its groups; ``groups`` holds the
2025-09 ``test_group.yaml`` rules), ``checker`` (default-validator flags and output
validator programs) and ``model`` (``Package``, ``TimeLimit``). ``submission_rules`` reads
the simple part of a 2025-09 ``submissions.yaml`` for ``grader verify``.
"""

from grader.problem.kattis.package import (
    CALIBRATION_TIME,
    DEFAULT_MEMORY,
    Package,
    TimeLimit,
    is_package,
    load_package,
    with_time_limit,
)

__all__ = [
    "CALIBRATION_TIME",
    "DEFAULT_MEMORY",
    "Package",
    "TimeLimit",
    "is_package",
    "load_package",
    "with_time_limit",
]

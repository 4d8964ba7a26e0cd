"""Errors grader raises, each knowing the exit status the CLI maps it to.

A leaf module (it imports nothing from grader) so every other module can raise these
without import loops. Exit statuses follow pytest's convention so CI treats grader like
a test runner; see ``ExitCode``.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "ExitCode",
    "GraderError",
    "ImageMissingError",
    "NoSubmissionsError",
    "ProblemError",
    "SandboxError",
    "UsageError",
]


class ExitCode(IntEnum):
    """Process exit statuses (pytest's convention)."""

    ALL_ACCEPTED = 0
    NOT_ALL_ACCEPTED = 1
    INTERRUPTED = 2
    INTERNAL_ERROR = 3
    USAGE_ERROR = 4
    NO_SUBMISSIONS = 5


class GraderError(Exception):
    """Base of every error grader reports to a user; never shown with a traceback."""

    exit_code: ExitCode = ExitCode.INTERNAL_ERROR


class UsageError(GraderError):
    """A bad command line or option value."""

    exit_code = ExitCode.USAGE_ERROR


class ProblemError(GraderError):
    """A problem definition that cannot be used: names the file, the key or line, what was
    expected."""

    exit_code = ExitCode.USAGE_ERROR

    def __init__(self, path: object, where: str, message: str) -> None:
        self.path = str(path)
        self.where = where
        self.message = message
        location = f"{self.path}: {where}" if where else self.path
        super().__init__(f"{location}: {message}")


class NoSubmissionsError(GraderError):
    """The paths given hold no submission."""

    exit_code = ExitCode.NO_SUBMISSIONS


class SandboxError(GraderError):
    """The sandbox (Docker engine, image, container) failed: the grader's fault, never the
    submission's. Inside a batch it becomes an IE verdict for the affected submission."""

    exit_code = ExitCode.INTERNAL_ERROR


class ImageMissingError(SandboxError):
    """A runtime image is not built; the message says how to build it."""

"""Submissions: finding them on disk (``discover``: paths -> ``Submission`` values, ids,
folder programs) and the language table they are judged by (``languages``, data in
``languages.yaml``). Imports only the leaves (``model``, ``errors``)."""

from grader.submissions.discover import (
    DEFAULT_MAX_SOURCE,
    UNSUPPORTED,
    discover,
    one_program,
    program_source,
    programs_in,
    unique_ids,
    with_entry,
)

__all__ = [
    "DEFAULT_MAX_SOURCE",
    "UNSUPPORTED",
    "discover",
    "one_program",
    "program_source",
    "programs_in",
    "unique_ids",
    "with_entry",
]

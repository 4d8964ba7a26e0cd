"""Report writers: JSON (machines), and, over time, HTML, JUnit XML and CSV.

Every writer takes a ``Report`` and writes a file atomically (temp file + rename), so an
interrupted run never leaves half a report.
"""

from __future__ import annotations

from grader.report.files import write_atomically
from grader.report.json import SCHEMA_VERSION, report_to_dict, write_json

__all__ = ["SCHEMA_VERSION", "report_to_dict", "write_atomically", "write_json"]

"""A problem set's reports: the scoreboard (JSON, HTML, CSV) and one detail report per
problem in every format asked for.

The scoreboard ranks participants (``standings``) and shows each one's verdict and points
per problem; the JSON is described by ``scoreboard.schema.json`` next to this module. The
detail reports are the ordinary per-problem reports, written to a folder as
``<problem><suffix>`` (each format's suffix in ``formats.py``: ``.json``, ``.html``,
``.xml`` for JUnit, ...); the HTML scoreboard links to the HTML ones by relative path.
Files are written atomically.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from grader import __version__
from grader.model import SubmissionResult
from grader.report.files import write_atomically
from grader.report.formats import FORMATS, check_targets
from grader.report.gradebook import spreadsheet_safe
from grader.report.html import template
from grader.report.json import SCHEMA_VERSION, packaged_schema
from grader.report.standings import ContestReport, Standing, standings
from grader.report.text import visible

__all__ = [
    "render_scoreboard_csv",
    "render_scoreboard_html",
    "render_scoreboard_json",
    "scoreboard_lines",
    "scoreboard_schema",
    "scoreboard_to_dict",
    "write_contest_reports",
]

SCOREBOARD_FORMATS = ("json", "html", "csv")


def _cell(result: SubmissionResult | None, max_points: float) -> dict[str, Any]:
    if result is None:
        return {"verdict": None, "points": 0.0, "max_points": max_points, "score": 0.0}
    return {
        "verdict": result.verdict.value,
        "points": result.points,
        "max_points": result.max_points,
        "score": round(result.score, 6),
    }


def _standing(row: Standing, contest: ContestReport) -> dict[str, Any]:
    cells = zip(contest.keys, contest.reports, row.results, strict=True)
    return {
        "rank": row.rank,
        "participant": row.participant,
        "solved": row.solved,
        "points": row.points,
        "problems": {key: _cell(r, report.problem.max_points) for key, report, r in cells},
    }


def scoreboard_to_dict(contest: ContestReport) -> dict[str, Any]:
    problems = [
        {
            "key": key,
            "name": report.problem.name,
            "title": report.problem.title,
            "max_points": report.problem.max_points,
            "submissions": len(report.submissions),
        }
        for key, report in zip(contest.keys, contest.reports, strict=True)
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "grader_version": __version__,
        "contest": {"name": contest.name, "title": contest.title, "ranking": contest.ranking},
        "problems": problems,
        "max_points": contest.max_points,
        "started_at": contest.started_at,
        "finished_at": contest.finished_at,
        "complete": contest.complete,
        "view": "student" if contest.student else "full",
        "standings": [_standing(row, contest) for row in standings(contest)],
    }


def scoreboard_schema() -> dict[str, Any]:
    """The JSON Schema of ``scoreboard_to_dict``'s output."""
    return packaged_schema("scoreboard.schema.json")


def render_scoreboard_json(contest: ContestReport) -> str:
    return json.dumps(scoreboard_to_dict(contest), indent=2) + "\n"


def render_scoreboard_html(contest: ContestReport, links: Mapping[str, str] | None = None) -> str:
    """The scoreboard page; ``links`` maps a problem key to its HTML detail report."""
    context = {
        "contest": contest,
        "rows": standings(contest),
        "problems": list(zip(contest.keys, contest.reports, strict=True)),
        "links": dict(links or {}),
        "version": __version__,
    }
    return template("scoreboard.html.j2").render(context)


def render_scoreboard_csv(contest: ContestReport) -> str:
    """rank, participant, solved, points, then per problem its verdict and points."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    per_problem = [f"{key} {what}" for key in contest.keys for what in ("verdict", "points")]
    writer.writerow(
        ["rank", "participant", "solved", "points", *map(spreadsheet_safe, per_problem)]
    )
    for row in standings(contest):
        cells: list[str] = []
        for result in row.results:
            cells += ["", "0"] if result is None else [result.verdict.value, f"{result.points:g}"]
        writer.writerow(
            [row.rank, spreadsheet_safe(row.participant), row.solved, f"{row.points:g}", *cells]
        )
    return buffer.getvalue()


def scoreboard_lines(contest: ContestReport) -> list[str]:
    """The scoreboard for a terminal: one line per participant."""
    rows = standings(contest)
    lines = [f"{contest.name}: {len(rows)} participants, {len(contest.keys)} problems"]
    for row in rows:
        points = f"{row.points:g}/{contest.max_points:g}"
        name = visible(f"{row.participant:<20}")
        lines.append(f"{row.rank:>4}  {name} {row.solved} solved  {points} points")
    if not contest.complete:
        lines.append("interrupted: the scoreboard covers only the submissions that finished")
    return lines


def write_contest_reports(
    contest: ContestReport, targets: Mapping[str, str | None], details: Path
) -> dict[str, str]:
    """The scoreboard in each of ``targets``' formats that has one (json, html, csv), and
    each problem's report in ``details`` in every format of ``targets`` (json always).
    Returns what was written: format -> path, and ``details`` -> the folder."""
    check_targets(targets)
    wanted = {fmt for fmt, path in targets.items() if path is not None}
    wanted |= {record.name for record in FORMATS.values() if record.always}
    written: dict[str, str] = {}
    links: dict[str, str] = {}
    for key, report in zip(contest.keys, contest.reports, strict=True):
        for fmt in sorted(wanted):
            path = details / f"{key}{FORMATS[fmt].suffix}"
            write_atomically(path, FORMATS[fmt].render(report))
            if fmt == "html":
                links[key] = _relative(path, targets.get("html"))
    written["details"] = str(details)
    renderers = {
        "json": lambda: render_scoreboard_json(contest),
        "html": lambda: render_scoreboard_html(contest, links),
        "csv": lambda: render_scoreboard_csv(contest),
    }
    for fmt in SCOREBOARD_FORMATS:
        target = targets.get(fmt)
        if target is not None:
            write_atomically(target, renderers[fmt]())
            written[fmt] = target
    return written


def _relative(path: Path, page: str | None) -> str:
    """``path`` as a link from the page at ``page`` (stdout: relative to the current
    folder)."""
    base = Path(page).parent if page not in (None, "-") else Path()
    return Path(os.path.relpath(path, base)).as_posix()

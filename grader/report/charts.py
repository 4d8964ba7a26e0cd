"""Inline SVG charts for the HTML report: no JavaScript, no external resource.

* ``verdict_chart``: submissions per verdict.
* ``points_chart``: the class's points histogram (a bar per points value when the problem
  is worth at most 20 whole points, else ten bins of the score).
* ``pass_rate_chart``: per case, the share of submissions that ran it and got AC.
* ``usage_chart``: per case, the median and the largest CPU time (or peak memory) of the
  submissions that ran it, as a share of the case's limit, with the limit drawn at 100%.

Each returns one ``<svg>`` element (``markupsafe.Markup``) that scales to the page width
through its ``viewBox``, with a ``<title>`` and the numbers written out as text, so the
chart still says everything when it is read aloud or printed. Untrusted text (case names)
is made visible and escaped. The size of a chart grows with the cases, never with the
submissions.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from html import escape

from markupsafe import Markup

from grader.model import CaseResult, Limits, Report, Verdict
from grader.report.outcomes import case_limits
from grader.report.text import mebibytes, seconds, visible

__all__ = ["chart_set", "pass_rate_chart", "points_chart", "usage_chart", "verdict_chart"]

_WIDTH = 620
_LABEL = 110  # the left column of a row chart
_BARS = 250  # the bar area of a row chart
_ROW = 20
_TOP = 8
_SHOWN_OVER = 1.5  # usage bars end at 150% of the limit
_NAME_CHARS = 18


def _text(value: str) -> str:
    return escape(visible(value), quote=True)


def _short(name: str) -> str:
    return name if len(name) <= _NAME_CHARS else name[: _NAME_CHARS - 1] + "\u2026"


def _svg(kind: str, title: str, height: int, body: Iterable[str]) -> Markup:
    head = (
        f'<svg class="chart chart-{kind}" role="img" viewBox="0 0 {_WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" '
        f"><title>{_text(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def _row_label(y: int, label: str) -> str:
    return (
        f'<text x="{_LABEL - 6}" y="{y + 14}" text-anchor="end">'
        f"<title>{_text(label)}</title>{_text(_short(label))}</text>"
    )


def _bar(x: float, y: int, width: float, css: str) -> str:
    return (
        f'<rect class="{css}" x="{x:.1f}" y="{y + 3}" width="{max(width, 0.0):.1f}" '
        f'height="{_ROW - 6}"/>'
    )


def _value(y: int, text: str) -> str:
    return f'<text x="{_LABEL + _BARS + 8}" y="{y + 14}">{_text(text)}</text>'


def _centred(x: float, y: float, text: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{_text(text)}</text>'


def verdict_chart(report: Report) -> Markup:
    """Submissions per verdict, a bar each for the verdicts that occur."""
    counts = Counter(result.verdict for result in report.submissions)
    present = [verdict for verdict in Verdict if counts[verdict]]
    total = len(report.submissions) or 1
    most = max(counts.values(), default=1)
    body = []
    for row, verdict in enumerate(present):
        y = _TOP + row * _ROW
        share = counts[verdict] / total
        width = _BARS * counts[verdict] / most
        body += [
            _row_label(y, verdict.value),
            _bar(_LABEL, y, width, f"bar-{verdict.value}"),
            _value(y, f"{counts[verdict]} ({share:.0%})"),
        ]
    title = "Submissions per verdict"
    return _svg("verdicts", title, _TOP * 2 + _ROW * max(len(present), 1), body)


def _bins(report: Report) -> list[tuple[str, int]]:
    """(label, submissions) per points value, or per tenth of the score."""
    most = float(report.problem.max_points)  # an int when the YAML gave whole points
    if most.is_integer() and 0 < most <= 20:
        counts = Counter(int(result.points) for result in report.submissions)
        return [(f"{value:g}", counts[value]) for value in range(int(most) + 1)]
    tenths = Counter(min(int(result.score * 10), 9) for result in report.submissions)
    return [(f"{10 * n}%", tenths[n]) for n in range(10)]


def points_chart(report: Report) -> Markup:
    """How many submissions earned each points value (or score range)."""
    bins = _bins(report)
    tallest = max((count for _, count in bins), default=0) or 1
    left, plot, height = 40, 140, 200
    width = (_WIDTH - left - 10) / len(bins)
    base = plot + 20
    body = [f'<line class="axis" x1="{left}" y1="{base}" x2="{_WIDTH - 10}" y2="{base}"/>']
    for index, (label, count) in enumerate(bins):
        x = left + index * width
        bar = plot * count / tallest
        body.append(
            f'<rect class="bar-points" x="{x + 2:.1f}" y="{base - bar:.1f}" '
            f'width="{width - 4:.1f}" height="{bar:.1f}"/>'
        )
        middle = x + width / 2
        if count:
            body.append(_centred(middle, base - 4 - bar, str(count)))
        body.append(_centred(middle, base + 14, label))
    caption = f"points earned (of {report.problem.max_points:g}); bars count submissions"
    body.append(f'<text x="{left}" y="{height - 4}">{_text(caption)}</text>')
    return _svg("points", "Points histogram of the class", height, body)


def _ran(report: Report) -> dict[str, list[CaseResult]]:
    """Each case's results across submissions, the cases not run left out."""
    ran: dict[str, list[CaseResult]] = {case.name: [] for case in report.problem.tests}
    for result in report.submissions:
        for case in result.cases:
            if case.verdict is not Verdict.SKIPPED and case.name in ran:
                ran[case.name].append(case)
    return ran


def pass_rate_chart(report: Report) -> Markup:
    """Per case, the share of the submissions that ran it and got AC: which cases are hard."""
    body = []
    for row, (name, cases) in enumerate(_ran(report).items()):
        y = _TOP + row * _ROW
        passed = sum(1 for case in cases if case.verdict is Verdict.AC)
        share = passed / len(cases) if cases else 0.0
        body += [
            _row_label(y, name),
            _bar(_LABEL, y, _BARS, "bar-track"),
            _bar(_LABEL, y, _BARS * share, "bar-AC"),
            _value(y, f"{passed}/{len(cases)} AC ({share:.0%})" if cases else "not run"),
        ]
    height = _TOP * 2 + _ROW * max(len(report.problem.tests), 1)
    return _svg("pass-rate", "Per case: share of submissions accepted", height, body)


def _vertical(css: str, x: float, top: float, bottom: float) -> str:
    return f'<line class="{css}" x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}"/>'


def _usage_row(
    y: int, name: str, values: list[float], limit: float, show: Callable[[float], str]
) -> list[str]:
    scale = _BARS / _SHOWN_OVER
    row = [_row_label(y, name)]
    if not values:
        return [*row, _value(y, "not run")]
    top, middle = max(values), statistics.median(values)
    over = "bar-over" if top > limit else "bar-usage"
    row.append(_bar(_LABEL, y, min(top / limit, _SHOWN_OVER) * scale, over))
    tick = _LABEL + min(middle / limit, _SHOWN_OVER) * scale
    row.append(_vertical("median", tick, y + 1, y + _ROW - 1))
    return [*row, _value(y, f"median {show(middle)}, max {show(top)} / {show(limit)}")]


def usage_chart(report: Report, measure: str) -> Markup:
    """Per case, CPU time (``measure`` "cpu") or peak memory ("memory") of the
    submissions that ran it against the case's limit: the bar reaches the largest, a tick
    marks the median, the dashed line is the limit."""
    limits = case_limits(report.problem)
    cpu = measure == "cpu"
    body = []
    for row, (name, cases) in enumerate(_ran(report).items()):
        limit: Limits = limits[name]
        found = [c.cpu_time if cpu else c.memory for c in cases]
        values = [float(v) for v in found if v is not None]
        bound = limit.time if cpu else float(limit.memory)
        show = seconds if cpu else (lambda v: mebibytes(int(v)))
        body += _usage_row(_TOP + row * _ROW, name, values, bound, show)
    rows = max(len(report.problem.tests), 1)
    x = _LABEL + _BARS / _SHOWN_OVER
    body.append(_vertical("limit", x, 2, _TOP + rows * _ROW + 4))
    body.append(_centred(x, _TOP + rows * _ROW + 18, "limit"))
    title = f"Per case: {'CPU time' if cpu else 'peak memory'} against the limit"
    return _svg(f"{measure}", title, _TOP + rows * _ROW + 26, body)


def chart_set(report: Report) -> dict[str, Markup]:
    """Every chart of the report, by a key the template uses."""
    return {
        "verdicts": verdict_chart(report),
        "points": points_chart(report),
        "pass_rate": pass_rate_chart(report),
        "cpu": usage_chart(report, "cpu"),
        "memory": usage_chart(report, "memory"),
    }

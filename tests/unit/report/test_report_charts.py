"""Inline SVG charts of the HTML report: the numbers they draw, escaping, and a size that
grows with the cases, not the submissions. (That Chromium paints them is checked in
test_report_browser.)"""

from __future__ import annotations

import re
from dataclasses import replace

from markupsafe import Markup
from test_report_samples import SCRIPT, every_verdict_report, large_report, problem

from grader.report.charts import (
    chart_set,
    pass_rate_chart,
    points_chart,
    usage_chart,
    verdict_chart,
)
from grader.report.html import render_html


def texts(svg: str) -> list[str]:
    """The text the chart writes out, element by element (tooltips left out)."""
    without_titles = re.sub(r"<title>.*?</title>", "", svg)
    return re.findall(r"<text[^>]*>([^<]*)</text>", without_titles)


def test_the_verdict_chart_has_a_bar_per_verdict_present_with_its_count() -> None:
    svg = verdict_chart(every_verdict_report())
    bars = re.findall(r'class="bar-(\w+)"', svg)
    assert bars == ["AC", "WA", "TLE", "MLE", "RTE", "OLE", "CE", "IE"]
    assert texts(svg)[:2] == ["AC", "2 (17%)"]


def test_the_points_histogram_has_a_bar_per_points_value() -> None:
    svg = points_chart(every_verdict_report())  # worth 3 points
    labels = texts(svg)
    assert labels[:-1] == ["2", "0", "1", "1", "7", "2", "2", "3"]  # count above label


def test_whole_points_given_as_integers_are_binned_by_value() -> None:
    report = every_verdict_report()
    tests = tuple(replace(case, points=1) for case in report.problem.tests)  # YAML ints
    svg = points_chart(replace(report, problem=replace(report.problem, tests=tests)))
    assert texts(svg)[-1] == "points earned (of 3); bars count submissions"


def test_a_problem_worth_many_points_gets_ten_score_bins() -> None:
    report = large_report(submissions=30, cases=25)  # worth 25 points
    labels = texts(points_chart(report))
    assert [label for label in labels if label.endswith("%")] == [
        f"{n}%" for n in range(0, 100, 10)
    ]


def test_the_pass_rate_counts_only_submissions_that_ran_the_case() -> None:
    svg = pass_rate_chart(every_verdict_report())
    assert texts(svg) == [
        "sample.1", "7/10 AC (70%)", "large", "7/10 AC (70%)", "edge/zero", "7/9 AC (78%)",
    ]  # fmt: skip


def test_cpu_usage_gives_median_and_max_against_the_case_limit() -> None:
    svg = usage_chart(every_verdict_report(), "cpu")
    assert "median 0.012 s, max 2.600 s / 2.500 s" in texts(svg)


def test_a_case_over_its_limit_is_drawn_red() -> None:
    svg = usage_chart(every_verdict_report(), "memory")
    assert "median 5.0 MiB, max 70.0 MiB / 64.0 MiB" in texts(svg)
    assert svg.count('class="bar-over"') == 1


def test_a_case_nobody_ran_says_so() -> None:
    report = every_verdict_report()
    graded = tuple(r for r in report.submissions if r.verdict.value in ("CE", "IE"))[:2]
    svg = usage_chart(replace(report, submissions=graded), "cpu")
    assert texts(svg).count("not run") == 3


def test_case_names_are_escaped_and_shortened() -> None:
    name = f"x{SCRIPT}" * 2
    report = replace(every_verdict_report(), problem=problem((name,)), submissions=())
    svg = pass_rate_chart(report)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert texts(svg)[0] == "x&lt;script&gt;alert(1)\u2026"  # 18 characters


def test_charts_hold_no_script_and_no_link() -> None:
    for svg in chart_set(every_verdict_report()).values():
        assert isinstance(svg, Markup)
        assert "<script" not in svg and "href" not in svg and "url(" not in svg


def test_the_charts_do_not_grow_with_the_class() -> None:
    small = sum(len(svg) for svg in chart_set(large_report(50, 20)).values())
    big = sum(len(svg) for svg in chart_set(large_report(500, 20)).values())
    assert big < small * 1.05


def test_the_html_report_shows_all_five_charts() -> None:
    page = render_html(every_verdict_report())
    section = page[
        page.index('<section id="charts">') : page.index("</section>", page.index('id="charts"'))
    ]
    kinds = re.findall(r'<svg class="chart chart-([\w-]+)"', section)
    assert kinds == ["verdicts", "points", "pass-rate", "cpu", "memory"]

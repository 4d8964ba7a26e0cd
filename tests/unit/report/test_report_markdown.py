"""The Markdown summary, parsed as GitHub-flavoured Markdown (markdown-it-py with tables,
strikethrough and linkify): one table row per submission, totals by verdict, a link to the
HTML report, and program output that stays text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from test_report_samples import (
    BLIND_HOST,
    HOSTILE,
    V2_HOST,
    every_verdict_report,
    failed,
    submission,
)

from grader.model import Verdict
from grader.report.markdown import html_link, inline, render_markdown

HEADER = ["submission", "language", "verdict", "points", "CPU", "memory", "first failure"]
# What a submission could print to take over a job summary or ping people.
INJECTION = (
    "| x | y |\n# Heading\n<img src=x onerror=alert(1)> **bold** [click](https://evil.example)"
    " ![i](https://evil.example/i.png) @octocat @org/team https://evil.example www.evil.example"
    " `code` ~~gone~~ <!-- c --> &amp; \\| trailing\\"
)


def gfm() -> MarkdownIt:
    return MarkdownIt("gfm-like")  # CommonMark + tables, strikethrough, linkify, raw HTML


def table(text: str) -> list[list[str]]:
    """The rows of the first table of ``text`` (header first), each a list of cell texts."""
    tokens = gfm().parse(text)
    start = next(i for i, t in enumerate(tokens) if t.type == "table_open")
    rows: list[list[str]] = []
    for token in tokens[start:]:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            rows[-1].append(_text(token))
        elif token.type == "table_close":
            return rows
    raise AssertionError("the table never closes")


def _text(token: Token) -> str:
    return "".join(child.content for child in token.children or () if child.type == "text")


def _cell_token_types(text: str) -> set[str]:
    """The kinds of inline token in the table cells of ``text``: what the text became."""
    tokens = gfm().parse(text)
    start = next(i for i, t in enumerate(tokens) if t.type == "table_open")
    end = next(i for i, t in enumerate(tokens) if t.type == "table_close")
    return {child.type for token in tokens[start:end] for child in token.children or ()}


def injected_report() -> str:
    bad = failed("large", Verdict.WA, INJECTION)
    result = submission(f"@octocat|{INJECTION}", Verdict.WA, (bad,))
    return render_markdown(replace(every_verdict_report(), submissions=(result,)))


def test_every_submission_is_one_table_row_of_seven_cells() -> None:
    report = every_verdict_report()
    rows = table(render_markdown(report))
    assert rows[0] == HEADER
    assert len(rows) == 1 + len(report.submissions)
    assert all(len(row) == len(HEADER) for row in rows)


def test_a_row_gives_verdict_points_cpu_and_peak_memory() -> None:
    alice = table(render_markdown(every_verdict_report()))[1]
    assert alice[:6] == ["alice", "python", "AC", "3/3", "1.259 s", "5.0 MiB"]
    assert alice[6] == ""


def test_the_first_failing_case_and_its_message_are_shown() -> None:
    carol = table(render_markdown(every_verdict_report()))[3]
    assert carol[6] == "large (TLE): CPU time over the 2.5 s limit"


def test_a_ce_submission_shows_its_own_verdict_on_its_first_case() -> None:
    grace = table(render_markdown(every_verdict_report()))[7]
    assert grace[2] == "CE" and grace[6] == "sample.1 (CE): compilation failed"


def test_totals_count_submissions_by_verdict() -> None:
    text = render_markdown(every_verdict_report())
    assert "2/12 accepted" in text
    assert "(AC 2, WA 2, TLE 1, MLE 1, RTE 2, OLE 1, CE 1, IE 2)" in text


def test_long_messages_are_cut_to_one_short_line() -> None:
    message = "x" * 500 + "\n" + "y" * 500
    result = submission("zed", Verdict.WA, (failed("large", Verdict.WA, message),))
    row = table(render_markdown(replace(every_verdict_report(), submissions=(result,))))[1]
    assert row[6] == "large (WA): " + "x" * 79 + "\u2026"


def test_injected_markup_stays_text_in_one_cell() -> None:
    rows = table(injected_report())
    assert len(rows) == 2 and len(rows[1]) == len(HEADER)
    assert "onerror" in rows[1][6] and "**bold**" in rows[1][6]


def test_injected_markup_makes_no_html_links_images_or_headings() -> None:
    assert _cell_token_types(injected_report()) == {"text"}


def test_the_heading_names_the_problem_as_written() -> None:
    tokens = gfm().parse(render_markdown(every_verdict_report()))
    assert tokens[1].type == "inline" and _text(tokens[1]) == "grader: A + B (sum.v2)"


def test_the_only_heading_is_graders_own() -> None:
    headings = [t for t in gfm().parse(injected_report()) if t.type == "heading_open"]
    assert [t.tag for t in headings] == ["h2"]


def test_mentions_are_broken_by_a_zero_width_space() -> None:
    text = gfm().render(injected_report())
    assert "@octocat" not in text and "@org" not in text
    assert "@\u200boctocat" in text


def test_the_escaping_of_hostile_bytes_keeps_them_visible() -> None:
    assert inline("NUL\x00 ESC\x1b") == "NUL\\\\x00 ESC\\\\x1b"
    assert "\\\\x00" in inline(HOSTILE)


def test_the_html_report_is_linked_relative_to_the_summary() -> None:
    assert html_link("reports/sum.html", "reports/summary.md") == "sum.html"
    assert html_link("out/sum.html", "-") == "out/sum.html"
    assert html_link(None, "summary.md") is None


def test_the_link_line_renders_as_a_link() -> None:
    text = render_markdown(every_verdict_report(), html="my report.html")
    tokens = gfm().parseInline(text.splitlines()[-1])[0].children or []
    link = next(t for t in tokens if t.type == "link_open")
    assert link.attrs["href"] == "my%20report.html"


def test_a_student_view_says_so() -> None:
    report = replace(every_verdict_report(), student=True)
    assert "Student view" in render_markdown(report)


@pytest.mark.parametrize("interrupted", [True, False])
def test_an_interrupted_run_says_so(interrupted: bool) -> None:
    report = replace(every_verdict_report(), complete=not interrupted)
    assert ("Interrupted" in render_markdown(report)) is interrupted


def test_the_summary_file_links_the_html_report_next_to_it(tmp_path: Path) -> None:
    from grader.report import write_reports

    targets = {"markdown": str(tmp_path / "s.md"), "html": str(tmp_path / "r.html")}
    write_reports(every_verdict_report(), targets)
    assert "(<r.html>)" in (tmp_path / "s.md").read_text(encoding="utf-8")


def test_a_host_that_cannot_enforce_a_limit_is_a_warning_at_the_top() -> None:
    text = render_markdown(replace(every_verdict_report(), environment=BLIND_HOST))
    assert "grader cannot enforce or detect" in text.split("| submission |")[0]


def test_a_host_that_enforces_everything_adds_no_warning() -> None:
    text = render_markdown(replace(every_verdict_report(), environment=V2_HOST))
    assert "cannot enforce" not in text

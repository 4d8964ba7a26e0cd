"""HTML report: one self-contained page, readable without JavaScript, escaping whatever a
submission printed."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_report_samples import SCRIPT, every_verdict_report, large_report

from grader.environment import Enforcement, HostEnvironment
from grader.model import Verdict
from grader.report.html import render_html, write_html

VOID = {"meta", "input", "br", "hr", "img", "link", "wbr", "col", "source"}


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(every_verdict_report())


def _section(page: str, start: str, end: str = "</table>") -> str:
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.errors.append(tag)


def test_the_page_references_nothing_outside_itself(page: str) -> None:
    external = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:|//)""", re.I)
    assert not external.search(page)
    assert "@import" not in page and "url(" not in page
    assert not re.search(r"<(?:link|img|iframe|object|embed)\b", page, re.I)
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', page))


def test_a_script_in_a_message_appears_as_text(page: str) -> None:
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 1  # the page's own filter script


def test_forbidden_characters_are_shown_escaped(page: str) -> None:
    assert "NUL\\x00 BEL\\x07" in page and "raw\\xff" in page
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page)


def test_tags_are_balanced(page: str) -> None:
    parser = _Balance()
    parser.feed(page)
    assert parser.errors == [] and parser.open == []


def test_every_verdict_appears_in_the_matrix(page: str) -> None:
    matrix = _section(page, '<table class="matrix">')
    for verdict in Verdict:
        assert f'class="v v-{verdict}"' in matrix


def test_the_summary_counts_submissions_per_verdict(page: str) -> None:
    report = every_verdict_report()
    counts = Counter(result.verdict for result in report.submissions)
    row = _section(page, "<tr><th>submissions</th>", "</tr>")
    cells = re.findall(r"<td>(\d+)</td>", row)
    assert cells == [str(counts[v]) for v in Verdict] + [str(len(report.submissions))]


def test_the_matrix_has_one_row_per_submission_and_one_column_per_case(page: str) -> None:
    matrix = _section(page, '<table class="matrix">')
    rows = re.findall(r"<tr data-verdict=.*?</tr>", matrix)
    assert len(rows) == len(every_verdict_report().submissions)
    assert all(row.count('title="') == 3 for row in rows)


def test_without_javascript_details_hold_every_submission(page: str) -> None:
    submissions = every_verdict_report().submissions
    assert page.count("<details ") == len(submissions)
    assert page.count("<summary>") == len(submissions)
    assert '<form id="filters" hidden>' in page  # the script reveals the filters


def test_the_filters_offer_the_verdicts_present_and_a_search(page: str) -> None:
    boxes = re.findall(r'name="verdict" value="(\w+)"', page)
    assert set(boxes) == {r.verdict.value for r in every_verdict_report().submissions}
    assert 'type="search"' in page


def test_a_case_shows_times_and_memory_against_its_limits(page: str) -> None:
    bob = _section(page, 'id="s2"', "</details>")
    assert "0.250 s / 2.5 s" in bob and "0.300 s / 6 s" in bob and "6.0 MiB / 256 MiB" in bob


def test_a_measurement_over_its_limit_is_marked(page: str) -> None:
    dave = _section(page, 'id="s4"', "</details>")
    assert '<td class="over">70.0 MiB / 64 MiB</td>' in dave


def test_a_case_shows_the_signal_that_killed_it(page: str) -> None:
    eve = _section(page, 'id="s5"', "</details>")
    assert "killed by SIGSEGV" in eve


def test_a_ce_submission_shows_its_compile_log(page: str) -> None:
    grace = _section(page, 'id="s7"', "</details>")
    assert "Compile log" in grace and "error: expected &#39;;&#39;" in grace


def test_an_interrupted_run_says_so() -> None:
    page = render_html(replace(every_verdict_report(), complete=False))
    assert "Interrupted" in page


def test_a_large_class_renders_to_a_sane_size() -> None:
    submissions, cases = 200, 50
    page = render_html(large_report(submissions, cases))
    assert page.count("<details ") == submissions
    assert len(page.encode()) < 300 * submissions * cases  # 3 MB for 200 x 50


def test_write_html_writes_one_file(tmp_path: Path) -> None:
    path = tmp_path / "out" / "report.html"
    write_html(every_verdict_report(), path)
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


FULL = Enforcement(cgroup_version=2, tree_cpu=True, oom_kills=True, memory="peak")


def test_the_header_names_the_host_graded_on() -> None:
    host = HostEnvironment("6.1.0-28-amd64", "20.10.24", "runc 1.1.5", "2", FULL)
    page = render_html(replace(every_verdict_report(), environment=host))
    assert "cgroup v2, kernel 6.1.0-28-amd64, Docker 20.10.24, runtime runc 1.1.5" in page
    assert 'id="cannot-enforce"' not in page


def test_the_header_warns_of_what_could_not_be_enforced() -> None:
    blind = Enforcement(cgroup_version=None, tree_cpu=False, oom_kills=True, memory=None)
    host = HostEnvironment("6.1.0", "27.0", "crun", "", blind)
    page = render_html(replace(every_verdict_report(), environment=host))
    warning = re.search(r'<p class="warning" id="cannot-enforce">([^<]*)</p>', page)
    assert warning and "CPU time of child" in warning.group(1)

"""``grader similar``: a copy with renamed names or reordered functions stands out from
honestly different solutions; starter code given with --template is not counted; the
side-by-side page escapes code; the real CLI lists the pairs and exits 0."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from paths import TESTS

from grader.report.similar import Pair, Source, compare, sources
from grader.report.similarity import render_similarity_html, similarity_lines
from grader.submissions import discover
from grader.submissions.languages import load_languages

DATA = TESTS / "data"
SUBMISSIONS = DATA / "similar"  # original, renamed and reordered copies; sieve, functional
STARTER = DATA / "similar_starter.py"  # read_numbers(), which every submission holds
COPIES = {("original", "renamed"), ("original", "reordered"), ("renamed", "reordered")}


def similarity(templates: tuple[Path, ...] = ()) -> dict[tuple[str, str], float]:
    found, _ = sources(discover([SUBMISSIONS], load_languages()))
    return {(p.a.id, p.b.id): p.similarity for p in compare(found, templates)}


@pytest.fixture(scope="module")
def scores() -> dict[tuple[str, str], float]:
    return similarity()


@pytest.mark.parametrize("pair", [("original", "renamed")], ids=["renamed-names"])
def test_a_copy_with_renamed_names_is_found(
    scores: dict[tuple[str, str], float], pair: tuple[str, str]
) -> None:
    assert scores[pair] >= 0.9


def test_a_copy_with_reordered_functions_is_found(scores: dict[tuple[str, str], float]) -> None:
    assert scores[("original", "reordered")] >= 0.9


def test_honestly_different_solutions_stay_well_below(
    scores: dict[tuple[str, str], float],
) -> None:
    honest = {pair: score for pair, score in scores.items() if pair not in COPIES}
    assert len(honest) == 7 and max(honest.values()) < 0.5


def test_starter_code_given_as_template_is_not_counted() -> None:
    honest = {p: s for p, s in similarity((STARTER,)).items() if p not in COPIES}
    assert max(honest.values()) < 0.15


def test_a_template_does_not_hide_a_copy() -> None:
    assert similarity((STARTER,))[("original", "renamed")] >= 0.9


def test_pairs_come_most_similar_first() -> None:
    found, _ = sources(discover([SUBMISSIONS], load_languages()))
    values = [pair.similarity for pair in compare(found)]
    assert values == sorted(values, reverse=True)


def _marked(text: str, regions: tuple[tuple[int, int], ...], line: str) -> bool:
    at = text.index(line)
    return any(start <= at and at + len(line) <= end for start, end in regions)


def test_the_shared_regions_mark_the_same_code_on_both_sides() -> None:
    found, _ = sources(discover([SUBMISSIONS], load_languages()))
    pair = next(p for p in compare(found) if (p.a.id, p.b.id) == ("original", "reordered"))
    line = "buckets[key] = buckets.get(key, 0) + 1"
    assert _marked(pair.a.text, pair.regions_a, line)
    assert _marked(pair.b.text, pair.regions_b, line)


def test_code_only_one_side_has_is_not_marked() -> None:
    found, _ = sources(discover([SUBMISSIONS], load_languages()))
    pair = next(p for p in compare(found) if (p.a.id, p.b.id) == ("functional", "sieve"))
    assert not _marked(pair.a.text, pair.regions_a, "from itertools import groupby")


def test_a_submission_that_cannot_be_read_is_left_out_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("print(1)\n")
    (tmp_path / "b.cobol").write_text("DISPLAY 1.\n")
    found, skipped = sources(discover([tmp_path], load_languages()))
    assert [source.id for source in found] == ["a"]
    assert len(skipped) == 1 and skipped[0].startswith("b: left out")


def _pair(text: str) -> Pair:
    a, b = Source("<b>a</b>", "a.py", text), Source("b", "b.py", text)
    return Pair(a, b, 1.0, 1.0, ((0, len(text)),), ((0, len(text)),))


def test_the_page_escapes_code_and_ids() -> None:
    page = render_similarity_html([_pair("print('<script>alert(1)</script>')\n")], 0.8, 2)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>a</b>" not in page and "<mark>" in page


def test_the_page_references_nothing_outside_itself() -> None:
    page = render_similarity_html([_pair("x = 1\n")], 0.8, 2)
    assert not re.search(r"(src|href)=\"(?!#)", page) and "<script" not in page


def test_the_lines_say_the_result_is_advisory() -> None:
    lines = similarity_lines([_pair("x = 1\n")], 0.8, 2)
    assert lines[0].startswith("1.00  <b>a</b>  b") and "advisory" in lines[-1]


def test_the_cli_lists_the_copies_and_writes_the_page(tmp_path: Path) -> None:
    page = tmp_path / "similar.html"
    command = [sys.executable, "-m", "grader", "similar", str(SUBMISSIONS), "--html", str(page)]
    done = subprocess.run(
        [*command, "--template", str(STARTER)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    listed = {tuple(line.split()[1:3]) for line in done.stdout.splitlines()[:-1]}
    assert listed == COPIES
    assert page.read_text(encoding="utf-8").count('<section class="pair"') == 3


def test_the_scores_do_not_depend_on_the_process_hash_seed() -> None:
    script = (
        "from pathlib import Path; from grader.report.similar import sources, compare;"
        "from grader.submissions import discover;"
        "from grader.submissions.languages import load_languages;"
        f"found, _ = sources(discover([Path({str(SUBMISSIONS)!r})], load_languages()));"
        "print([round(p.similarity, 9) for p in compare(found)])"
    )

    def scores(seed: str) -> str:
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        return done.stdout

    assert scores("1") == scores("2")

"""``grader new``: a problem folder that ``grader check`` accepts, cases from example
pairs, a stub in each language that passes the starter case, and clear refusals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from grader.cli import cli
from grader.errors import UsageError
from grader.problem.grader_format import load_problem
from grader.problem.scaffold import STUBS, scaffold


def examples(folder: Path, **pairs: tuple[str, str]) -> Path:
    folder.mkdir()
    for name, (given, answer) in pairs.items():
        (folder / f"{name}.in").write_text(given)
        (folder / f"{name}.ans").write_text(answer)
    return folder


def test_new_then_check_passes(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(cli, ["new", str(tmp_path / "echo-1")])
    assert made.exit_code == 0, made.output
    checked = runner.invoke(cli, ["check", str(tmp_path / "echo-1")])
    assert checked.exit_code == 0 and checked.output.endswith(": OK\n")


def test_the_layout_holds_tests_and_an_accepted_stub(tmp_path: Path) -> None:
    stub = scaffold(tmp_path / "p", "java")
    assert (tmp_path / "p" / "tests").is_dir()
    assert stub == tmp_path / "p" / "submissions" / "accepted" / "solution.java"


def test_without_examples_there_is_one_visible_echo_case(tmp_path: Path) -> None:
    scaffold(tmp_path / "p")
    (case,) = load_problem(tmp_path / "p").tests
    assert (case.name, case.stdin, case.expected, case.visible) == (
        "echo",
        b"hello\n",
        b"hello\n",
        True,
    )


def test_the_yaml_shows_the_defaults_in_comments(tmp_path: Path) -> None:
    scaffold(tmp_path / "p")
    text = (tmp_path / "p" / "problem.yaml").read_text()
    assert "memory: 128      # MiB per case" in text and "# wall: 3" in text


def test_example_pairs_become_cases_samples_first_and_visible(tmp_path: Path) -> None:
    given = examples(tmp_path / "ex", big=("5 5\n", "10\n"), sample1=("1 2\n", "3\n"))
    scaffold(tmp_path / "p", examples_dir=given)
    tests = load_problem(tmp_path / "p").tests
    assert [(t.name, t.visible, t.stdin, t.expected) for t in tests] == [
        ("sample1", True, b"1 2\n", b"3\n"),
        ("big", False, b"5 5\n", b"10\n"),
    ]
    assert (tmp_path / "p" / "tests" / "big.ans").read_text() == "10\n"


def test_a_problem_named_like_a_number_stays_a_name(tmp_path: Path) -> None:
    scaffold(tmp_path / "1e5")
    assert load_problem(tmp_path / "1e5").name == "1e5"


def test_an_input_without_its_answer_is_refused(tmp_path: Path) -> None:
    given = examples(tmp_path / "ex", a=("1\n", "1\n"))
    (given / "b.in").write_text("2\n")
    with pytest.raises(UsageError, match=r"b\.in: no b\.ans beside it"):
        scaffold(tmp_path / "p", examples_dir=given)
    assert not (tmp_path / "p").exists()


def test_an_examples_folder_without_pairs_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ex").mkdir()
    with pytest.raises(UsageError, match=r"no NAME\.in / NAME\.ans pairs"):
        scaffold(tmp_path / "p", examples_dir=tmp_path / "ex")


def test_a_folder_that_is_not_empty_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "notes.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["new", str(tmp_path / "p")])
    assert isinstance(result.exception, UsageError)
    assert [f.name for f in (tmp_path / "p").iterdir()] == ["notes.txt"]


def test_a_folder_name_that_is_not_a_problem_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="folder name needs"):
        scaffold(tmp_path / "my problem")


def test_every_stub_passes_the_starter_case(docker_client: Any, tmp_path: Path) -> None:
    scaffold(tmp_path / "p")
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for language in STUBS:
        scaffold(tmp_path / language, language)
        stub = next((tmp_path / language / "submissions" / "accepted").iterdir())
        (stubs / f"{language}_{stub.name}").write_bytes(stub.read_bytes())
    command = [sys.executable, "-m", "grader", "run", str(tmp_path / "p"), str(stubs)]
    options = ["--json", str(tmp_path / "r.json"), "--cache-dir", str(tmp_path / "cache")]
    done = subprocess.run([*command, *options], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr

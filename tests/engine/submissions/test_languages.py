"""Every language: argv templates and the runtime memory allowance (against a scripted
sandbox), then against a real engine: the examples in problems/sum/submissions/ earn the
verdict of their folder, every image passes its echo self-test, compile limits end a
compiler bomb as CE, and Java's memory policy makes a 64 MiB problem solvable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from classfiles import class_file
from click.testing import CliRunner
from filed import expected_verdict, filed_submissions
from paths import ROOT

from grader.cli import cli
from grader.judging.batch import grade_all
from grader.judging.judge import SUPERVISOR_ALLOWANCE, Judge
from grader.model import (
    MIB,
    CheckerSpec,
    Limits,
    Problem,
    ProgramFile,
    Report,
    RunResult,
    Submission,
    SubmissionResult,
    TestCase,
    Verdict,
)
from grader.problem.grader_format import load_problem
from grader.sandbox.base import RunSpec
from grader.sandbox.docker import DockerSandbox
from grader.sandbox.fake import FakeSandbox, ok_run
from grader.sandbox.images import Images
from grader.submissions import discover
from grader.submissions.languages import load_languages
from grader.verify.selftest import self_test

SUM = ROOT / "problems" / "sum"
FILED = filed_submissions(SUM)
LANGUAGES = load_languages()
# The rows an extension selects (PyPy shares .py with CPython: chosen with --language).
BY_EXTENSION = {
    lang.key
    for lang in LANGUAGES
    if any(LANGUAGES.for_file(f"x.{e}") is lang for e in lang.extensions)
}
COMPILED = sorted(lang.key for lang in LANGUAGES if lang.compile is not None)


# ---- against a scripted sandbox --------------------------------------------------------


def _problem(*memories_mib: int) -> Problem:
    cases = tuple(TestCase(f"c{m}", b"1 2\n", b"3\n", Limits(memory=m * MIB)) for m in memories_mib)
    return Problem("p", "P", Path("."), cases[0].limits, CheckerSpec(), cases)


def _submission(key: str, *names: str) -> Submission:
    files = tuple(ProgramFile(name, b"source") for name in names)
    return Submission("s", Path(names[0]), LANGUAGES.get(key), files, names[0])


def _compiled(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
    """What a compiler makes: a binary, or for javac a class that declares main."""
    made = (ProgramFile("main", b"binary", 0o755),) if spec.argv[0] != "./main" else ()
    if spec.argv[-1].endswith(".java"):
        made = (ProgramFile("Main.class", class_file("Main")),)
    return replace(ok_run(b"3\n"), files=made)


def _scripted(problem: Problem, peak: int = 8 * MIB) -> tuple[Judge, FakeSandbox]:
    def script(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        return replace(_compiled(spec, program), memory_peak=peak)

    sandbox = FakeSandbox(script)
    tags = {lang.image: f"grader-{lang.image}:test" for lang in LANGUAGES}
    return Judge(sandbox, problem, tags), sandbox


def test_memory_mb_in_the_run_argv_is_each_cases_limit() -> None:
    judge, sandbox = _scripted(_problem(64, 256))
    judge.judge(_submission("java", "Main.java"))
    runs = sandbox.boxes[-1].runs
    assert [r.argv[1] for r in runs] == ["-Xmx64m", "-Xmx256m"]


def test_sources_are_every_file_of_the_language_and_no_other() -> None:
    judge, sandbox = _scripted(_problem(64))
    judge.judge(_submission("c", "main.c", "add.c", "add.h", "notes.txt"))
    argv = sandbox.boxes[0].runs[0].argv
    assert "main.c" in argv and "add.c" in argv
    assert "add.h" not in argv and "notes.txt" not in argv


def test_runtime_allowance_raises_the_container_cap() -> None:
    judge, sandbox = _scripted(_problem(64))
    judge.judge(_submission("java", "Main.java"))
    allowance = LANGUAGES.get("java").memory_allowance
    assert allowance > 0
    assert sandbox.boxes[-1].spec.memory == 64 * MIB + SUPERVISOR_ALLOWANCE + allowance


def test_java_peak_within_limit_plus_allowance_is_accepted_and_reported() -> None:
    judge, _ = _scripted(_problem(64), peak=100 * MIB)
    result = judge.judge(_submission("java", "Main.java"))
    assert result.verdict is Verdict.AC and result.cases[0].memory == 100 * MIB


def test_java_peak_beyond_limit_plus_allowance_is_mle_naming_both() -> None:
    judge, _ = _scripted(_problem(64), peak=200 * MIB)
    result = judge.judge(_submission("java", "Main.java"))
    assert result.verdict is Verdict.MLE
    assert "64 MiB + 64 MiB runtime" in result.cases[0].message


def test_c_has_no_allowance_peak_over_the_limit_is_mle() -> None:
    judge, _ = _scripted(_problem(64), peak=65 * MIB)
    assert judge.judge(_submission("c", "main.c")).verdict is Verdict.MLE


# ---- against a real engine -------------------------------------------------------------


@pytest.fixture(scope="module")
def judge(docker_client: Any, image_tags: dict[str, str]) -> Judge:
    return Judge(DockerSandbox(docker_client), load_problem(SUM), image_tags)


@pytest.fixture(scope="module")
def report(judge: Judge) -> Report:
    return grade_all(judge, FILED, jobs=2)


def _grade(judge: Judge, path: Path) -> SubmissionResult:
    [submission] = discover([path], load_languages())
    return judge.judge(submission)


def _messages(result: SubmissionResult) -> list[str]:
    return [result.message, result.compile_log[-500:], *(c.message for c in result.cases)]


@pytest.mark.parametrize("submission", [s.id for s in FILED])
def test_example_earns_the_verdict_of_its_folder(report: Report, submission: str) -> None:
    result = next(r for r in report.submissions if r.id == submission)
    assert result.verdict is expected_verdict(submission), _messages(result)


def test_every_language_an_extension_selects_has_examples_of_each_verdict() -> None:
    by_folder: dict[str, set[str]] = {}
    for sub in FILED:
        if sub.language is not None:
            by_folder.setdefault(sub.id.split("/")[0], set()).add(sub.language.key)
    for folder in ("accepted", "wrong_answer", "time_limit_exceeded"):
        assert by_folder[folder] == BY_EXTENSION, folder
    assert by_folder["compile_error"] >= set(COMPILED) & BY_EXTENSION


def test_compile_error_keeps_the_compiler_output(report: Report) -> None:
    result = next(r for r in report.submissions if r.id == "compile_error/syntax_c")
    assert "error" in result.compile_log and "syntax_c.c:" in result.compile_log


def test_segfault_is_rte_naming_sigsegv(report: Report) -> None:
    result = next(r for r in report.submissions if r.id == "run_time_error/segfault_c")
    assert all("SIGSEGV" in case.message for case in result.cases)


def test_java_exception_is_rte_with_its_name(report: Report) -> None:
    result = next(r for r in report.submissions if r.id == "run_time_error/divide_java")
    assert "ArithmeticException" in result.cases[0].message


def test_include_bomb_ends_as_ce_by_the_compile_limits(judge: Judge) -> None:
    result = _grade(judge, SUM / "submissions" / "compile_error" / "include_bomb_c.c")
    assert result.verdict is Verdict.CE
    assert "[grader] memory over" in result.compile_log or "[grader] CPU" in result.compile_log


def test_java_public_class_in_a_differently_named_file_runs(report: Report) -> None:
    result = next(r for r in report.submissions if r.id == "accepted/sum_java")
    assert result.verdict is Verdict.AC, _messages(result)


def test_java_heap_of_40_mib_is_accepted_under_a_64_mib_limit(judge: Judge, tmp_path: Path) -> None:
    assert judge.problem.limits.memory == 64 * MIB
    source = tmp_path / "Hold.java"
    source.write_text(
        "import java.util.Scanner;\n"
        "public class Hold {\n"
        "  public static void main(String[] args) {\n"
        "    Scanner in = new Scanner(System.in);\n"
        "    long a = in.nextLong(), b = in.nextLong();\n"
        "    long[] kept = new long[5 << 20];  // 40 MiB of heap, every page touched\n"
        "    for (int i = 0; i < kept.length; i += 512) kept[i] = a + b;\n"
        "    System.out.println(kept[kept.length - 512]);\n"
        "  }\n"
        "}\n"
    )
    result = _grade(judge, source)
    assert result.verdict is Verdict.AC, _messages(result)
    peaks = [case.memory or 0 for case in result.cases]
    assert all(peak > 40 * MIB for peak in peaks), peaks  # the real peak, JVM included


def test_java_beyond_its_heap_is_not_accepted(judge: Judge, tmp_path: Path) -> None:
    source = tmp_path / "Main.java"
    source.write_text(
        "public class Main {\n"
        "  public static void main(String[] args) {\n"
        "    long[] hog = new long[16 << 20];  // 128 MiB: more than -Xmx64m\n"
        "    System.out.println(hog.length);\n"
        "  }\n"
        "}\n"
    )
    result = _grade(judge, source)
    assert result.verdict in (Verdict.RTE, Verdict.MLE)
    assert "OutOfMemoryError" in result.cases[0].message or result.verdict is Verdict.MLE


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "images").iterdir()))
def test_image_passes_its_echo_self_test(
    docker_client: Any, sandbox: Any, image_tags: dict[str, str], name: str
) -> None:
    image = Images(docker_client).get(name)
    if not (image.folder / "selftest").is_dir():
        pytest.skip(f"images/{name} has no selftest/ yet")
    result = self_test(sandbox, image, image_tags[name], load_languages())
    assert result.ok, result.detail
    assert result.version, "the version command printed nothing"


def test_images_test_command_prints_ok_and_the_version(image_tags: dict[str, str]) -> None:
    done = CliRunner().invoke(cli, ["images", "test", "c"])
    assert done.exit_code == 0, done.output
    assert done.output.split()[:2] == ["c", "OK"] and "gcc" in done.output


def test_images_list_shows_each_built_images_toolchain_version(image_tags: dict[str, str]) -> None:
    image_tags["c"], image_tags["java"]  # built if missing
    done = CliRunner().invoke(cli, ["images", "list"])
    rows = {line.split()[0]: line for line in done.output.splitlines()}
    assert done.exit_code == 0, done.output
    assert "built" in rows["c"] and "gcc" in rows["c"] and "openjdk" in rows["java"]


def test_images_list_without_versions_runs_nothing(image_tags: dict[str, str]) -> None:
    image_tags["c"]
    done = CliRunner().invoke(cli, ["images", "list", "--no-versions"])
    row = next(line for line in done.output.splitlines() if line.startswith("c "))
    assert row.split()[2:] == ["built"]

"""The judges' language conventions, on a real engine: submissions of each shape that
Kattis and DOMjudge accept (or refuse) get the same verdict here. Java runs the class that
declares main, whatever the file name, public or not, in a package; .c++ and .C are C++
with headers beside them; a Python syntax error is CE with the compiler's message and a
program that compiles never is; Kotlin, C# and PyPy (chosen with --language) run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from trees import write_tree

from grader.cli import cli
from grader.judging.judge import Judge
from grader.model import MIB, CheckerSpec, Limits, Problem, SubmissionResult, TestCase, Verdict
from grader.sandbox.docker import DockerSandbox
from grader.submissions import discover
from grader.submissions.languages import load_languages

LANGUAGES = load_languages()
LIMITS = Limits(time=5.0, wall=20.0, memory=256 * MIB)

JAVA_MAIN = """
import java.util.Scanner;

{head}class {name} {{
    public static void main(String[] args) {{
        Scanner in = new Scanner(System.in);
        System.out.println(in.nextLong() + in.nextLong());
    }}
}}
"""
CPP_SUM = (
    "#include <iostream>\n"
    'int main() { long long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; }\n'
)


@pytest.fixture(scope="module")
def judge(docker_client: Any, image_tags: dict[str, str]) -> Judge:
    case = TestCase("sum", b"1 2\n", b"3\n", LIMITS)
    problem = Problem("sum", "Sum", Path("."), LIMITS, CheckerSpec(), (case,))
    return Judge(DockerSandbox(docker_client), problem, image_tags)


def _grade(judge: Judge, path: Path, language: str | None = None) -> SubmissionResult:
    chosen = LANGUAGES.get(language) if language else None
    [submission] = discover([path], LANGUAGES, language=chosen)
    return judge.judge(submission)


def _why(result: SubmissionResult) -> list[str]:
    return [result.message, result.compile_log[-800:], *(c.message for c in result.cases)]


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# ---- Java ------------------------------------------------------------------------------


def test_java_class_main_that_is_not_public_in_test_hello_java_is_accepted(
    judge: Judge, tmp_path: Path
) -> None:
    source = _file(tmp_path, "test-hello.java", JAVA_MAIN.format(head="", name="Main"))
    result = _grade(judge, source)
    assert result.verdict is Verdict.AC, _why(result)


def test_java_public_class_in_a_package_is_accepted(judge: Judge, tmp_path: Path) -> None:
    text = JAVA_MAIN.format(head="public ", name="Hello").replace("import", "package foo;\nimport")
    result = _grade(judge, _file(tmp_path, "hello.java", text))
    assert result.verdict is Verdict.AC, _why(result)


def test_java_folder_runs_the_class_with_main_not_the_file_named_main(
    judge: Judge, tmp_path: Path
) -> None:
    folder = write_tree(
        tmp_path / "sub",
        {
            "Main.java": "public class Main { static int add(int a, int b) { return a + b; } }\n",
            "Solver.java": JAVA_MAIN.format(head="", name="Solver"),
        },
    )
    result = _grade(judge, folder)
    assert result.verdict is Verdict.AC, _why(result)


def test_java_comments_and_strings_naming_other_classes_do_not_mislead(
    judge: Judge, tmp_path: Path
) -> None:
    decoys = (
        "/* public class Decoy { public static void main(String[] a) {} } */\n"
        "// public class Other\n"
        'class Notes { String s = "public class Fake { static void main(String[] a) }"; }\n'
    )
    text = JAVA_MAIN.format(head=decoys + "public ", name="Real")
    result = _grade(judge, _file(tmp_path, "solution.java", text))
    assert result.verdict is Verdict.AC, _why(result)


def test_java_without_a_main_method_is_rte_as_on_domjudge(judge: Judge, tmp_path: Path) -> None:
    source = _file(tmp_path, "main.java", "public class main { int main() { return 0; } }\n")
    result = _grade(judge, source)
    assert result.verdict is Verdict.RTE, _why(result)
    assert "no class declares public static void main" in result.compile_log
    assert "Main method not found" in result.cases[0].message


def test_java_compile_errors_name_the_file_as_handed_in(judge: Judge, tmp_path: Path) -> None:
    text = "public class Sum { public static void main(String[] a) { int x = ; } }\n"
    result = _grade(judge, _file(tmp_path, "alice.java", text))
    assert result.verdict is Verdict.CE
    assert "alice.java:1: error" in result.compile_log, result.compile_log


# ---- C++ -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sum.c++", "sum.C", "sum.CPP"])
def test_cpp_extension_is_compiled_as_cpp_and_accepted(
    judge: Judge, tmp_path: Path, name: str
) -> None:
    result = _grade(judge, _file(tmp_path, name, CPP_SUM))
    assert (result.language, result.verdict) == ("cpp", Verdict.AC), _why(result)


def test_cpp_folder_with_a_header_compiles_the_header_with_the_source(
    judge: Judge, tmp_path: Path
) -> None:
    folder = write_tree(
        tmp_path / "sub",
        {
            "add.hpp": "#pragma once\n"
            "inline long long add(long long a, long long b) { return a + b; }\n",
            "main.c++": '#include <iostream>\n#include "add.hpp"\n'
            "int main() { long long a, b; std::cin >> a >> b; std::cout << add(a, b); }\n",
        },
    )
    result = _grade(judge, folder)
    assert result.verdict is Verdict.AC, _why(result)


# ---- Python ----------------------------------------------------------------------------


def test_python_syntax_error_is_ce_with_the_compilers_message(judge: Judge, tmp_path: Path) -> None:
    source = _file(tmp_path, "broken.py", "a, b = map(int, input().split()\nprint(a + b)\n")
    result = _grade(judge, source)
    assert result.verdict is Verdict.CE
    assert "SyntaxError" in result.compile_log and "broken.py" in result.compile_log
    assert all(case.verdict is Verdict.SKIPPED for case in result.cases)


def test_python_that_compiles_but_fails_to_import_is_rte_not_ce(
    judge: Judge, tmp_path: Path
) -> None:
    source = _file(tmp_path, "imports.py", "import no_such_module\n")
    result = _grade(judge, source)
    assert result.verdict is Verdict.RTE, _why(result)


def test_python_folder_with_a_helper_module_is_accepted(judge: Judge, tmp_path: Path) -> None:
    folder = write_tree(
        tmp_path / "sub",
        {
            "main.py": "from helper import add\nprint(add(*map(int, input().split())))\n",
            "helper.py": "def add(a, b):\n    return a + b\n",
        },
    )
    result = _grade(judge, folder)
    assert result.verdict is Verdict.AC, _why(result)


# ---- Kotlin, C#, PyPy -----------------------------------------------------------------


def test_kotlin_hello_is_accepted(judge: Judge, tmp_path: Path) -> None:
    text = (
        "fun main() {\n"
        '    val (a, b) = readLine()!!.trim().split(" ").map { it.toLong() }\n'
        "    println(a + b)\n"
        "}\n"
    )
    result = _grade(judge, _file(tmp_path, "hello.kt", text))
    assert (result.language, result.verdict) == ("kotlin", Verdict.AC), _why(result)


def test_kotlin_functions_newer_than_1_3_that_contest_programs_use_compile(
    judge: Judge, tmp_path: Path
) -> None:
    text = (
        "fun main() {\n"
        '    val (a, b) = readln().split(" ").map { it.toLong() }\n'
        "    check('7'.digitToInt() == 7 && 'a'.code == 97 && \"Ab\".lowercase() == \"ab\")\n"
        "    check(listOf(3, 1).maxOrNull() == 3 && readlnOrNull() == null)\n"
        "    println(a + b)\n"
        "}\n"
    )
    result = _grade(judge, _file(tmp_path, "modern.kt", text))
    assert result.verdict is Verdict.AC, _why(result)


def test_kotlin_programs_own_readln_wins_over_the_compat_one(judge: Judge, tmp_path: Path) -> None:
    text = (
        'private fun readln() = "40 2"\n'
        "fun main() {\n"
        '    val (a, b) = readln().split(" ").map { it.toLong() }\n'
        "    println(a + b - 39)\n"
        "}\n"
    )
    result = _grade(judge, _file(tmp_path, "own.kt", text))
    assert result.verdict is Verdict.AC, _why(result)


def test_csharp_hello_is_accepted(judge: Judge, tmp_path: Path) -> None:
    text = (
        "using System;\nclass Hello {\n  static void Main() {\n"
        "    var t = Console.ReadLine().Split(' ');\n"
        "    Console.WriteLine(long.Parse(t[0]) + long.Parse(t[1]));\n  }\n}\n"
    )
    result = _grade(judge, _file(tmp_path, "hello.cs", text))
    assert (result.language, result.verdict) == ("csharp", Verdict.AC), _why(result)


def test_pypy_chosen_with_language_runs_under_pypy_and_is_accepted(
    judge: Judge, tmp_path: Path
) -> None:
    text = (
        "import platform\n"
        "assert platform.python_implementation() == 'PyPy'\n"
        "print(sum(map(int, input().split())))\n"
    )
    result = _grade(judge, _file(tmp_path, "hello.py", text), language="pypy")
    assert (result.language, result.verdict) == ("pypy", Verdict.AC), _why(result)


def test_pypy_syntax_error_is_ce(judge: Judge, tmp_path: Path) -> None:
    result = _grade(judge, _file(tmp_path, "broken.py", "print(1\n"), language="pypy")
    assert result.verdict is Verdict.CE and "SyntaxError" in result.compile_log


def test_prefer_pypy_runs_python_files_under_pypy_and_others_as_usual(
    image_tags: dict[str, str], tmp_path: Path
) -> None:
    image_tags["pypy"], image_tags["c"]  # built if missing
    problem = write_tree(
        tmp_path / "problem",
        {"problem.yaml": 'tests:\n  - stdin: "1 2\\n"\n    expected_output: "3\\n"\n'},
    )
    subs = write_tree(
        tmp_path / "subs",
        {
            "py.py": "import platform\nprint(platform.python_implementation())\n",
            "c.c": '#include <stdio.h>\nint main(void) { puts("3"); return 0; }\n',
        },
    )
    report = tmp_path / "report.json"
    args = ["run", str(problem), str(subs), "--prefer", "pypy", "--json", str(report)]
    done = CliRunner().invoke(cli, [*args, "--cache-dir", str(tmp_path / "cache")])
    assert done.exit_code == 1, done.output  # the Python program prints PyPy, not 3
    results = {s["id"]: s for s in json.loads(report.read_text())["submissions"]}
    assert (results["c"]["language"], results["c"]["verdict"]) == ("c", "AC")
    assert results["py"]["language"] == "pypy"
    assert "PyPy" in json.dumps(results["py"]), results["py"]

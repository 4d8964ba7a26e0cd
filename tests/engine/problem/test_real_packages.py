"""Real package shapes, built in tmp_path, judged on the real engine by the real CLI: the
layouts public Kattis and DOMjudge packages use must verify unmodified (issue 12)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from grader.errors import ExitCode

HELLO_C = '#include <stdio.h>\nint main(void) { puts("Hello World!"); return 0; }\n'
HELLO_CC = '#include <iostream>\nint main() { std::cout << "Hello World!" << std::endl; }\n'
HELLO_PY = 'print("Hello World!")\n'
WRONG_PY = 'print("Hello world")\n'
SILENT_C = "int main(void) { return 0; }\n"
# A Kattis output validator in the usual template's shape: validate.cc includes validate.h.
VALIDATE_H = """#include <fstream>
#include <string>
inline bool same(const char *answer_file, std::istream &out) {
    std::ifstream answer(answer_file);
    std::string want, got;
    std::getline(answer, want);
    std::getline(out, got);
    return want == got;
}
"""
VALIDATE_CC = """#include <iostream>
#include "validate.h"
int main(int argc, char **argv) { return same(argv[2], std::cin) ? 42 : 43; }
"""


def package(root: Path, files: dict[str, str], yaml: str = "name: Hello World\n") -> Path:
    texts = {
        "problem.yaml": yaml,
        "data/sample/1.in": "",
        "data/sample/1.ans": "Hello World!\n",
        "data/secret/1.in": "",
        "data/secret/1.ans": "Hello World!\n",
        **files,
    }
    for name, text in texts.items():
        path = root / "hello" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "hello"


def grader(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "grader", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)


def verify(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = grader("verify", str(root), *args)
    assert done.returncode in (ExitCode.ALL_ACCEPTED, ExitCode.NOT_ALL_ACCEPTED), done.stderr
    return done


def test_one_stem_in_three_languages_verifies(docker_client: Any, tmp_path: Path) -> None:
    files = {
        "submissions/accepted/hello.c": HELLO_C,
        "submissions/accepted/hello.cc": HELLO_CC,
        "submissions/accepted/hello.py": HELLO_PY,
        "submissions/wrong_answer/hello.py": WRONG_PY,
    }
    done = verify(package(tmp_path, files, "name: Hello\nlimits: {time_limit: 2}\n"))
    assert done.returncode == ExitCode.ALL_ACCEPTED, done.stdout
    for id_ in ("accepted/hello.c", "accepted/hello.cc", "accepted/hello.py"):
        assert id_ in done.stdout


def test_a_validator_folder_with_a_header_is_one_program(
    docker_client: Any, tmp_path: Path
) -> None:
    files = {
        "output_validators/hello_validator/validate.cc": VALIDATE_CC,
        "output_validators/hello_validator/validate.h": VALIDATE_H,
        "submissions/accepted/hello.py": HELLO_PY,
        "submissions/wrong_answer/hello.py": WRONG_PY,
    }
    root = package(tmp_path, files, "name: Hello\nvalidation: custom\nlimits: {time_limit: 2}\n")
    done = verify(root)
    assert done.returncode == ExitCode.ALL_ACCEPTED, done.stdout + done.stderr


def test_an_unknown_key_warns_and_the_package_still_verifies(
    docker_client: Any, tmp_path: Path
) -> None:
    yaml = "name: Hello\nlibraries: ''\nlimits: {time_limit: 2}\n"
    done = verify(package(tmp_path, {"submissions/accepted/hello.py": HELLO_PY}, yaml))
    assert done.returncode == ExitCode.ALL_ACCEPTED
    assert "warning:" in done.stderr and "libraries: unknown key" in done.stderr


def test_domjudge_folders_annotations_and_extra_files(docker_client: Any, tmp_path: Path) -> None:
    files = {
        # an entry file of another name beside a file in no language: one program
        "submissions/accepted/extra-file-c/test-hello.c": HELLO_C,
        "submissions/accepted/extra-file-c/zz-random.txt": "not code\n",
        "submissions/no_output/silent.c": SILENT_C,
        # the annotation overrides the folder, and a folder of no verdict is judged by it
        "submissions/mixed/either.py": f"# @EXPECTED_RESULTS@: WRONG-ANSWER, CORRECT\n{WRONG_PY}",
        "submissions/accepted/annotated.py": f"# @EXPECTED_RESULTS@: WRONG-ANSWER\n{WRONG_PY}",
    }
    root = package(tmp_path, files)
    (root / "domjudge-problem.ini").write_text("timelimit='2'\n")
    done = verify(root)
    assert done.returncode == ExitCode.ALL_ACCEPTED, done.stdout
    assert "accepted/extra-file-c" in done.stdout and "mixed/either" in done.stdout


def test_a_language_with_no_runtime_is_skipped_not_failed(
    docker_client: Any, tmp_path: Path
) -> None:
    files = {
        "submissions/accepted/hello.py": HELLO_PY,
        "submissions/accepted/hello.hs": 'main = putStrLn "Hello World!"\n',
    }
    done = verify(package(tmp_path, files, "name: Hello\nlimits: {time_limit: 2}\n"))
    assert done.returncode == ExitCode.ALL_ACCEPTED, done.stdout
    assert "accepted/hello.hs" in done.stdout and "skip unsupported language (.hs)" in done.stdout


def test_running_out_of_memory_meets_run_time_error(docker_client: Any, tmp_path: Path) -> None:
    hog = "b = []\nwhile True:\n    b.append(bytearray(16 << 20))\n"
    files = {"submissions/accepted/hello.py": HELLO_PY, "submissions/run_time_error/hog.py": hog}
    yaml = "name: Hello\nlimits: {time_limit: 5, memory: 64}\n"
    done = verify(package(tmp_path, files, yaml))
    assert done.returncode == ExitCode.ALL_ACCEPTED, done.stdout
    assert "run_time_error/hog" in done.stdout and "MLE" in done.stdout


def test_the_time_limit_option_replaces_the_derived_one_and_says_so(
    docker_client: Any, tmp_path: Path
) -> None:
    root = package(tmp_path, {"submissions/accepted/hello.py": HELLO_PY})
    report = tmp_path / "report.json"
    done = grader(
        "run",
        str(root),
        str(root / "submissions"),
        "--time-limit",
        "3",
        "--json",
        str(report),
        "--no-cache",
    )
    assert done.returncode == ExitCode.ALL_ACCEPTED, done.stderr
    problem = json.loads(report.read_text())["problem"]
    assert problem["limits"]["time_s"] == 3.0 and problem["limits"]["wall_s"] == 7.0
    assert problem["limit_sources"]["time"] == "--time-limit"
    assert (
        problem["limit_sources"]["memory"] == "problemtools' default, 1024 MiB (no limits.memory)"
    )


def test_run_on_a_packages_submissions_gives_the_filed_verdicts(
    docker_client: Any, tmp_path: Path
) -> None:
    files = {
        "submissions/accepted/hello.c": HELLO_C,
        "submissions/accepted/hello.py": HELLO_PY,
        "submissions/accepted/extra-file-c/test-hello.c": HELLO_C,
        "submissions/accepted/extra-file-c/zz-random.txt": "not code\n",
    }
    root = package(tmp_path, files, "name: Hello\nlimits: {time_limit: 2}\n")
    report = tmp_path / "report.json"
    done = grader("run", str(root), str(root / "submissions"), "--json", str(report), "--no-cache")
    assert done.returncode == ExitCode.ALL_ACCEPTED, done.stdout + done.stderr
    verdicts = {s["id"]: s["verdict"] for s in json.loads(report.read_text())["submissions"]}
    assert verdicts == {
        "accepted/extra-file-c": "AC",
        "accepted/hello.c": "AC",
        "accepted/hello.py": "AC",
    }


@pytest.mark.parametrize("option", ["--memory-limit=lots", "--time-limit=0"])
def test_a_bad_limit_option_is_a_usage_error(tmp_path: Path, option: str) -> None:
    root = package(tmp_path, {"submissions/accepted/hello.py": HELLO_PY})
    done = grader("run", str(root), str(root / "submissions"), option)
    assert done.returncode == ExitCode.USAGE_ERROR and "limit" in done.stderr


FILL_C = """#include <stdio.h>
#include <stdlib.h>
int main(void) {  /* problemtools' hello/run_time_error/memory_limit.cc, in C */
    size_t n = (size_t)512 << 20;
    char *buf = malloc(n);
    buf[0] = 0;
    for (size_t i = 1; i < n; ++i) buf[i] = 23 * buf[i - 1] + 42;
    puts("Hello World!");
    return 0;
}
"""


def test_filling_memory_to_the_limit_is_mle_not_a_crawl_to_the_wall_limit(
    docker_client: Any, tmp_path: Path
) -> None:
    # problemtools' own example (hello's run_time_error/memory_limit.cc) has this shape. At
    # the container's cap the kernel reclaims instead of killing, and the run used to sit
    # there until the wall limit: TLE "waiting, not computing".
    files = {"submissions/run_time_error/fill.c": FILL_C}
    root = package(tmp_path, files, "name: Hello\nlimits: {time_limit: 5, memory: 512}\n")
    report = tmp_path / "report.json"
    done = grader("run", str(root), str(root / "submissions"), "--json", str(report), "--no-cache")
    assert done.returncode == ExitCode.NOT_ALL_ACCEPTED, done.stderr
    [result] = json.loads(report.read_text())["submissions"]
    assert [c["verdict"] for c in result["cases"]] == ["MLE", "MLE"]
    assert all(c["wall_time_s"] < 5 for c in result["cases"])

"""Per-run files (``RunSpec.files``) and the collected folder (``RunSpec.collect_dir``) with
a real engine: placed for one run only, never brought back, and only that folder's files
return, up to the cap."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

import pytest

from grader.model import MIB, ProgramFile, RunResult
from grader.sandbox.base import BoxSpec, RunSpec

pytestmark = pytest.mark.usefixtures("no_leaked_containers")


@pytest.fixture(scope="module")
def box(sandbox: Any, image_tags: dict[str, str]) -> Iterator[Any]:
    with sandbox.open(BoxSpec(image=image_tags["python"], memory=96 * MIB)) as opened:
        opened.load([ProgramFile("main.py", b"")])
        yield opened


def run(box: Any, code: str, **spec: Any) -> RunResult:
    argv = ("python3", "-c", textwrap.dedent(code))
    return box.run(RunSpec(argv=argv, **spec))  # type: ignore[no-any-return]


LIST_BOX = "import os; print(sorted(os.path.relpath(os.path.join(r, f), '/box') "
LIST_BOX += "for r, _, fs in os.walk('/box') for f in fs))"


def test_run_files_are_placed_beside_the_program(box: Any) -> None:
    files = (ProgramFile("data/in.txt", b"41"), ProgramFile("data/ans.txt", b"42"))
    result = run(
        box, "print(open('/box/data/in.txt').read(), open('data/ans.txt').read())", files=files
    )
    assert result.stdout == b"41 42\n"


def test_run_files_are_gone_in_the_next_run(box: Any) -> None:
    run(box, "pass", files=(ProgramFile("data/in.txt", b"secret"),))
    assert run(box, LIST_BOX).stdout == b"['main.py']\n"


def test_collect_dir_is_made_empty_and_only_its_files_come_back(box: Any) -> None:
    code = """
        import os
        print(os.listdir('/box/out'))
        open('/box/out/message.txt', 'w').write('hello')
        open('/box/elsewhere.txt', 'w').write('not this')
    """
    files = (ProgramFile("out/input.txt", b"per-run input"),)
    result = run(box, code, files=files, collect=True, collect_dir="out")
    assert result.stdout == b"['input.txt']\n"  # the run's own file, in the folder
    assert [(f.path, f.data) for f in result.files] == [("out/message.txt", b"hello")]


def test_collected_files_over_the_cap_are_an_error(box: Any) -> None:
    code = "open('/box/out/big', 'wb').write(b'x' * 4096)"
    result = run(box, code, collect=True, collect_dir="out", collect_cap=1024)
    assert "exceed 1024 bytes" in result.start_error and result.files == ()


def test_collected_folder_is_gone_in_the_next_run(box: Any) -> None:
    run(box, "open('/box/out/left', 'w').write('x')", collect=True, collect_dir="out")
    assert run(box, LIST_BOX).stdout == b"['main.py']\n"

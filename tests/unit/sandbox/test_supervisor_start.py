"""What every container pays at start: the supervisor program's own imports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from grader.sandbox.program import supervisor_program

# Slow to import (each pulls in inspect or more) and not needed by PID 1.
HEAVY = ("dataclasses", "inspect", "typing_extensions", "asyncio", "subprocess")


def test_the_supervisor_program_imports_no_heavy_module() -> None:
    probe = (
        "import sys\n"
        "source = sys.stdin.read()\n"
        "exec(compile(source, 'supervisor', 'exec'), {'__name__': 'not_main'})\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", probe],
        input=supervisor_program(),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip() == ""


# Were the guard missing, the supervisor would wipe the scratch folders it was given: so
# it runs in a mount namespace of its own, with a fresh tmpfs over each of them.
PRIVATE_SCRATCH = """
for path in /tmp /dev/shm /dev/mqueue; do
  [ -d "$path" ] && mount -t tmpfs scratch "$path"
done
touch /tmp/kept
python3 -I -S -c "$PROGRAM" </dev/null
echo "exit $?"
[ -e /tmp/kept ] && echo kept
"""


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="needs root and unshare (a private mount namespace)",
)
def test_the_supervisor_refuses_to_run_outside_a_container() -> None:
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", PRIVATE_SCRATCH],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PROGRAM": supervisor_program(), "PATH": os.environ["PATH"]},
    )
    assert "only as PID 1" in done.stderr
    assert done.stdout.split("\n")[:2] == ["exit 1", "kept"]

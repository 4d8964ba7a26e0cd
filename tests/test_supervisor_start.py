"""What every container pays at start: the supervisor program's own imports."""

from __future__ import annotations

import subprocess
import sys

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

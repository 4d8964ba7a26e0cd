"""epicbox 1.1.0 as a peer: its own virtualenv (bench/.venv-epicbox, made on first use with
``pip install epicbox==1.1.0 'docker<7' 'urllib3<2' 'requests<2.32'``; docker-py 6 fails
with "Not supported URL scheme http+docker" on requests 2.32+) and a subprocess running
``epicbox_peer.py`` on the same workload. Anything that goes wrong is ``Skipped`` with the
reason; the bench goes on without the peer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from figures import Rate
from workload import Group

__all__ = ["VENV", "Skipped", "run_epicbox", "sweep"]

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv-epicbox"
SCRIPT = HERE / "epicbox_peer.py"
REQUIREMENTS = ("epicbox==1.1.0", "docker<7", "urllib3<2", "requests<2.32")
STAMP = VENV / "bench-requirements.txt"  # what was installed, to reinstall when it changes
INSTALL_TIMEOUT_S = 600


class Skipped(Exception):
    """The peer could not be installed or run; the message says why."""


def run_epicbox(groups: Sequence[Group], jobs: int) -> dict[str, Rate]:
    """Runs per language and seconds, measured by the peer itself."""
    python = _venv_python()
    peer = subprocess.Popen(
        [str(python), str(SCRIPT)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = peer.communicate(json.dumps(plan(groups, jobs)))
    except BaseException:
        peer.terminate()  # the peer stops after its running cases and removes its containers
        peer.communicate(timeout=120)
        raise
    if peer.returncode != 0:
        raise Skipped(f"the run failed: {_last_line(err)}")
    figures = json.loads(out)
    return {lang: Rate(int(f["runs"]), float(f["seconds"])) for lang, f in figures.items()}


def plan(groups: Sequence[Group], jobs: int) -> dict[str, Any]:
    """The workload as JSON for the peer (which has no grader to import)."""
    return {
        "jobs": jobs,
        "groups": [
            {
                "language": g.language.key,
                "image": g.image,
                "compile": list(g.programs[0].compile or ()),
                "run": list(g.programs[0].run),
                "env": g.env,
                "memory_mb": g.memory >> 20,
                "compile_memory_mb": g.compile_memory >> 20,
                "programs": [
                    {"id": p.id, "files": {n: d.decode() for n, d in p.files.items()}}
                    for p in g.programs
                ],
                "cases": [
                    {"name": c.name, "stdin": c.stdin.decode(), "expected": c.expected.decode()}
                    for c in g.cases
                ],
            }
            for g in groups
        ],
    }


def sweep(client: Any, images: Sequence[str]) -> int:
    """Remove epicbox containers of these images that an interrupted peer left; how many."""
    removed = 0
    for image in images:
        filters = {"name": "epicbox-", "ancestor": image}
        for container in client.containers.list(all=True, filters=filters):
            container.remove(force=True, v=True)
            removed += 1
    return removed


def _venv_python() -> Path:
    python = VENV / "bin" / "python"
    wanted = "\n".join(REQUIREMENTS)
    if python.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return python
    _install()
    if not _imports_epicbox(python):
        raise Skipped(f"epicbox does not import in {VENV}")
    STAMP.write_text(wanted)
    return python


def _imports_epicbox(python: Path) -> bool:
    probe = subprocess.run([str(python), "-c", "import epicbox"], capture_output=True)
    return probe.returncode == 0


def _install() -> None:
    print(f"installing epicbox into {VENV} (once) ...", flush=True)
    steps = (
        [sys.executable, "-m", "venv", str(VENV)],
        [str(VENV / "bin" / "pip"), "install", "-q", *REQUIREMENTS],
    )
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise Skipped(f"install failed: {exc}") from exc
        if done.returncode != 0:
            raise Skipped(f"install failed: {_last_line(done.stderr)}")


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no message"

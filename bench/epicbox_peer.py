"""The epicbox peer: the bench workload through epicbox 1.1.0, one ``epicbox.run`` per case.

Runs in bench/.venv-epicbox (made by ``peer.py``) with the standard library, epicbox and
``parallel.py``. Reads the plan (JSON, see ``peer.plan``) on stdin and prints
``{language: {"runs": n, "seconds": s, "runs_per_s": r}}`` as JSON on stdout. A compiled
language compiles once per submission, as root, into an epicbox working directory (a Docker
volume) that its runs then mount. epicbox runs every command through ``/bin/sh -c`` and
removes each container (``epicbox-<uuid>``) and volume when done. Writes nothing on disk.
"""

from __future__ import annotations

import functools
import json
import shlex
import signal
import sys
import threading
import time
from typing import Any

import epicbox
from parallel import for_each

BOX = "/box"  # where grader's argv expect the program's files


def main() -> int:
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    plan = json.load(sys.stdin)
    epicbox.config.DOCKER_WORKDIR = BOX
    epicbox.configure(profiles=[p for g in plan["groups"] for p in _profiles(g)])
    stop = threading.Event()
    figures: dict[str, dict[str, float]] = {}
    for group in plan["groups"]:
        started = time.perf_counter()
        work = functools.partial(_program, group, stop)
        for_each(group["programs"], work, plan["jobs"], stop)
        seconds = time.perf_counter() - started
        runs = len(group["programs"]) * len(group["cases"])
        figures[group["language"]] = {
            "runs": runs,
            "seconds": seconds,
            "runs_per_s": runs / seconds,
        }
    json.dump(figures, sys.stdout)
    return 0


def _profiles(group: dict[str, Any]) -> list[epicbox.Profile]:
    language, image = group["language"], group["image"]
    return [
        epicbox.Profile(language, image, user="65534:65534"),
        epicbox.Profile(language + "-compile", image, user="root"),
    ]


def _program(group: dict[str, Any], stop: threading.Event, program: dict[str, Any]) -> None:
    files = [{"name": name, "content": text.encode()} for name, text in program["files"].items()]
    if not group["compile"]:
        _run_cases(group, program, stop, files=files)
        return
    with epicbox.working_directory() as workdir:
        result = epicbox.run(
            group["language"] + "-compile",
            _command(group["compile"], group["env"]),
            files=files,
            limits=_limits(group, compiling=True),
            workdir=workdir,
        )
        if result["exit_code"] != 0:
            raise RuntimeError(f"compiling {program['id']} failed: {result['stderr'][-500:]!r}")
        _run_cases(group, program, stop, workdir=workdir)


def _run_cases(
    group: dict[str, Any], program: dict[str, Any], stop: threading.Event, **where: Any
) -> None:
    command = _command(group["run"], group["env"])
    for case in group["cases"]:
        if stop.is_set():
            return
        result = epicbox.run(
            group["language"],
            command,
            stdin=case["stdin"].encode(),
            limits=_limits(group, compiling=False),
            **where,
        )
        if (
            result["exit_code"] != 0
            or result["stdout"].split() != case["expected"].encode().split()
        ):
            raise RuntimeError(f"{program['id']} on {case['name']}: {result}")


def _command(argv: list[str], env: dict[str, str]) -> str:
    assignments = [f"{key}={value}" for key, value in env.items()]
    return "exec env " + shlex.join([*assignments, *argv])


def _limits(group: dict[str, Any], *, compiling: bool) -> dict[str, int]:
    """A fresh dict each time: epicbox fills its defaults into the one it is given."""
    if compiling:
        return {"cputime": 30, "realtime": 60, "memory": group["compile_memory_mb"],
                "processes": 128}  # fmt: skip
    return {"cputime": 1, "realtime": 3, "memory": group["memory_mb"], "processes": 64}


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)

"""The strategies compared: each runs one ``Group`` (compile once per submission, then every
case in order, ``jobs`` submissions at a time) and raises ``BenchError`` on a wrong answer.

* ``Floor``:  a bare process per case, ``chroot`` into the image's exported rootfs.
* ``Naive``:  one ``docker run --rm -i`` per case (and per compilation), with grader's limits.
* ``Graded``: grader itself: ``Judge`` + ``DockerSandbox`` + ``grade_all``.

Files go under the ``workdir`` each is given; containers are labelled so ``sweep`` finds
what an interrupt left behind (grader's own are removed by ``Graded.abort``).
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from parallel import for_each
from workload import BOX, Case, Group, Program, write_problem, write_program

from grader.judging.batch import grade_all
from grader.judging.judge import COMPILE_LIMITS, Judge, JudgeOptions
from grader.model import Report, Verdict
from grader.problem.grader_format import load_problem
from grader.sandbox.docker import DockerSandbox
from grader.sandbox.environment import RUNTIME_VARIABLE
from grader.submissions import discover
from grader.submissions.languages import load_languages

__all__ = ["BenchError", "Floor", "Graded", "Naive", "Strategy", "check_output", "sweep"]

NAIVE_LABEL = f"grader-bench.owner={socket.gethostname()}:{os.getpid()}"
RUN_TIMEOUT_S = 120.0


class BenchError(RuntimeError):
    """A strategy gave a wrong answer or could not run: the figures would mean nothing."""


class Strategy(Protocol):
    name: str

    def run(self, group: Group) -> object: ...


def check_output(who: str, program: Program, case: Case, code: int, stdout: bytes) -> None:
    if code != 0 or stdout.split() != case.expected.split():
        raise BenchError(
            f"{who}: {program.id} on {case.name}: exit {code}, output {stdout[:200]!r}, "
            f"expected {case.expected!r}"
        )


def sweep(client: Any) -> int:
    """Remove the containers ``Naive`` left (an interrupted ``docker run``); how many."""
    containers = client.containers.list(all=True, filters={"label": NAIVE_LABEL})
    for container in containers:
        container.remove(force=True)
    return len(containers)


class Floor:
    """A bare process per case in a chroot of the runtime image's rootfs."""

    name = "floor"

    def __init__(self, roots: Mapping[str, Path], jobs: int, stop: threading.Event) -> None:
        self.roots = roots  # image tag -> exported rootfs
        self.jobs = jobs
        self.stop = stop
        self._batches = itertools.count(1)

    def run(self, group: Group) -> None:
        batch = f"bench/{next(self._batches):02d}"
        for_each(group.programs, lambda p: self._program(group, p, batch), self.jobs, self.stop)

    def _program(self, group: Group, program: Program, batch: str) -> None:
        root = self.roots[group.image]
        home = write_program(root / batch, program)
        box = "/" + str(home.relative_to(root))
        if program.compile:
            done = self.execute(root, box, program.compile, b"", group.env)
            if done.returncode != 0:
                raise BenchError(f"floor: compiling {program.id} failed: {done.stderr[-500:]!r}")
        for case in group.cases:
            if self.stop.is_set():
                return
            done = self.execute(root, box, program.run, case.stdin, group.env)
            check_output("floor", program, case, done.returncode, done.stdout)

    @staticmethod
    def execute(
        root: Path, box: str, argv: tuple[str, ...], stdin: bytes, env: Mapping[str, str]
    ) -> subprocess.CompletedProcess[bytes]:
        """Run argv (its /box rewritten to ``box``) in ``box`` under ``root``, environment
        exactly ``env``: chroot, then coreutils' env, then the program (one process)."""
        assignments = [f"{key}={value}" for key, value in env.items()]
        argv = tuple(arg.replace(BOX, box) for arg in argv)
        command = ["chroot", str(root), "/usr/bin/env", "-i", "-C", box, *assignments, *argv]
        return subprocess.run(command, input=stdin, capture_output=True, timeout=RUN_TIMEOUT_S)


class Naive:
    """``docker run --rm -i --network none`` per case, with the limits grader sets."""

    name = "naive"

    def __init__(self, workdir: Path, jobs: int, stop: threading.Event) -> None:
        self.workdir = workdir
        self.jobs = jobs
        self.stop = stop
        self._batches = itertools.count(1)

    def run(self, group: Group) -> None:
        batch = self.workdir / f"{next(self._batches):02d}-{group.language.key}"
        for_each(group.programs, lambda p: self._program(group, p, batch), self.jobs, self.stop)

    def _program(self, group: Group, program: Program, batch: Path) -> None:
        home = write_program(batch, program)
        home.chmod(0o777)  # the compiler runs as nobody and writes here
        if program.compile:
            done = self._docker_run(group, home, program.compile, b"", compiling=True)
            if done.returncode != 0:
                raise BenchError(f"naive: compiling {program.id} failed: {done.stderr[-500:]!r}")
        for case in group.cases:
            if self.stop.is_set():
                return
            done = self._docker_run(group, home, program.run, case.stdin)
            check_output("naive", program, case, done.returncode, done.stdout)

    def _docker_run(
        self,
        group: Group,
        home: Path,
        argv: tuple[str, ...],
        stdin: bytes,
        *,
        compiling: bool = False,
    ) -> subprocess.CompletedProcess[bytes]:
        command = ["docker", "run", "--rm", "-i", *self.flags(group, compiling)]
        command += ["-v", f"{home}:{BOX}" + ("" if compiling else ":ro"), "-w", BOX]
        command += [group.image, *argv]
        return subprocess.run(command, input=stdin, capture_output=True, timeout=RUN_TIMEOUT_S)

    @staticmethod
    def flags(group: Group, compiling: bool) -> list[str]:
        memory = str(group.compile_memory if compiling else group.memory)
        processes = COMPILE_LIMITS.processes if compiling else 64
        flags = ["--network", "none", "--label", NAIVE_LABEL, "--log-driver", "none"]
        runtime = os.environ.get(RUNTIME_VARIABLE)
        if runtime:  # the same OCI runtime as grader's boxes
            flags += ["--runtime", runtime]
        flags += ["--memory", memory, "--memory-swap", memory, "--cpus", "1"]
        flags += ["--pids-limit", str(processes), "--read-only", "--tmpfs", "/tmp"]
        flags += ["--user", "65534:65534", "--cap-drop", "ALL"]
        flags += ["--security-opt", "no-new-privileges"]
        for key, value in group.env.items():
            flags += ["-e", f"{key}={value}"]
        return flags


class Graded:
    """grader's own path, on a problem folder written for the group's cases: a sandbox
    with one spare box per worker, as ``grader run`` has; ``reuse`` adds
    ``--reuse-containers``; ``supervisor="python"`` gives the boxes the Python supervisor
    (the baseline of the static one)."""

    def __init__(
        self,
        client: Any,
        workdir: Path,
        jobs: int,
        *,
        reuse: bool = False,
        supervisor: str = "native",
    ) -> None:
        self.name = "grader-reuse" if reuse else "grader-py" if supervisor == "python" else "grader"
        self.sandbox = DockerSandbox(client, spares=jobs, supervisor=supervisor)
        self.workdir = workdir
        self.jobs = jobs
        self.reuse = reuse
        self._batches = itertools.count(1)

    def run(self, group: Group) -> Report:
        folder = self.workdir / f"{next(self._batches):02d}-{group.language.key}"
        problem = load_problem(write_problem(folder / "problem", "bench", group.cases))
        for program in group.programs:
            write_program(folder / "submissions", program)
        submissions = discover([folder / "submissions"], load_languages())
        # Every run really runs: no result cache.
        options = JudgeOptions(reuse_run_boxes=self.reuse)
        judge = Judge(self.sandbox, problem, {group.language.image: group.image}, options)
        report = grade_all(judge, submissions, jobs=self.jobs, abort=self.abort)
        if not report.complete:
            raise KeyboardInterrupt
        for result in report.submissions:
            if result.verdict is not Verdict.AC:
                raise BenchError(f"grader: {result.id} got {result.verdict}: {result.message}")
        return report

    def abort(self) -> int:
        """Remove the containers grader has open (after an interrupt); how many."""
        return self.sandbox.abort()

    def close(self) -> None:
        """Remove the spare boxes once the bench is done."""
        self.sandbox.close()

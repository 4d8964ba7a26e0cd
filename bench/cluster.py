"""`make bench`, cluster row: one batch on a loopback cluster of 1, 2 and 3 grader workers
(one slot each) against the same batch graded locally with one job.

Workload: W trivial Python submissions x C trivial cases (``workload``), result cache off,
every answer checked. Each cluster size gets a fresh scheduler and workers and one warm-up
submission (engine, spare box) before the timed batch. On one machine the workers share
its cores and its Docker engine, so this measures the cluster's overhead and how far it
scales on those cores; on N hosts each worker brings its own.

Touches: a temporary folder (problem, submissions, worker caches) and a scheduler and
workers started as subprocesses on 127.0.0.1, all stopped and removed at the end.
Run from the repository: `python3 bench/cluster.py [--workers 1,2,3] [--json PATH]`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from figures import Rate
from workload import build_groups, write_problem, write_program

from grader.app import Engine, RunOptions
from grader.cluster.client import ClusterGrader
from grader.judging.batch import grade_all
from grader.judging.judge import JudgeOptions
from grader.model import Problem, Report, Submission, Verdict
from grader.problem.grader_format import load_problem
from grader.submissions import discover
from grader.submissions.languages import load_languages
from grader.verify import Grade

START_S = 90.0


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=12, metavar="W")
    parser.add_argument("--cases", type=int, default=10, metavar="C")
    parser.add_argument("--workers", default="1,2,3", help="cluster sizes (default 1,2,3)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures")
    args = parser.parse_args(argv)
    args.sizes = [int(n) for n in args.workers.split(",")]
    return args


def batch(workdir: Path, submissions: int, cases: int) -> tuple[Problem, list[Submission]]:
    table = load_languages()
    python = table.get("python")
    (group,) = build_groups([python], {python.image: ""}, submissions, cases)
    problem = load_problem(write_problem(workdir / "problem", "bench", group.cases))
    for program in group.programs:
        write_program(workdir / "submissions", program)
    return problem, discover([workdir / "submissions"], table)


def checked(report: Report) -> Report:
    for result in report.submissions:
        if result.verdict is not Verdict.AC:
            raise SystemExit(f"{result.id} got {result.verdict}: {result.message}")
    return report


def timed(grade: Grade, problem: Problem, submissions: list[Submission]) -> Rate:
    runs = len(submissions) * len(problem.tests)
    started = time.perf_counter()
    checked(grade(problem, submissions))
    return Rate(runs, time.perf_counter() - started)


def local(problem: Problem, submissions: list[Submission]) -> Rate:
    options = RunOptions(jobs=1, judge=JudgeOptions())
    with Engine(options, print) as engine:

        def grade(p: Problem, subs: Sequence[Submission]) -> Report:
            return grade_all(engine.judge(p, subs), subs, jobs=1, abort=engine.sandbox.abort)

        checked(grade(problem, submissions[:1]))  # warm-up: image check, spare box
        return timed(grade, problem, submissions)


@contextlib.contextmanager
def cluster(workers: int, workdir: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    grader = [sys.executable, "-m", "grader"]
    procs = [_quiet([*grader, "scheduler", "--port", str(port)])]
    address = f"tcp://127.0.0.1:{port}"
    try:
        _listening(port, procs[0])
        for n in range(workers):
            cache = workdir / f"cache-{workers}-{n}"
            argv = [*grader, "worker", address, "--slots", "1", "--cache-dir", str(cache)]
            procs.append(_quiet(argv))
        from distributed import Client

        with Client(address, timeout=START_S, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=START_S)
        yield address
    finally:
        for proc in reversed(procs):  # workers first: they remove their containers
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _listening(port: int, scheduler: subprocess.Popen[bytes]) -> None:
    """Wait for the scheduler to accept connections on ``port``."""
    deadline = time.monotonic() + START_S
    while scheduler.poll() is None and time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"the scheduler did not listen on port {port} (exit {scheduler.poll()})")


def _quiet(argv: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def on_cluster(
    workers: int, workdir: Path, problem: Problem, submissions: list[Submission]
) -> Rate:
    with (
        cluster(workers, workdir) as address,
        ClusterGrader(address, JudgeOptions(), lambda _: None) as grader,
    ):
        checked(grader.grade(problem, submissions[:workers]))  # warm-up, each worker
        return timed(grader.grade, problem, submissions)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    workdir = Path(tempfile.mkdtemp(prefix="grader-bench-cluster-"))
    try:
        problem, submissions = batch(workdir, args.submissions, args.cases)
        rates = {"local, 1 job": local(problem, submissions)}
        for size in args.sizes:
            rates[f"cluster, {size} worker(s)"] = on_cluster(size, workdir, problem, submissions)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    base = rates["local, 1 job"].runs_per_s
    print(f"{len(submissions)} Python submissions x {len(problem.tests)} cases, cache off")
    for name, rate in rates.items():
        print(f"  {name:<22} {rate.runs_per_s:7.1f} runs/s  x{rate.runs_per_s / base:.2f}")
    if args.json:
        figures = {name: {"runs": r.runs, "seconds": r.seconds} for name, r in rates.items()}
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

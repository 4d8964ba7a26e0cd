"""`make bench`, the service row: runs per second of trivial Python programs judged through
`grader serve` (POST /api/judge over HTTP, `jobs` workers) against `grader run` on the same
work (the library's run_batch, `jobs` at a time, result cache off). Goal: at least 0.8.

Workload: W different one-line Python programs x one case each. The service is started and
warmed (one request) before the clock starts, as a long-running service is; the batch is
timed from its start, as `grader run` is. Touches a temporary folder and the containers of
both graders, removed at the end. Run from the repository: `python3 bench/serve.py [--quick]`.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader.app import RunOptions, run_batch
from grader.judging.batch import default_jobs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from serve_http import Server, start  # noqa: E402 (the tests' HTTP helper)

CASE = {"stdin": "1 2\n", "expected_output": "3\n"}


def programs(count: int) -> list[str]:
    return [
        f"# program {i}\na, b = map(int, input().split())\nprint(a + b)\n" for i in range(count)
    ]


def batch(work: Path, codes: Sequence[str], jobs: int) -> float:
    problem = work / "problem"
    (problem / "submissions").mkdir(parents=True)
    (problem / "problem.yaml").write_text(
        'name: bench\ntests:\n  - {stdin: "1 2\\n", expected_output: "3\\n"}\n'
    )
    for i, code in enumerate(codes):
        (problem / "submissions" / f"s{i}.py").write_text(code)
    began = time.perf_counter()
    report = run_batch(problem, [problem / "submissions"], RunOptions(jobs=jobs), log=print)
    elapsed = time.perf_counter() - began
    assert report.all_accepted, [r.verdict for r in report.submissions]
    return elapsed


def judged(server: Server, code: str) -> None:
    body = {"language": "python", "code": code, "tests": [CASE]}
    answer = server.request("POST", "/api/judge", body)
    assert answer.status == 200, answer.body
    assert answer.json()["submissions"][0]["verdict"] == "AC"


def service(work: Path, codes: Sequence[str], jobs: int) -> float:
    config = work / "service.yaml"
    config.write_text(f"workers: {jobs}\nqueue: {len(codes) + 10}\n")
    server = start(config, cwd=ROOT)
    try:
        judged(server, "print(3)")  # warm: the engine connection, spares, the version
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2 * jobs) as clients:
            list(clients.map(lambda code: judged(server, code), codes))
        return time.perf_counter() - began
    finally:
        server.proc.send_signal(signal.SIGTERM)
        server.proc.wait(timeout=120)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=40, metavar="W")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--quick", action="store_true", help="4 submissions")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures")
    args = parser.parse_args(argv)
    codes = programs(4 if args.quick else args.submissions)
    with tempfile.TemporaryDirectory(prefix="grader-bench-serve-") as folder:
        batch_s = batch(Path(folder) / "batch", codes, args.jobs)
        (Path(folder) / "serve").mkdir()
        serve_s = service(Path(folder) / "serve", codes, args.jobs)
    figures = {
        "submissions": len(codes),
        "jobs": args.jobs,
        "batch_runs_per_s": round(len(codes) / batch_s, 3),
        "service_runs_per_s": round(len(codes) / serve_s, 3),
        "ratio": round(batch_s / serve_s, 3),
    }
    print(f"{'grader run':<14} {figures['batch_runs_per_s']:>8} runs/s")
    print(f"{'grader serve':<14} {figures['service_runs_per_s']:>8} runs/s")
    print(f"{'serve / run':<14} {figures['ratio']:>8}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()

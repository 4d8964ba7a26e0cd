"""`make bench`: grader's throughput against a bare-process floor, a naive `docker run` per
case and (if it installs) epicbox, on one machine in one run; grader runs three ways: its
default (fresh box per submission, static supervisor), `--reuse-containers`, and `grader-py`
(the default with the Python supervisor, the baseline of the static one).

Workload: W trivial submissions of each language x C trivial cases (20 x 20 by default);
every strategy compiles each submission once (compile time included everywhere), runs its
cases in order and checks every answer, `--jobs` submissions at a time. The per-case peers
(naive `docker run`, epicbox) take the first P submissions of each language: their cost is
per case, so the rate is the same and the bench takes minutes, not an hour. Then the CPU time
grader reports for a calibrated busy loop is compared with the same loop measured natively.

Touches: a temporary folder (rootfs exports with /proc mounted, problem and submission
files) and containers, all removed at the end, on Ctrl-C or SIGTERM too; bench/.venv-epicbox.
Run from the repository: `python3 bench/bench.py [--quick] [--json PATH]`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import accuracy
import peer
import rootfs
from figures import Machine, Rate, ratio_table, ratios, table, to_json
from strategies import BenchError, Floor, Graded, Naive, Strategy, sweep
from workload import SOURCES, Group, build_groups, first

from grader.errors import GraderError
from grader.judging.batch import default_jobs
from grader.model import Language
from grader.sandbox.docker import connect
from grader.sandbox.images import Images
from grader.submissions.languages import load_languages

DEFAULT_LANGUAGES = ["python", "c", "java"]


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--submissions", type=int, default=20, metavar="W", help="per language (default 20)"
    )
    parser.add_argument(
        "--peer-submissions",
        type=int,
        default=5,
        metavar="P",
        help="naive and epicbox: the first P of each language (default 5)",
    )
    parser.add_argument("--cases", type=int, default=20, metavar="C")
    parser.add_argument(
        "--languages", help="comma-separated (default: python, plus c and java if built)"
    )
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="default: the cores")
    parser.add_argument(
        "--repeat", type=int, default=3, help="floor and grader: best of N (default 3)"
    )
    parser.add_argument("--quick", action="store_true", help="3 x 5, one repeat, fewer rounds")
    parser.add_argument("--no-epicbox", action="store_true", help="skip the epicbox peer")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures")
    args = parser.parse_args(argv)
    if args.quick:
        args.submissions, args.cases, args.repeat, args.peer_submissions = 3, 5, 1, 1
    if min(args.submissions, args.cases, args.jobs, args.repeat, args.peer_submissions) < 1:
        parser.error(
            "--submissions, --peer-submissions, --cases, --jobs and --repeat must be at least 1"
        )
    return args


def choose_languages(
    requested: str | None, images: Images
) -> tuple[list[Language], dict[str, str]]:
    """The languages to bench and the tags of their images (python's always: the timing
    accuracy uses it). By default c and java join python when their images are built."""
    table = load_languages()
    keys = [k.strip().lower() for k in requested.split(",")] if requested else DEFAULT_LANGUAGES
    chosen: list[Language] = []
    tags: dict[str, str] = {}
    for key in dict.fromkeys(["python", *keys]):
        language = table.get(key)
        if language.key not in SOURCES:
            raise BenchError(f"no bench program for {language.key} (have: {', '.join(SOURCES)})")
        image = images.get(language.image)
        if not images.exists(image):
            if requested is None and key != "python":
                continue
            print(f"building the missing image {image.tag} (once) ...", flush=True)
            images.build(image, log=print)
        tags[language.image] = image.tag
        if key in keys:
            chosen.append(language)
    return chosen, tags


def measure(strategy: Strategy, groups: Sequence[Group]) -> dict[str, Rate]:
    rates: dict[str, Rate] = {}
    for group in groups:
        started = time.perf_counter()
        strategy.run(group)
        rates[group.language.key] = Rate(group.runs, time.perf_counter() - started)
        report_progress(strategy.name, group.language.key, rates[group.language.key])
    return rates


def report_progress(strategy: str, language: str, rate: Rate) -> None:
    print(
        f"  {strategy:<8} {language:<7} {rate.runs:>5} runs in {rate.seconds:6.2f} s "
        f"= {rate.runs_per_s:6.1f} runs/s",
        flush=True,
    )


class Bench:
    """One bench run: its temporary folder, strategies and figures."""

    def __init__(self, args: argparse.Namespace, client: Any, workdir: Path) -> None:
        self.args = args
        self.client = client
        self.workdir = workdir
        self.stop = threading.Event()
        self.graded = Graded(client, workdir / "grader", args.jobs)
        self.reused = Graded(client, workdir / "grader-reuse", args.jobs, reuse=True)
        self.python = Graded(client, workdir / "grader-py", args.jobs, supervisor="python")
        self.results: dict[str, dict[str, Rate]] = {}
        self.notes: dict[str, Any] = {}

    def run(self, groups: Sequence[Group], python: Group) -> None:
        images = dict.fromkeys(g.image for g in [python, *groups])
        with contextlib.ExitStack() as stack:
            roots = {
                image: stack.enter_context(rootfs.exported(image, self.workdir / "rootfs"))
                for image in images
            }
            floor = Floor(roots, self.args.jobs, self.stop)
            naive = Naive(self.workdir / "naive", self.args.jobs, self.stop)
            for _ in range(self.args.repeat):  # interleaved, so drift hits both alike
                self.keep_best(floor.name, measure(floor, groups))
                self.keep_best(self.graded.name, measure(self.graded, groups))
                self.keep_best(self.reused.name, measure(self.reused, groups))
                self.keep_best(self.python.name, measure(self.python, groups))
            peers = first(groups, self.args.peer_submissions)
            self.results[naive.name] = measure(naive, peers)
            self.run_epicbox(peers)
            rounds = 2 if self.args.quick else 8
            self.notes["timing"] = accuracy.measure(python, floor, self.graded, rounds).summary()

    def keep_best(self, strategy: str, rates: dict[str, Rate]) -> None:
        """Per language, the fastest of the repetitions (the least disturbed by other load)."""
        best = self.results.setdefault(strategy, {})
        for language, rate in rates.items():
            if language not in best or rate.seconds < best[language].seconds:
                best[language] = rate

    def run_epicbox(self, groups: Sequence[Group]) -> None:
        if self.args.no_epicbox:
            self.notes["epicbox_skipped"] = "--no-epicbox"
            return
        try:
            self.results["epicbox"] = peer.run_epicbox(groups, self.args.jobs)
        except peer.Skipped as skipped:
            self.notes["epicbox_skipped"] = str(skipped)
            print(f"epicbox: skipped ({skipped})", flush=True)
            return
        for language, rate in self.results["epicbox"].items():
            report_progress("epicbox", language, rate)

    def clean_up(self, images: Sequence[str]) -> None:
        self.stop.set()
        removed = 0
        for graded in (self.graded, self.reused, self.python):
            graded.close()  # the spare and reusable boxes: not leftovers
            removed += graded.abort()  # whatever an interrupt left open
        removed += sweep(self.client) + peer.sweep(self.client, images)
        if removed:
            print(f"removed {removed} leftover container(s)")


@contextlib.contextmanager
def shielded() -> Iterator[None]:
    """Ctrl-C and SIGTERM are ignored while cleaning up, so cleaning up finishes."""
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def remove_workdir(workdir: Path) -> None:
    """Delete the temporary folder, unless a /proc is still mounted in it."""
    rootfs.unmount_all(workdir / "rootfs")
    if any(proc.is_mount() for proc in workdir.glob("rootfs/*/proc")):
        print(f"left {workdir} in place: a /proc is still mounted in it")
        return
    shutil.rmtree(workdir, ignore_errors=True)


def describe(args: argparse.Namespace, groups: Sequence[Group]) -> dict[str, Any]:
    return {
        "submissions": args.submissions,
        "cases": args.cases,
        "jobs": args.jobs,
        "per_language": {g.language.key: len(g.programs) for g in groups},
        "peer_submissions": min(args.peer_submissions, args.submissions),
        "compile_time": "included in every strategy",
        "repeat": args.repeat,
    }


def print_header(machine: Machine, workload: dict[str, Any]) -> None:
    shares = ", ".join(f"{k} {n}" for k, n in workload["per_language"].items())
    print(f"grader bench on {machine.describe()}")
    print(
        f"workload: submissions per language ({shares}) x {workload['cases']} "
        f"cases, jobs {workload['jobs']}; compile time included in every strategy; "
        f"floor and grader: best of {workload['repeat']}; naive and epicbox: the first "
        f"{workload['peer_submissions']} submissions of each language",
        flush=True,
    )


def print_summary(bench: Bench, machine: Machine, started: datetime) -> None:
    load = bench.notes["load_average"]
    print(f"\ngrader bench, {started:%Y-%m-%d %H:%M} UTC, {machine.describe()}")
    print(f"load average (1 min) {load['start']:.2f} at start, {load['end']:.2f} at end")
    print(table(bench.results))
    print(ratio_table(ratios(bench.results)))
    if "epicbox_skipped" in bench.notes:
        print(f"epicbox: skipped ({bench.notes['epicbox_skipped']})")
    timing = bench.notes["timing"]
    print(
        f"timing accuracy: busy loop of {timing['iterations']} iterations, "
        f"{timing['rounds']} rounds of {bench.args.jobs} parallel runs on each side\n"
        f"  CPU s/run, median: native {timing['native_s']:.3f} "
        f"(rounds {timing['native_min_s']:.3f}-{timing['native_max_s']:.3f}), "
        f"grader {timing['grader_s']:.3f}\n"
        f"  grader vs native, median of the rounds: {100 * timing['relative']:+.1f}% "
        f"(rounds {100 * timing['relative_min']:+.1f}% to {100 * timing['relative_max']:+.1f}%)"
    )


def execute(bench: Bench, groups: Sequence[Group], python: Group, tags: Sequence[str]) -> int:
    """Run the bench; whatever happens, remove its containers and temporary folder."""
    bench.notes["load_average"] = {"start": os.getloadavg()[0]}
    try:
        bench.run(groups, python)
    except KeyboardInterrupt:
        print("\nbench: interrupted; cleaning up", flush=True)
        return 130
    except (BenchError, GraderError, rootfs.RootfsError) as exc:
        print(f"bench: FAILED: {exc}", flush=True)
        return 1
    finally:
        with shielded():
            bench.clean_up(tags)
            remove_workdir(bench.workdir)
    bench.notes["load_average"]["end"] = os.getloadavg()[0]
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if os.geteuid() != 0:
        print("bench: the floor needs root (chroot into a rootfs, mount /proc in it)")
        return 2
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    started = datetime.now(UTC)
    try:
        client = connect()
        languages, tags = choose_languages(args.languages, Images(client))
        machine = Machine.probe(client)
    except (GraderError, BenchError) as exc:
        print(f"bench: {exc}")
        return 2
    groups = build_groups(languages, tags, args.submissions, args.cases)
    python = build_groups([load_languages().get("python")], tags, 1, 1)[0]
    workload = describe(args, groups)
    print_header(machine, workload)
    bench = Bench(args, client, Path(tempfile.mkdtemp(prefix="grader-bench-")))
    status = execute(bench, groups, python, list(tags.values()))
    if status:
        return status
    print_summary(bench, machine, started)
    if args.json:
        date = started.isoformat(timespec="seconds")
        figures = to_json(bench.results, machine, date=date, workload=workload) | bench.notes
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

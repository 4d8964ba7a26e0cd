"""grader run --cluster: a real Dask scheduler and two workers (one slot each) started as
subprocesses on loopback, judged against a local run of the same batch. Small on purpose:
six submissions of problems/sum, for a 2-core CI."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from containers import made_by
from paths import ROOT

from grader.errors import ExitCode
from grader.sandbox.engine import remove

pytestmark = pytest.mark.skipif(
    find_spec("distributed") is None, reason="needs the cluster extra: pip install -e '.[cluster]'"
)

SUM = ROOT / "problems" / "sum"
BATCH = (
    "accepted/alice.py",
    "accepted/sum_c.c",
    "wrong_answer/carol.py",
    "run_time_error/frank.py",
    "time_limit_exceeded/erin_sleeps.py",  # 3 s of wall per case: the batch lasts a while
    "compile_error/ivan.rb",
)
START_S = 90.0  # for a scheduler or worker process to come up on a busy 2-core machine
# What differs between hosts or runs: times, memory, which host ran a case, and the
# environment block (the local engine's host facts; a cluster run spans several hosts).
VOLATILE = {
    "started_at",
    "finished_at",
    "cpu_time_s",
    "wall_time_s",
    "memory_bytes",
    "host",
    "environment",
}


def grader_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "grader", *args]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]
    logs: Path

    def start_worker(self, *extra: str, python: tuple[str, ...] = ()) -> subprocess.Popen[bytes]:
        name = f"w{len(self.workers)}"
        args = ["worker", self.address, "--slots", "1", "--name", name]
        args += ["--cache-dir", str(self.logs / name), *extra]
        argv = [sys.executable, *python, *args] if python else grader_args(*args)
        with (self.logs / f"{name}.log").open("wb") as log:
            proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.workers.append(proc)
        return proc

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=START_S, set_as_default=False) as client:
            client.wait_for_workers(count, timeout=START_S)

    def log(self, proc: subprocess.Popen[bytes]) -> str:
        index = self.workers.index(proc)
        return (self.logs / f"w{index}.log").read_text(errors="replace")


@contextmanager
def running_cluster(
    docker_client: Any, logs: Path, scheduler_env: dict[str, str] | None = None
) -> Iterator[Cluster]:
    """A scheduler (with ``scheduler_env`` added to its environment: Dask's configuration)
    and two 1-slot workers, stopped (SIGTERM) afterwards: a stopped worker must leave no
    container behind (a killed one is the test's to clean up)."""
    port = _free_port()
    with (logs / "scheduler.log").open("wb") as log:
        scheduler = subprocess.Popen(
            grader_args("scheduler", "--port", str(port)),
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(scheduler_env or {})},
        )
    cluster = Cluster(f"tcp://127.0.0.1:{port}", scheduler, [], logs)
    try:
        wait_until(lambda: _listening(port), START_S, "the scheduler")
        cluster.start_worker()
        cluster.start_worker()
        cluster.wait_for_workers(2)
        yield cluster
    finally:
        for worker in cluster.workers:
            _stop(worker)
        _stop(cluster.scheduler)
    left = [c for w in cluster.workers for c in made_by(docker_client, w.pid)]
    assert not left, f"stopped workers left containers: {left}"


@pytest.fixture(scope="module")
def cluster(docker_client: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Shared by the tests that leave it as they found it."""
    with running_cluster(docker_client, tmp_path_factory.mktemp("cluster")) as started:
        yield started


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    for name in BATCH:
        shutil.copy(SUM / "submissions" / name, folder)
    return folder


def _run(batch: Path, json_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = grader_args("run", str(SUM), str(batch), "--json", str(json_path), "-q", *extra)
    return subprocess.run(command, capture_output=True, text=True, cwd=json_path.parent)


def comparable(value: Any) -> Any:
    """A report without what differs between two runs of one batch: times, hosts."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [comparable(item) for item in value]
    return value


def _verdicts(report: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    return {s["id"]: [(c["name"], c["verdict"]) for c in s["cases"]] for s in report["submissions"]}


@pytest.fixture(scope="module")
def local_report(batch: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("local")
    done = _run(batch, folder / "local.json", "--no-cache")
    assert done.returncode == ExitCode.NOT_ALL_ACCEPTED, done.stderr
    report: dict[str, Any] = json.loads((folder / "local.json").read_text())
    return report


@pytest.fixture(scope="module")
def cluster_report(
    cluster: Cluster, batch: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("remote")
    done = _run(batch, folder / "cluster.json", "--cluster", cluster.address, "--no-cache")
    assert done.returncode == ExitCode.NOT_ALL_ACCEPTED, done.stderr
    report: dict[str, Any] = json.loads((folder / "cluster.json").read_text())
    return report


def test_a_cluster_run_reports_what_a_local_run_does(
    cluster_report: dict[str, Any], local_report: dict[str, Any]
) -> None:
    assert comparable(cluster_report) == comparable(local_report)


def test_each_case_run_on_the_cluster_names_its_host(cluster_report: dict[str, Any]) -> None:
    cases = [c for s in cluster_report["submissions"] for c in s["cases"]]
    ran = [c.get("host") for c in cases if c["verdict"] != "SKIPPED"]
    assert ran and set(ran) == {socket.gethostname()}


def test_cache_hits_are_never_sent_to_the_cluster(
    cluster: Cluster, batch: Path, tmp_path: Path
) -> None:
    cache = str(tmp_path / "cache")
    first = _run(batch, tmp_path / "first.json", "--cluster", cluster.address, "--cache-dir", cache)
    assert first.returncode == ExitCode.NOT_ALL_ACCEPTED, first.stderr
    # Nothing listens on port 1: a second run that dispatched anything would fail.
    again = _run(
        batch, tmp_path / "again.json", "--cluster", "tcp://127.0.0.1:1", "--cache-dir", cache
    )
    assert again.returncode == ExitCode.NOT_ALL_ACCEPTED, again.stderr
    reports = [json.loads((tmp_path / f"{n}.json").read_text()) for n in ("first", "again")]
    assert _verdicts(reports[1]) == _verdicts(reports[0])


def test_verify_on_the_cluster_runs_a_checker_program_there(cluster: Cluster) -> None:
    problem = ROOT / "problems" / "testlib-checker"
    done = subprocess.run(
        grader_args("verify", str(problem), "--cluster", cluster.address),
        capture_output=True,
        text=True,
    )
    assert done.returncode == ExitCode.ALL_ACCEPTED, done.stdout + done.stderr
    assert "all 4 submissions earn their folder's verdict" in done.stdout


def test_a_worker_killed_mid_batch_changes_no_verdict(
    docker_client: Any, batch: Path, tmp_path: Path, local_report: dict[str, Any]
) -> None:
    report_path = tmp_path / "cluster.json"
    with running_cluster(docker_client, tmp_path) as cluster:
        status, stderr = _kill_a_worker_mid_run(docker_client, cluster, SUM, batch, report_path)
    assert status == ExitCode.NOT_ALL_ACCEPTED, stderr
    assert _verdicts(json.loads(report_path.read_text())) == _verdicts(local_report)


# A one-case problem whose units last (a nap, not CPU, within the wall limit), so that a
# worker seen busy is judging one.
NAP_PROBLEM = """\
name: nap
limits: {time: 1, wall: 10}
tests:
  - {name: one, stdin: "1 2\\n", expected_output: "3\\n"}
"""
NAP = "import time\n\ntime.sleep(5)\nprint({answer})\n"


def test_a_unit_lost_more_than_allowed_failures_is_ie_worker_lost_for_it_only(
    docker_client: Any, tmp_path: Path
) -> None:
    problem = tmp_path / "nap"
    problem.mkdir()
    (problem / "problem.yaml").write_text(NAP_PROBLEM)
    batch = tmp_path / "naps"
    batch.mkdir()
    for name, answer in (("ac", 3), ("wa", 4)):
        (batch / f"{name}.py").write_text(NAP.format(answer=answer))
    # One death is one too many: a unit on the killed worker is not run again. (Dask counts
    # every unit the dead worker held, started or waiting: so one unit per worker here.)
    no_retry = {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    report_path = tmp_path / "cluster.json"
    with running_cluster(docker_client, tmp_path, scheduler_env=no_retry) as cluster:
        args = (docker_client, cluster, problem, batch, report_path)
        status, stderr = _kill_a_worker_mid_run(*args, when_all_busy=True)
    assert status == ExitCode.INTERNAL_ERROR, stderr
    results = {
        r["id"]: (r["verdict"], r["message"])
        for r in json.loads(report_path.read_text())["submissions"]
    }
    lost = [id for id, (verdict, _) in results.items() if verdict == "IE"]
    assert len(lost) == 1 and results[lost[0]][1].startswith("worker lost"), results
    (kept,) = set(results) - set(lost)
    assert results[kept][0] == kept.upper()


def _kill_a_worker_mid_run(
    docker_client: Any,
    cluster: Cluster,
    problem: Path,
    batch: Path,
    report: Path,
    *,
    when_all_busy: bool = False,
) -> tuple[int, str]:
    """Grade ``batch`` on the cluster and SIGKILL the first worker seen judging (once every
    worker is, with ``when_all_busy``): no cleanup, its units are lost mid-run. Returns the
    client's exit status and stderr."""
    command = grader_args(
        "run", str(problem), str(batch), "--cluster", cluster.address, "--no-cache",
        "--json", str(report), "-q",
    )  # fmt: skip
    client = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=report.parent
    )
    busy = None
    try:
        busy = busy_worker(docker_client, cluster, every=when_all_busy)
        busy.kill()
        busy.wait()
        _, stderr = client.communicate(timeout=300)
    finally:
        if client.poll() is None:
            client.kill()
        for container in made_by(docker_client, busy.pid) if busy else ():
            remove(docker_client, container)
    return client.returncode, stderr.decode()


def test_a_lost_scheduler_ends_the_run_with_exit_3_and_a_partial_report(
    docker_client: Any, batch: Path, tmp_path: Path
) -> None:
    report_path = tmp_path / "cluster.json"
    with running_cluster(docker_client, tmp_path) as cluster:
        args = (str(SUM), str(batch), "--json", str(report_path))
        status, stderr = kill_the_scheduler_mid_run(docker_client, cluster, *args)
    assert status == ExitCode.INTERNAL_ERROR, stderr
    assert json.loads(report_path.read_text())["complete"] is False


def kill_the_scheduler_mid_run(docker_client: Any, cluster: Cluster, *args: str) -> tuple[int, str]:
    """``grader run ARGS`` on the cluster, its scheduler SIGKILLed once a worker judges;
    the client's exit status and stderr (it must stop within a minute)."""
    command = grader_args("run", *args, "--cluster", cluster.address, "--no-cache", "-q")
    client = subprocess.Popen(command, stderr=subprocess.PIPE, cwd=cluster.logs)
    try:
        busy_worker(docker_client, cluster)
        cluster.scheduler.kill()
        _, stderr = client.communicate(timeout=60)
    finally:
        if client.poll() is None:
            client.kill()
    return client.returncode, stderr.decode()


def busy_worker(
    docker_client: Any, cluster: Cluster, *, every: bool = False
) -> subprocess.Popen[bytes]:
    """The first worker seen with a running container: it is judging a unit. With
    ``every``, once every worker is seen so."""
    seen: list[subprocess.Popen[bytes]] = []

    def running() -> bool:
        for worker in cluster.workers:
            if worker not in seen and made_by(docker_client, worker.pid, running=True):
                seen.append(worker)
        return len(seen) == len(cluster.workers) if every else bool(seen)

    wait_until(running, START_S, f"{'every' if every else 'a'} worker to run a container")
    return seen[0]


def test_a_worker_of_another_grader_version_is_refused(cluster: Cluster) -> None:
    patched = (
        "import grader; grader.__version__ = '0.0.0-other'; from grader.cli import main; main()"
    )
    worker = cluster.start_worker(python=("-c", patched))
    assert worker.wait(timeout=START_S) == ExitCode.USAGE_ERROR
    log = cluster.log(worker)
    assert "refusing to join" in log and "0.0.0-other" in log


def test_ctrl_c_leaves_no_container_on_the_workers(
    docker_client: Any, cluster: Cluster, batch: Path, tmp_path: Path
) -> None:
    command = grader_args("run", str(SUM), str(batch), "--cluster", cluster.address, "--no-cache")
    client = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        busy_worker(docker_client, cluster)
        client.send_signal(signal.SIGINT)
        assert client.wait(timeout=30) == ExitCode.INTERRUPTED
    finally:
        if client.poll() is None:
            client.kill()
        client.communicate()
    pids = [w.pid for w in cluster.workers]
    wait_until(
        lambda: not any(made_by(docker_client, pid) for pid in pids), 5.0, "no worker container"
    )


def test_cluster_without_distributed_exits_4_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    from grader.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "distributed" else real(name, *a),
    )
    argv = ["grader", "run", str(SUM), str(SUM / "submissions"), "--cluster", "tcp://127.0.0.1:1"]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == ExitCode.USAGE_ERROR
    assert "grader[cluster]" in capsys.readouterr().err

"""The Docker sandbox, with a real engine: every limit and every isolation guarantee.

Each test runs a small Python program in a real container and checks what the sandbox
observed. Runs of one module share a box, as the cases of one submission do, so these
also prove that nothing from one run survives into the next.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest

from grader.judging.verdicts import classify
from grader.model import MIB, KilledBy, Limits, ProgramFile, RunResult, Verdict
from grader.sandbox.base import BoxSpec, RunSpec

LIMITS = Limits(time=1.0, wall=3.0, memory=64 * MIB, output=1 * MIB)
pytestmark = pytest.mark.usefixtures("no_leaked_containers")


@pytest.fixture(scope="module")
def box(sandbox: Any, image_tags: dict[str, str]) -> Iterator[Any]:
    spec = BoxSpec(image=image_tags["python"], memory=LIMITS.memory + 32 * MIB)
    with sandbox.open(spec) as opened:
        opened.load([ProgramFile("main.py", b"print('loaded')\n")])
        yield opened


def run(box: Any, code: str, stdin: bytes = b"", **limits: Any) -> RunResult:
    spec = {"cpu": LIMITS.time, "wall": LIMITS.wall, "output": LIMITS.output, **limits}
    argv = ("python3", "-c", textwrap.dedent(code))
    return box.run(RunSpec(argv=argv, stdin=stdin, stack=LIMITS.memory, **spec))  # type: ignore[no-any-return]


def verdict(result: RunResult) -> Verdict | None:
    found = classify(result, LIMITS)
    return found[0] if found else None


def test_program_reads_stdin_and_writes_stdout(box: Any) -> None:
    result = run(box, "import sys; print(sum(map(int, sys.stdin.read().split())))", b"1 2\n")
    assert (result.stdout, result.exit_code, verdict(result)) == (b"3\n", 0, None)


def test_loaded_program_files_are_in_the_working_directory(box: Any) -> None:
    assert run(box, "print(open('main.py').read())").stdout.startswith(b"print('loaded')")


def test_large_stdin_arrives_whole(box: Any) -> None:
    data = b"7 " * (4 * MIB)
    result = run(box, "import sys; print(len(sys.stdin.buffer.read()))", data)
    assert result.stdout == f"{len(data)}\n".encode()


def test_busy_loop_is_killed_at_the_cpu_limit(box: Any) -> None:
    result = run(box, "while True: pass")
    assert result.killed_by is KilledBy.CPU and verdict(result) is Verdict.TLE
    assert 1.0 <= result.cpu_time < 1.3


def test_busy_threads_are_killed_at_the_cpu_limit(box: Any) -> None:
    code = """
        import threading
        def spin():
            while True: pass
        for _ in range(4): threading.Thread(target=spin).start()
    """
    result = run(box, code)
    assert result.killed_by is KilledBy.CPU and result.wall_time < 2.5


def test_sleeping_program_is_killed_at_the_wall_limit(box: Any) -> None:
    result = run(box, "import time; time.sleep(30)")
    assert result.killed_by is KilledBy.WALL and verdict(result) is Verdict.TLE
    assert result.cpu_time < 0.2


def test_memory_hog_is_mle_and_reports_its_peak(box: Any) -> None:
    result = run(box, "x = bytearray(200 * 1024 * 1024); print(len(x))")
    assert verdict(result) is Verdict.MLE
    assert result.memory_peak > 50 * MIB


def test_memory_use_under_the_limit_is_measured(box: Any) -> None:
    result = run(box, "x = bytearray(30 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])")
    assert verdict(result) is None and 30 * MIB < result.memory_peak < LIMITS.memory


def test_fork_bomb_is_contained(box: Any) -> None:
    code = """
        import os
        while True:
            try: os.fork()
            except OSError: pass
    """
    result = run(box, code, wall=2.0)
    assert verdict(result) in (Verdict.TLE, Verdict.RTE)
    after = run(box, "import os; print(sorted(p for p in os.listdir('/proc') if p.isdigit()))")
    assert after.stdout.count(b"'") == 4  # only PID 1 (the supervisor) and this program


def test_output_flood_is_ole_and_the_host_keeps_only_the_cap(box: Any) -> None:
    result = run(box, "import sys\nwhile True: sys.stdout.write('x' * 65536)")
    assert result.killed_by is KilledBy.OUTPUT and verdict(result) is Verdict.OLE
    assert len(result.stdout) <= LIMITS.output + 1


def test_stderr_flood_is_ole(box: Any) -> None:
    result = run(box, "import sys\nwhile True: sys.stderr.write('x' * 65536)")
    assert verdict(result) is Verdict.OLE and len(result.stderr) <= 64 * 1024


def test_nonzero_exit_is_reported(box: Any) -> None:
    result = run(box, "import sys; sys.exit(3)")
    assert (result.exit_code, result.signal, verdict(result)) == (3, None, Verdict.RTE)


def test_signal_is_reported(box: Any) -> None:
    result = run(box, "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    assert (result.exit_code, result.signal, verdict(result)) == (None, 11, Verdict.RTE)


def test_stderr_is_brought_back(box: Any) -> None:
    assert b"ZeroDivisionError" in run(box, "1/0").stderr


def test_no_network_interface_but_loopback(box: Any) -> None:
    result = run(box, "import os; print(sorted(os.listdir('/sys/class/net')))")
    assert result.stdout == b"['lo']\n"


def test_no_connection_leaves_the_container(box: Any) -> None:
    code = """
        import socket
        try:
            socket.create_connection(("1.1.1.1", 53), timeout=1); print("connected")
        except OSError as exc:
            print("refused", exc.errno)
    """
    assert run(box, code).stdout.startswith(b"refused")


def test_dns_does_not_resolve(box: Any) -> None:
    code = """
        import socket
        try: socket.gethostbyname("deb.debian.org"); print("resolved")
        except OSError: print("no dns")
    """
    assert run(box, code).stdout == b"no dns\n"


@pytest.mark.parametrize("path", ["/x", "/etc/passwd", "/usr/bin/python3", "/home/x", "/root/x"])
def test_writes_outside_scratch_fail(box: Any, path: str) -> None:
    code = f"""
        try: open({path!r}, "a").write("x"); print("written")
        except OSError as exc: print("denied")
    """
    assert run(box, code).stdout == b"denied\n"


def test_tmp_is_writable(box: Any) -> None:
    assert (
        run(box, "open('/tmp/x', 'w').write('ok'); print(open('/tmp/x').read())").stdout == b"ok\n"
    )


def test_tmp_is_size_capped(box: Any) -> None:
    code = """
        try:
            with open('/tmp/big', 'wb') as f:
                for _ in range(200): f.write(b'x' * 1024 * 1024)
            print("filled")
        except OSError: print("full")
    """
    result = run(box, code)
    assert result.stdout == b"full\n" or verdict(result) is Verdict.MLE


def test_runs_as_non_root_without_capabilities(box: Any) -> None:
    code = """
        import os
        status = dict(l.split(':', 1) for l in open('/proc/self/status'))
        print(os.getuid(), os.geteuid(), status['CapEff'].strip(), status['CapPrm'].strip(),
              status['NoNewPrivs'].strip())
    """
    assert run(box, code).stdout == b"65534 65534 0000000000000000 0000000000000000 1\n"


def test_host_environment_is_not_visible(box: Any) -> None:
    os.environ["GRADER_TEST_SECRET"] = "s3cret"
    assert b"s3cret" not in run(box, "import os; print(dict(os.environ))").stdout


def test_supervisor_cannot_be_ptraced_or_its_stream_opened(box: Any) -> None:
    code = """
        for path in ('/proc/1/fd/1', '/proc/1/mem', '/proc/1/environ'):
            try: open(path, 'rb'); print('opened', path)
            except OSError: print('denied')
    """
    assert run(box, code).stdout == b"denied\ndenied\ndenied\n"


def test_file_left_by_one_run_is_gone_in_the_next(box: Any) -> None:
    run(box, "open('/tmp/left', 'w').write('x'); open('/box/left', 'w').write('x')")
    result = run(box, "import os; print(os.listdir('/tmp'), sorted(os.listdir('/box')))")
    assert result.stdout == b"[] ['main.py']\n"


def test_a_3000_deep_locked_tree_is_gone_in_the_next_run(box: Any) -> None:
    """Deeper than Python's recursion limit and than PATH_MAX, each level mode 0 on the way
    back up: wiping it must neither overflow nor leave it to the next run."""
    code = """
        import os
        for top in ('/tmp', '/box'):
            os.chdir(top)
            for _ in range(3000):
                os.mkdir('d')
                os.chdir('d')
            open('f', 'w').write('x')
            for _ in range(3000):
                os.chdir('..')
                os.chmod('d', 0)
        print('built')
    """
    assert run(box, code).stdout == b"built\n"
    result = run(box, "import os; print(os.listdir('/tmp'), sorted(os.listdir('/box')))")
    assert result.stdout == b"[] ['main.py']\n"


def test_background_process_is_gone_in_the_next_run(box: Any) -> None:
    code = """
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(60)
            os._exit(0)
        print("started")
    """
    run(box, code)
    after = run(box, "import os; print(sorted(p for p in os.listdir('/proc') if p.isdigit()))")
    assert after.stdout.count(b"'") == 4


def test_kill_everything_does_not_break_the_box(box: Any) -> None:
    run(box, "import os, signal\ntry: os.kill(-1, signal.SIGKILL)\nexcept OSError: pass")
    assert run(box, "print('alive')").stdout == b"alive\n"


def test_missing_program_is_a_start_error(box: Any) -> None:
    assert "no-such-binary" in box.run(RunSpec(argv=("no-such-binary",))).start_error


def test_cpu_time_excludes_container_start_and_is_accurate(box: Any) -> None:
    code = """
        import time
        end = time.process_time() + 0.3
        while time.process_time() < end: pass
    """
    for _ in range(5):
        result = run(box, code)
        assert verdict(result) is None
        assert result.cpu_time == pytest.approx(0.3, rel=0.10)


def test_fresh_box_program_is_ac_under_one_second(sandbox: Any, image_tags: dict[str, str]) -> None:
    spec = BoxSpec(image=image_tags["python"], memory=96 * MIB)
    with sandbox.open(spec) as fresh:
        fresh.load([])
        result = run(
            fresh,
            "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass",
        )
    assert verdict(result) is None and result.cpu_time < 0.4


def test_two_boxes_do_not_see_each_other(sandbox: Any, image_tags: dict[str, str]) -> None:
    spec = BoxSpec(image=image_tags["python"], memory=96 * MIB)
    with sandbox.open(spec) as first, sandbox.open(spec) as second:
        first.load([ProgramFile("alice.py", b"secret")])
        second.load([ProgramFile("bob.py", b"")])
        result = run(second, "import os\nprint(sorted(os.listdir('/box')))")
    assert b"alice" not in result.stdout


def test_container_is_removed_after_use(
    sandbox: Any, image_tags: dict[str, str], docker_client: Any
) -> None:
    spec = BoxSpec(image=image_tags["python"], memory=96 * MIB)
    with sandbox.open(spec) as opened:
        container_id = opened.container_id
    assert not docker_client.containers.list(all=True, filters={"id": container_id})


def test_container_is_removed_when_the_host_side_fails(
    sandbox: Any, image_tags: dict[str, str], docker_client: Any
) -> None:
    spec = BoxSpec(image=image_tags["python"], memory=96 * MIB)
    with pytest.raises(RuntimeError), sandbox.open(spec) as opened:
        container_id = opened.container_id
        raise RuntimeError("judge crashed")
    assert not docker_client.containers.list(all=True, filters={"id": container_id})


def test_containers_carry_the_grader_label(
    sandbox: Any, image_tags: dict[str, str], docker_client: Any
) -> None:
    spec = BoxSpec(image=image_tags["python"], memory=96 * MIB)
    with sandbox.open(spec) as opened:
        labels = docker_client.containers.get(opened.container_id).labels
    assert labels["grader"] == "1" and labels["grader.owner"].endswith(f":{os.getpid()}")

"""The in-container supervisor: PID 1 of every grader container, and the protocol it speaks.

Its source, after that of the cgroup reader ``cgroup.py`` (``find_cgroup``), is handed to
the container's ``python3 -c`` as one script (``supervisor_program()`` in
``grader.sandbox.program``), and it talks to the host over the container's attached
stdin/stdout, one frame at a time. The host imports this file too, for the one declaration
of that protocol (the ``*Request`` and ``*Reply`` TypedDicts, checked by mypy on both sides)
and the one implementation of its framing (``encode_frame``, ``read_frame``,
``peek_frame``): ``grader.sandbox.wire`` reads frames out of Docker's attach stream and
``grader.sandbox.box`` builds the requests and reads the replies. Standard library only;
importing it does nothing but define.

A frame is a 4-byte big-endian length, a JSON header (a message, plus ``blobs``: the sizes
of the raw byte strings that follow), then those blobs. The host sends ``load`` (the
program's files, kept for every run), ``run`` (one run: argv, limits, the run's own files;
blobs: stdin, then those files), ``stdin`` (to a streaming run) and ``ping``; the
supervisor answers ``ready`` (once, at start), ``loaded``, ``stdout`` chunks then one
``result`` per run, ``pong``, or ``error``.

At start it finds its cgroup (v1 or v2) and tells the host, in its ``ready`` frame, what it
can measure there (``cgroup``: version, tree CPU, OOM kills, memory), so a host where it
cannot is reported instead of graded wrongly in silence.

Per ``run`` request it:
  1. wipes /box, /tmp and /dev/shm and writes the program's files into /box, then the
     run's own files (a checker's input, answer, output) and its empty ``collect_dir``;
  2. forks the program in a new session with rlimits (CPU backstop, stack, no core);
  3. feeds stdin, streams stdout to the host (stopping at the output cap), keeps the head
     of stderr, and kills the program on its CPU limit (the container's cgroup CPU, so
     background processes cannot evade it) or its wall limit;
  4. returns exit status, signal, CPU time (rusage of the program's process tree), wall
     time, peak RSS, whether the cgroup's OOM killer struck and the cgroup's memory peak
     during the run (``memory.peak`` where it rose, else the highest sample);
  5. kills every other process in the container (it is PID 1: kill(-1) spares only
     itself), reaps them and wipes the directories again, so nothing reaches the next run.

A ``run`` with ``"stream": true`` (an interactive problem) takes no stdin up front: the
host sends ``stdin`` frames while it runs, relayed to the program as they arrive (``Relay``;
an empty one closes its stdin), and stdout streams back as always. Limits, the output cap,
the kill and the cleanup are the same.

It makes itself non-dumpable first, so a program running as the same user can neither
ptrace it nor open /proc/1/fd to forge frames.
"""

import contextlib
import ctypes
import errno
import functools
import json
import os
import resource
import select
import signal
import struct
import sys
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, NotRequired, Protocol, TypedDict, cast, final

__all__ = [
    "ErrorReply",
    "FileSpec",
    "FinishedReply",
    "FrameError",
    "LoadRequest",
    "LoadedReply",
    "Measures",
    "NotStartedReply",
    "PingRequest",
    "PongReply",
    "ReadyReply",
    "Reply",
    "Request",
    "ResultReply",
    "RunRequest",
    "StdinRequest",
    "StdoutReply",
    "encode_frame",
    "peek_frame",
    "read_frame",
]

# ---- the protocol ----------------------------------------------------------------------


class FileSpec(TypedDict):
    path: str  # under /box
    mode: int


class LoadRequest(TypedDict):
    """The program's files (blobs: their contents, in order), placed for every run."""

    op: Literal["load"]
    files: list[FileSpec]


class RunRequest(TypedDict):
    """One run (blobs: stdin, then the contents of ``files``); the host's ``RunSpec``."""

    op: Literal["run"]
    argv: list[str]
    cpu: float  # seconds of CPU, the whole process tree
    wall: float  # seconds
    output: int  # bytes of stdout or of stderr that stop the run
    env: dict[str, str]
    stack: int | None  # RLIMIT_STACK, bytes
    stderr_keep: int  # bytes of stderr brought back
    collect: bool  # bring back the files the run made
    collect_cap: int
    collect_dir: str  # made empty before the run; with collect, only its files come back
    files: list[FileSpec]  # the run's own, after the program's; never collected
    stream: NotRequired[bool]  # stdin comes as ``stdin`` frames while it runs


class StdinRequest(TypedDict):
    """Bytes for a streaming run's stdin (blobs: one; empty closes it)."""

    op: Literal["stdin"]


class PingRequest(TypedDict):
    op: Literal["ping"]


Request = LoadRequest | RunRequest | StdinRequest | PingRequest


class ReadyReply(TypedDict):
    op: Literal["ready"]
    pid: int
    cgroup: dict[str, object]  # what it can measure (``Cgroup.capabilities``)


class LoadedReply(TypedDict):
    op: Literal["loaded"]


class StdoutReply(TypedDict):
    """A chunk of the program's stdout (blobs: one), up to the output cap; while
    streaming, an empty one says the program closed its stdout."""

    op: Literal["stdout"]


class Measures(TypedDict):
    """What the supervisor measured of a run that started (and what became of the files
    it was to collect)."""

    exit_code: int | None
    signal: int | None
    cpu_time: float  # seconds
    wall_time: float  # seconds
    ended_at: float | None  # CLOCK_MONOTONIC: one kernel's, the host's and every box's
    memory_peak: int  # the program's peak RSS, bytes
    oom: bool  # the cgroup's OOM killer struck during the run
    cgroup_memory_peak: int | None
    killed_by: Literal["cpu", "wall", "memory", "output", "host"] | None
    stdout_bytes: int
    stderr_bytes: int
    collect_error: NotRequired[str]  # the collected files were over ``collect_cap``


@final
class FinishedReply(Measures):
    """The end of a run that started (blobs: the head of stderr, then the collected
    files' contents)."""

    clean: bool  # no process outlived the run
    op: Literal["result"]
    files: list[FileSpec]


@final
class NotStartedReply(TypedDict):
    """The end of a run whose program could not be started (blobs: an empty stderr)."""

    exec_error: str
    clean: bool
    op: Literal["result"]
    files: list[FileSpec]


ResultReply = FinishedReply | NotStartedReply


class PongReply(TypedDict):
    op: Literal["pong"]


class ErrorReply(TypedDict):
    op: Literal["error"]
    message: str


Reply = ReadyReply | LoadedReply | StdoutReply | ResultReply | PongReply | ErrorReply

# ---- framing -------------------------------------------------------------------------

LENGTH = struct.Struct(">I")


class FrameError(ValueError):
    """A frame that breaks the framing, or a limit of its reader."""


class _Incomplete(Exception):
    """``peek_frame``: the buffer does not hold the whole frame yet."""


def encode_frame(header: Mapping[str, object], blobs: Sequence[bytes] = ()) -> bytes:
    payload = json.dumps({**header, "blobs": [len(blob) for blob in blobs]}).encode()
    return LENGTH.pack(len(payload)) + payload + b"".join(blobs)


def read_frame(
    take: Callable[[int], bytes], max_header: int | None = None, max_blobs: int | None = None
) -> tuple[dict[str, Any], list[bytes]]:
    """One frame, read with ``take(n)`` (exactly ``n`` bytes): its header and blobs.
    FrameError for a header over ``max_header`` bytes, blobs over ``max_blobs`` in all, or
    a header that is not a message."""
    (size,) = LENGTH.unpack(take(LENGTH.size))
    if max_header is not None and size > max_header:
        raise FrameError(f"a {size}-byte header")
    header = json.loads(take(size))
    if not isinstance(header, dict) or not isinstance(header.get("op"), str):
        raise FrameError(f"a header that is not a message: {header!r:.200}")
    sizes = header.get("blobs", [])
    if not isinstance(sizes, list) or not all(isinstance(n, int) and n >= 0 for n in sizes):
        raise FrameError(f"blob sizes {sizes!r:.200}")
    if max_blobs is not None and sum(sizes) > max_blobs:
        raise FrameError(f"a frame of {sum(sizes)} bytes")
    return header, [take(n) for n in sizes]


def peek_frame(buffer: bytes | bytearray) -> tuple[dict[str, Any], list[bytes], int] | None:
    """The frame at the start of ``buffer`` and its length in bytes, or None while it is
    not all there."""
    end = 0

    def take(n: int) -> bytes:
        nonlocal end
        if end + n > len(buffer):
            raise _Incomplete
        end += n
        return bytes(buffer[end - n : end])

    try:
        header, blobs = read_frame(take)
    except _Incomplete:
        return None
    return header, blobs, end


# ---- the supervisor's state ----------------------------------------------------------

BOX = "/box"
SCRATCH = ("/box", "/tmp", "/dev/shm", "/dev/mqueue")  # /dev/mqueue: POSIX message queues
SYSV_IPC = ("shm", "sem", "msg")
IPC_RMID = 0
CHUNK = 65536
POLL_S = 0.01
CAP_MARGIN = 4 << 20  # memory this close to the container's cap stops the run (MLE)
PR_SET_DUMPABLE = 4


class CgroupReader(Protocol):
    """What the supervisor reads of its cgroup: ``cgroup.Cgroup``."""

    def cpu_ns(self) -> int | None: ...
    def oom_kills(self) -> int | None: ...
    def memory_peak(self) -> int | None: ...
    def memory_now(self) -> int | None: ...
    def memory_limit(self) -> int | None: ...
    def capabilities(self) -> dict[str, object]: ...


CGROUP: list[CgroupReader] = []  # this container's cgroup (find_cgroup()), found once at start
PROGRAM_FILES: list[FileSpec] = []  # the program's files, placed afresh for every run
PROGRAM_BLOBS: list[bytes] = []
INBOX = bytearray()  # host bytes read ahead by a streaming run's relay, not yet a frame


@functools.cache
def libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def find_reader() -> CgroupReader:
    """The cgroup reader: ``find_cgroup``, defined by the script in front of this file,
    or, when this file is run on its own, by ``cgroup.py`` beside it."""
    find = globals().get("find_cgroup")
    if find is None:
        import importlib

        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        find = importlib.import_module("cgroup").find_cgroup
    reader: CgroupReader = find()
    return reader


def make_non_dumpable() -> None:
    if libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE)")


# ---- talking to the host -------------------------------------------------------------


def read_exact(fd: int, n: int) -> bytes:
    parts = [bytes(INBOX[:n])]
    del INBOX[:n]
    n -= len(parts[0])
    while n:
        data = os.read(fd, min(n, 1 << 20))
        if not data:
            raise EOFError
        parts.append(data)
        n -= len(data)
    return b"".join(parts)


def read_request() -> tuple[Request, list[bytes]]:
    header, blobs = read_frame(lambda n: read_exact(0, n))
    return cast(Request, header), blobs  # its op says which


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def send(reply: Reply, blobs: Sequence[bytes] = ()) -> None:
    write_all(1, encode_frame(reply, blobs))


# ---- the scratch directories ---------------------------------------------------------


def wipe(path: str) -> None:
    """Remove everything under path, whatever modes the program left on it and however
    deep: one directory open at a time and no recursion (a program's 3,000-deep tree
    overflowed the recursive version and outlived the run), each level's listing kept."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return
    levels = [("", listing(fd))]
    try:
        while levels:
            name, entries = levels[-1]
            if not entries:
                levels.pop()
                if levels:  # back up to the parent and remove the emptied directory
                    parent = os.open("..", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
                    os.close(fd)
                    fd = parent
                    os.rmdir(name, dir_fd=fd)
                continue
            entry, is_dir = entries.pop()
            if not is_dir:
                os.unlink(entry, dir_fd=fd)
                continue
            os.chmod(entry, 0o700, dir_fd=fd)
            child = os.open(entry, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = child
            levels.append((entry, listing(fd)))
    finally:
        os.close(fd)


def listing(fd: int) -> list[tuple[str, bool]]:
    """The names in the directory open as ``fd``, each with whether it is a directory (not
    following symlinks)."""
    with os.scandir(fd) as entries:
        return [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]


def clear_ipc() -> None:
    """Remove every System V IPC object (shared memory, semaphores, message queues) in the
    container's IPC namespace: like files, they would otherwise outlive a run."""
    lib = libc()
    removers: dict[str, Callable[[int], object]] = {
        "shm": lambda ident: lib.shmctl(ident, IPC_RMID, None),
        "sem": lambda ident: lib.semctl(ident, 0, IPC_RMID),
        "msg": lambda ident: lib.msgctl(ident, IPC_RMID, None),
    }
    for kind in SYSV_IPC:
        try:
            with open(f"/proc/sysvipc/{kind}") as handle:
                rows = handle.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            removers[kind](int(row.split()[1]))


def scrub() -> None:
    """Leave no file, queue or IPC object of a run behind."""
    for path in SCRATCH:
        wipe(path)
    clear_ipc()


def place_files(files: Sequence[FileSpec], blobs: Sequence[bytes]) -> None:
    for spec, data in zip(files, blobs, strict=False):
        path = os.path.join(BOX, spec["path"])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        os.chmod(path, spec["mode"])


def collect_files(
    skip: set[str], cap: int, under: str = ""
) -> tuple[list[FileSpec], list[bytes]] | None:
    """The files under /box/<under> (all of /box by default) but ``skip``, up to ``cap``
    bytes in all; None beyond it."""
    found: list[FileSpec] = []
    blobs: list[bytes] = []
    total = 0
    top = os.path.join(BOX, under)
    if os.path.islink(top):
        return found, blobs
    for root, _dirs, names in os.walk(top):
        for name in sorted(names):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, BOX)
            if rel in skip or not os.path.isfile(path) or os.path.islink(path):
                continue
            with open(path, "rb") as handle:
                data = handle.read(cap - total + 1)
            total += len(data)
            if total > cap:
                return None
            found.append({"path": rel, "mode": os.stat(path).st_mode & 0o777})
            blobs.append(data)
    return found, blobs


# ---- processes -----------------------------------------------------------------------


def kill_everyone() -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(-1, signal.SIGKILL)


def reap_everyone(deadline_s: float = 5.0) -> bool:
    """Kill and reap every process but this one; True when none is left."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        kill_everyone()
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            return True
        time.sleep(0.002)
    return False


def oom_kills() -> int:
    return CGROUP[0].oom_kills() or 0


class TreeCpu:
    """CPU seconds used in the container since start(), minus this supervisor's own."""

    def __init__(self) -> None:
        self.base = CGROUP[0].cpu_ns()
        self.own = time.process_time()

    def seconds(self) -> float | None:
        now = CGROUP[0].cpu_ns()
        if now is None or self.base is None:
            return None
        return (now - self.base) / 1e9 - (time.process_time() - self.own)


class TreeMemory:
    """The cgroup's highest memory use during one run: ``memory.peak`` when it rose during
    the run (it is a high-water mark since the container started), else the samples'.

    ``at_cap``: the container's memory is within ``CAP_MARGIN`` of its cap. The cap is the
    program's limit plus the supervisor's allowance, so a program there is over its limit;
    and there the kernel reclaims page cache (the program's own code among it) rather than
    kill, and the run crawls on until the wall limit: a 512 MiB program under a 512 MiB
    limit sat at the cap for 11 s of wall and 1 s of CPU, TLE where it should be MLE."""

    def __init__(self) -> None:
        self.base = CGROUP[0].memory_peak()
        self.sampled = CGROUP[0].memory_now()
        self.cap = CGROUP[0].memory_limit()
        self.now: int | None = None

    def sample(self) -> None:
        now = self.now = CGROUP[0].memory_now()
        if now is not None and (self.sampled is None or now > self.sampled):
            self.sampled = now

    def at_cap(self) -> bool:
        return self.now is not None and self.cap is not None and self.now >= self.cap - CAP_MARGIN

    def peak(self) -> int | None:
        peak = CGROUP[0].memory_peak()
        if peak is not None and self.base is not None and peak > self.base:
            return peak
        return self.sampled


def child_setup(req: RunRequest, fds: tuple[int, int, int], keep: int) -> None:
    """In the forked child: stdio to the pipes, close the rest but ``keep`` (close-on-exec),
    set limits and signals, enter /box."""
    os.setsid()
    os.dup2(fds[0], 0)
    os.dup2(fds[1], 1)
    os.dup2(fds[2], 2)
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 16)
    cpu = int(req["cpu"]) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    stack = req["stack"]
    if stack:
        hard = resource.getrlimit(resource.RLIMIT_STACK)[1]
        if hard != resource.RLIM_INFINITY:
            stack = min(stack, hard)
        resource.setrlimit(resource.RLIMIT_STACK, (stack, hard))
    for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGXCPU, signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    os.chdir(BOX)


def spawn(req: RunRequest) -> tuple[int, int, int, int, str]:
    """Fork and exec the program: its pid, the host ends of its stdin, stdout and stderr
    pipes, and why it could not be started ("" if it was)."""
    stdin_r, stdin_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    exec_r, exec_w = os.pipe2(os.O_CLOEXEC)
    pid = os.fork()
    if pid == 0:
        try:
            child_setup(req, (stdin_r, out_w, err_w), exec_w)
            os.execvpe(req["argv"][0], req["argv"], req["env"])
        except BaseException as exc:
            try:
                os.write(exec_w, ("{}: {}".format(req["argv"][0], exc)).encode()[:1000])
            finally:
                os._exit(127)
    for fd in (stdin_r, out_w, err_w, exec_w):
        os.close(fd)
    exec_error = b""
    while True:
        data = os.read(exec_r, 1000)
        if not data:
            break
        exec_error += data
    os.close(exec_r)
    return pid, stdin_w, out_r, err_r, exec_error.decode(errors="replace")


# ---- one run -------------------------------------------------------------------------


class Pipes:
    """What one run's loop polls: the pidfd that says the program exited, its stdout and
    stderr, and its stdin: fed from the request's bytes, relayed from the host's ``stdin``
    frames (a streaming run, ``relay``), or closed at once when there is nothing to feed."""

    def __init__(self, pid: int, stdin_w: int, outputs: dict[int, str], run: "Run") -> None:
        os.set_blocking(stdin_w, False)
        self.poller = select.poll()
        self.exited = os.pidfd_open(pid)  # readable when the program exits: no polling delay
        self.poller.register(self.exited, select.POLLIN)
        self.streams = outputs  # fd -> "out" or "err"
        for fd in self.streams:
            self.poller.register(fd, select.POLLIN)
        self.relay = Relay(self.poller, stdin_w) if run.req.get("stream") else None
        self.stdin_w: int | None = None
        if self.relay is None and run.stdin:
            self.poller.register(stdin_w, select.POLLOUT)
            self.stdin_w = stdin_w
        elif self.relay is None:
            os.close(stdin_w)

    def close_stream(self, fd: int) -> None:
        self.poller.unregister(fd)
        os.close(fd)
        del self.streams[fd]

    def close(self, run: "Run") -> None:
        """After the run: the rest of its output read, every pipe closed."""
        os.close(self.exited)
        kill_everyone()
        for fd in list(self.streams):
            while run.drain(fd, self.streams[fd]):
                pass
            os.close(fd)
        if self.stdin_w is not None:
            os.close(self.stdin_w)
        if self.relay is not None:
            self.relay.close()


class Run:
    def __init__(self, req: RunRequest, stdin: bytes) -> None:
        self.req = req
        self.stdin = memoryview(stdin)
        self.out_total = 0
        self.err_head = bytearray()
        self.err_total = 0
        self.killed_by: Literal["cpu", "wall", "memory", "output", "host"] | None = None
        self.status: int | None = None
        self.rusage: resource.struct_rusage | None = None

    def execute(self) -> Measures | str:
        """Run the program to its end: its measures, or why it could not be started."""
        oom_before = oom_kills()
        cpu = TreeCpu()
        memory = TreeMemory()
        start = time.monotonic()
        pid, stdin_w, out_r, err_r, exec_error = spawn(self.req)
        if exec_error:
            os.waitpid(pid, 0)
            return exec_error
        pipes = Pipes(pid, stdin_w, {out_r: "out", err_r: "err"}, self)
        ended = self.supervise(pid, pipes, start, cpu, memory)
        wall = ended - start
        pipes.close(self)
        return self.measures(wall, ended, cpu, memory, oom_before)

    def supervise(
        self, pid: int, pipes: Pipes, start: float, cpu: TreeCpu, memory: TreeMemory
    ) -> float:
        """Move bytes and enforce the limits until the program has exited and its output
        is read (or has gone quiet for 50 ms); when it exited."""
        ended: float | None = None
        while True:
            for fd, _event in pipes.poller.poll(POLL_S * 1000):
                self.handle(fd, pipes)
            now = time.monotonic()
            if self.status is None:
                self.poll_exit(pid)
                if self.status is not None:
                    ended = now
            if self.status is None and self.killed_by is None:
                self.enforce(now - start, cpu, memory)
            if ended is not None and (not pipes.streams or now - ended > 0.05):
                return ended

    def handle(self, fd: int, pipes: Pipes) -> None:
        """One fd that is ready."""
        if fd == pipes.exited:
            pipes.poller.unregister(pipes.exited)
        elif pipes.relay is not None and pipes.relay.handles(fd):
            if not pipes.relay.step(fd):
                self.stop("host")
        elif fd == pipes.stdin_w:
            pipes.stdin_w = self.feed(pipes.poller, fd)
        elif fd in pipes.streams and not self.drain(fd, pipes.streams[fd]):
            pipes.close_stream(fd)

    def enforce(self, elapsed: float, cpu: TreeCpu, memory: TreeMemory) -> None:
        """Stop the program at its wall limit, its CPU limit (the tree's) or the cap."""
        memory.sample()
        used = cpu.seconds()
        if elapsed > self.req["wall"]:
            self.stop("wall")
        elif used is not None and used > self.req["cpu"]:
            self.stop("cpu")
        elif memory.at_cap():
            self.stop("memory")

    def measures(
        self, wall: float, ended: float, cpu: TreeCpu, memory: TreeMemory, oom_before: int
    ) -> Measures:
        status, usage = self.status, self.rusage
        assert status is not None and usage is not None
        own = usage.ru_utime + usage.ru_stime
        tree = cpu.seconds()
        return {
            "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            # The program's rusage; when the tree's CPU (background processes included)
            # made us kill it, that larger figure is the one that counted.
            "cpu_time": max(own, tree or 0.0) if self.killed_by == "cpu" else own,
            "wall_time": wall,
            "ended_at": ended,
            "memory_peak": usage.ru_maxrss * 1024,
            "oom": oom_kills() > oom_before,
            "cgroup_memory_peak": memory.peak(),
            "killed_by": self.killed_by,
            "stdout_bytes": self.out_total,
            "stderr_bytes": self.err_total,
        }

    def feed(self, poller: select.poll, stdin_w: int) -> int | None:
        try:
            written = os.write(stdin_w, self.stdin[:CHUNK])
            self.stdin = self.stdin[written:]
        except BlockingIOError:
            return stdin_w
        except OSError:
            self.stdin = self.stdin[:0]
        if not self.stdin:
            poller.unregister(stdin_w)
            os.close(stdin_w)
            return None
        return stdin_w

    def drain(self, fd: int, stream: str) -> bool:
        """Read one chunk of a stream; False at end of file."""
        try:
            data = os.read(fd, CHUNK)
        except BlockingIOError:
            return True
        if not data:
            if stream == "out" and self.req.get("stream"):
                send({"op": "stdout"}, [b""])  # the program closed its stdout
            return False
        cap = self.req["output"]
        if stream == "out":
            keep = data[: max(0, cap + 1 - self.out_total)]
            self.out_total += len(data)
            if keep:
                send({"op": "stdout"}, [keep])
        else:
            self.err_total += len(data)
            room = self.req["stderr_keep"] - len(self.err_head)
            if room > 0:
                self.err_head += data[:room]
        if self.out_total > cap or self.err_total > cap:
            self.stop("output")
        return True

    def poll_exit(self, pid: int) -> None:
        got, status, usage = os.wait4(pid, os.WNOHANG)
        if got:
            self.status, self.rusage = status, usage

    def stop(self, reason: Literal["cpu", "wall", "memory", "output", "host"]) -> None:
        if self.killed_by is None:
            self.killed_by = reason
        kill_everyone()


class Relay:
    """A streaming run's stdin: ``stdin`` frames from the host, written to the program as
    they arrive (an empty one closes its stdin). Read ahead of a frame stays in INBOX."""

    def __init__(self, poller: select.poll, stdin_w: int) -> None:
        self.poller = poller
        self.stdin_w: int | None = stdin_w
        self.pending = bytearray()
        self.closing = False
        os.set_blocking(0, False)
        poller.register(0, select.POLLIN)

    def handles(self, fd: int) -> bool:
        return fd in (0, self.stdin_w)

    def step(self, fd: int) -> bool:
        """Move bytes one way; False when the host has gone."""
        if fd == 0:
            try:
                data = os.read(0, CHUNK)
            except BlockingIOError:
                return True
            if not data:
                self.poller.unregister(0)
                return False
            INBOX.extend(data)
            self.unpack()
        self.write()
        return True

    def unpack(self) -> None:
        """Take the complete ``stdin`` frames off INBOX (anything else stays there)."""
        while (found := peek_frame(INBOX)) is not None:
            header, blobs, size = found
            if header["op"] != "stdin":
                return
            del INBOX[:size]
            data = b"".join(blobs)
            self.pending += data
            self.closing = self.closing or not data

    def write(self) -> None:
        if self.stdin_w is None:
            self.pending.clear()
            return
        try:
            while self.pending:
                written = os.write(self.stdin_w, self.pending[:CHUNK])
                del self.pending[:written]
        except BlockingIOError:
            pass
        except OSError:  # the program closed its stdin: what it will not read is dropped
            self.pending.clear()
            self.closing = True
        if self.pending:
            self.poller.register(self.stdin_w, select.POLLOUT)
        elif self.closing:
            self.close_stdin()
        else:
            with contextlib.suppress(KeyError):
                self.poller.unregister(self.stdin_w)

    def close_stdin(self) -> None:
        assert self.stdin_w is not None
        with contextlib.suppress(KeyError):
            self.poller.unregister(self.stdin_w)
        os.close(self.stdin_w)
        self.stdin_w = None

    def close(self) -> None:
        with contextlib.suppress(KeyError):
            self.poller.unregister(0)
        os.set_blocking(0, True)
        if self.stdin_w is not None:
            self.close_stdin()


# ---- requests ------------------------------------------------------------------------


def handle_run(req: RunRequest, blobs: list[bytes]) -> None:
    place_files(PROGRAM_FILES, PROGRAM_BLOBS)
    place_files(req["files"], blobs[1:])
    del blobs[1:]  # on tmpfs now: do not hold them twice during the run
    under = req["collect_dir"]
    if under:
        os.makedirs(os.path.join(BOX, under), exist_ok=True)
    run = Run(req, blobs[0])
    measured = run.execute()
    if isinstance(measured, str):
        clean = reap_everyone()
        scrub()
        send({"exec_error": measured, "clean": clean, "op": "result", "files": []}, [b""])
        return
    found, files, error = collected(req, under)
    clean = reap_everyone()
    scrub()
    if error:
        measured["collect_error"] = error
    reply: FinishedReply = {**measured, "clean": clean, "op": "result", "files": found}
    send(reply, [bytes(run.err_head), *files])


def collected(req: RunRequest, under: str) -> tuple[list[FileSpec], list[bytes], str]:
    """The files a ``collect`` run made (none otherwise), and why they were dropped."""
    if not req["collect"]:
        return [], [], ""
    skip = {spec["path"] for spec in PROGRAM_FILES} | {spec["path"] for spec in req["files"]}
    found = collect_files(skip, req["collect_cap"], under)
    if found is None:
        what = f"files in /box/{under}" if under else "compiled files"
        return [], [], f"{what} exceed {req['collect_cap']} bytes"
    return found[0], found[1], ""


def handle_load(req: LoadRequest, blobs: list[bytes]) -> None:
    PROGRAM_FILES[:] = req["files"]
    PROGRAM_BLOBS[:] = blobs
    send({"op": "loaded"})


def handle(req: Request, blobs: list[bytes]) -> None:
    if req["op"] == "run":
        handle_run(req, blobs)
    elif req["op"] == "load":
        handle_load(req, blobs)
    elif req["op"] == "stdin":
        pass  # sent to a streaming run that had already ended
    elif req["op"] == "ping":
        send({"op": "pong"})
    else:
        send({"op": "error", "message": "unknown op {!r}".format(req["op"])})


def main() -> None:
    if os.getpid() != 1:  # it wipes /tmp and kills every process it can: only in a box
        sys.exit("grader's supervisor runs only as PID 1 of a grader container")
    make_non_dumpable()
    os.umask(0o022)
    for path in SCRATCH:
        wipe(path)
    CGROUP[:] = [find_reader()]
    send({"op": "ready", "pid": os.getpid(), "cgroup": CGROUP[0].capabilities()})
    while True:
        try:
            req, blobs = read_request()
        except EOFError:
            return
        try:
            handle(req, blobs)
        except Exception as exc:
            reap_everyone()
            where = traceback.extract_tb(exc.__traceback__)[-1]
            message = f"{type(exc).__name__}: {exc} (supervisor line {where.lineno})"
            send({"op": "error", "message": message})


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise

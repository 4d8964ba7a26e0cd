"""The in-container supervisor: PID 1 of every grader container.

This file is not imported by grader. Its source, after that of the cgroup reader
``cgroup.py`` (``find_cgroup``), is handed to the container's ``python3 -c`` as one script
(``supervisor_program()`` in ``grader.sandbox.program``), and it talks to the host over the
container's attached stdin/stdout, one length-prefixed frame at a time (see
``grader.sandbox.wire``). Standard library only.

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
import json
import os
import resource
import select
import signal
import struct
import sys
import time
import traceback

if "find_cgroup" not in globals():  # run from its own file: the reader is beside it
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from cgroup import find_cgroup

BOX = "/box"
SCRATCH = ("/box", "/tmp", "/dev/shm", "/dev/mqueue")  # /dev/mqueue: POSIX message queues
SYSV_IPC = ("shm", "sem", "msg")
IPC_RMID = 0
HEADER = struct.Struct(">I")
CHUNK = 65536
POLL_S = 0.01
CAP_MARGIN = 4 << 20  # memory this close to the container's cap stops the run (MLE)
CGROUP = [None]  # this container's cgroup (find_cgroup()), found once at start
PR_SET_DUMPABLE = 4
LIBC = ctypes.CDLL(None, use_errno=True)
PROGRAM = [[], []]  # the program's files (specs, contents), placed afresh for every run
INBOX = bytearray()  # host bytes read ahead by a streaming run's relay, not yet a frame


def make_non_dumpable():
    libc = LIBC
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE)")


# ---- framing -------------------------------------------------------------------------


def read_exact(fd, n):
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


def read_frame():
    (size,) = HEADER.unpack(read_exact(0, HEADER.size))
    header = json.loads(read_exact(0, size))
    blobs = [read_exact(0, n) if n else b"" for n in header.get("blobs", [])]
    return header, blobs


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def send(header, blobs=()):
    header["blobs"] = [len(b) for b in blobs]
    payload = json.dumps(header).encode()
    write_all(1, HEADER.pack(len(payload)) + payload + b"".join(blobs))


# ---- the scratch directories ---------------------------------------------------------


def wipe(path):
    """Remove everything under path, whatever modes the program left on it."""
    try:
        entries = list(os.scandir(path))
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            os.chmod(entry.path, 0o700)
            wipe(entry.path)
            os.rmdir(entry.path)
        else:
            os.unlink(entry.path)


def clear_ipc():
    """Remove every System V IPC object (shared memory, semaphores, message queues) in the
    container's IPC namespace: like files, they would otherwise outlive a run."""
    libc = LIBC
    removers = {
        "shm": lambda ident: libc.shmctl(ident, IPC_RMID, None),
        "sem": lambda ident: libc.semctl(ident, 0, IPC_RMID),
        "msg": lambda ident: libc.msgctl(ident, IPC_RMID, None),
    }
    for kind in SYSV_IPC:
        try:
            with open(f"/proc/sysvipc/{kind}") as handle:
                rows = handle.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            removers[kind](int(row.split()[1]))


def scrub():
    """Leave no file, queue or IPC object of a run behind."""
    for path in SCRATCH:
        wipe(path)
    clear_ipc()


def place_files(files, blobs):
    for spec, data in zip(files, blobs, strict=False):
        path = os.path.join(BOX, spec["path"])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        os.chmod(path, spec.get("mode", 0o644))


def collect_files(skip, cap, under=""):
    """The files under /box/<under> (all of /box by default) but ``skip``, up to ``cap``
    bytes in all; (None, None) beyond it."""
    found, blobs, total = [], [], 0
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
                return None, None
            found.append({"path": rel, "mode": os.stat(path).st_mode & 0o777})
            blobs.append(data)
    return found, blobs


# ---- processes -----------------------------------------------------------------------


def kill_everyone():
    with contextlib.suppress(ProcessLookupError):
        os.kill(-1, signal.SIGKILL)


def reap_everyone(deadline_s=5.0):
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


def oom_kills():
    return CGROUP[0].oom_kills() or 0


class TreeCpu:
    """CPU seconds used in the container since start(), minus this supervisor's own."""

    def __init__(self):
        self.base = CGROUP[0].cpu_ns()
        self.own = time.process_time()

    def seconds(self):
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

    def __init__(self):
        self.base = CGROUP[0].memory_peak()
        self.sampled = CGROUP[0].memory_now()
        self.cap = CGROUP[0].memory_limit()
        self.now = None

    def sample(self):
        now = self.now = CGROUP[0].memory_now()
        if now is not None and (self.sampled is None or now > self.sampled):
            self.sampled = now

    def at_cap(self):
        return None not in (self.now, self.cap) and self.now >= self.cap - CAP_MARGIN

    def peak(self):
        peak = CGROUP[0].memory_peak()
        if peak is not None and self.base is not None and peak > self.base:
            return peak
        return self.sampled


def child_setup(req, fds, keep):
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
    stack = req.get("stack")
    if stack:
        hard = resource.getrlimit(resource.RLIMIT_STACK)[1]
        if hard != resource.RLIM_INFINITY:
            stack = min(stack, hard)
        resource.setrlimit(resource.RLIMIT_STACK, (stack, hard))
    for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGXCPU, signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    os.chdir(req.get("cwd", BOX))


def spawn(req):
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


class Run:
    def __init__(self, req, stdin):
        self.req = req
        self.stdin = memoryview(stdin)
        self.out_total = 0
        self.err_head = bytearray()
        self.err_total = 0
        self.killed_by = None
        self.status = None
        self.rusage = None

    def execute(self):
        req = self.req
        oom_before = oom_kills()
        cpu = TreeCpu()
        memory = TreeMemory()
        start = time.monotonic()
        pid, stdin_w, out_r, err_r, exec_error = spawn(req)
        if exec_error:
            os.waitpid(pid, 0)
            return {"exec_error": exec_error}
        os.set_blocking(stdin_w, False)
        poller = select.poll()
        exited = os.pidfd_open(pid)  # readable when the program exits: no polling delay
        poller.register(exited, select.POLLIN)
        streams = {out_r: "out", err_r: "err"}
        for fd in streams:
            poller.register(fd, select.POLLIN)
        relay = Relay(poller, stdin_w) if req.get("stream") else None
        if relay is not None:
            stdin_w = None
        elif self.stdin:
            poller.register(stdin_w, select.POLLOUT)
        else:
            os.close(stdin_w)
            stdin_w = None
        ended = None
        while True:
            for fd, _event in poller.poll(POLL_S * 1000):
                if fd == exited:
                    poller.unregister(exited)
                elif relay is not None and relay.handles(fd):
                    if not relay.step(fd):
                        self.stop("host")
                elif fd == stdin_w:
                    stdin_w = self.feed(poller, stdin_w)
                elif fd in streams and not self.drain(fd, streams[fd]):
                    poller.unregister(fd)
                    os.close(fd)
                    del streams[fd]
            now = time.monotonic()
            if self.status is None:
                self.poll_exit(pid, now)
                if self.status is not None:
                    ended = now
            if self.status is None and self.killed_by is None:
                memory.sample()
                used = cpu.seconds()
                if now - start > req["wall"]:
                    self.stop("wall")
                elif used is not None and used > req["cpu"]:
                    self.stop("cpu")
                elif memory.at_cap():
                    self.stop("memory")
            if self.status is not None and (not streams or now - ended > 0.05):
                break
        wall = (ended or time.monotonic()) - start
        os.close(exited)
        kill_everyone()
        for fd in list(streams):
            while self.drain(fd, streams[fd]):
                pass
            os.close(fd)
        if stdin_w is not None:
            os.close(stdin_w)
        if relay is not None:
            relay.close()
        status = self.status
        usage = self.rusage
        own = usage.ru_utime + usage.ru_stime
        tree = cpu.seconds()
        return {
            "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            # The program's rusage; when the tree's CPU (background processes included)
            # made us kill it, that larger figure is the one that counted.
            "cpu_time": max(own, tree or 0.0) if self.killed_by == "cpu" else own,
            "wall_time": wall,
            "ended_at": ended,  # CLOCK_MONOTONIC: one kernel's, the host's and every box's
            "memory_peak": usage.ru_maxrss * 1024,
            "oom": oom_kills() > oom_before,
            "cgroup_memory_peak": memory.peak(),
            "killed_by": self.killed_by,
            "stdout_bytes": self.out_total,
            "stderr_bytes": self.err_total,
        }

    def feed(self, poller, stdin_w):
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

    def drain(self, fd, stream):
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

    def poll_exit(self, pid, now):
        got, status, usage = os.wait4(pid, os.WNOHANG)
        if got:
            self.status, self.rusage = status, usage

    def stop(self, reason):
        if self.killed_by is None:
            self.killed_by = reason
        kill_everyone()


class Relay:
    """A streaming run's stdin: ``stdin`` frames from the host, written to the program as
    they arrive (an empty one closes its stdin). Read ahead of a frame stays in INBOX."""

    def __init__(self, poller, stdin_w):
        self.poller = poller
        self.stdin_w = stdin_w
        self.pending = bytearray()
        self.closing = False
        os.set_blocking(0, False)
        poller.register(0, select.POLLIN)

    def handles(self, fd):
        return fd in (0, self.stdin_w)

    def step(self, fd):
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

    def unpack(self):
        while len(INBOX) >= HEADER.size:
            (size,) = HEADER.unpack(INBOX[: HEADER.size])
            if len(INBOX) < HEADER.size + size:
                return
            header = json.loads(INBOX[HEADER.size : HEADER.size + size])
            total = HEADER.size + size + sum(header.get("blobs", []))
            if len(INBOX) < total or header.get("op") != "stdin":
                return
            data = bytes(INBOX[HEADER.size + size : total])
            del INBOX[:total]
            self.pending += data
            self.closing = self.closing or not data

    def write(self):
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

    def close_stdin(self):
        with contextlib.suppress(KeyError):
            self.poller.unregister(self.stdin_w)
        os.close(self.stdin_w)
        self.stdin_w = None

    def close(self):
        with contextlib.suppress(KeyError):
            self.poller.unregister(0)
        os.set_blocking(0, True)
        if self.stdin_w is not None:
            self.close_stdin()


def handle_run(req, blobs):
    place_files(*PROGRAM)
    extra = req.get("files", [])
    place_files(extra, blobs[1:])
    del blobs[1:]  # on tmpfs now: do not hold them twice during the run
    under = req.get("collect_dir", "")
    if under:
        os.makedirs(os.path.join(BOX, under), exist_ok=True)
    run = Run(req, blobs[0])
    result = run.execute()
    found, files = [], []
    if req.get("collect") and "exec_error" not in result:
        skip = {spec["path"] for spec in PROGRAM[0]} | {spec["path"] for spec in extra}
        found, files = collect_files(skip, req["collect_cap"], under)
        if found is None:
            what = f"files in /box/{under}" if under else "compiled files"
            result["collect_error"] = f"{what} exceed {req['collect_cap']} bytes"
            found, files = [], []
    result["clean"] = reap_everyone()
    scrub()
    result["op"] = "result"
    result["files"] = found
    send(result, [bytes(run.err_head), *files])


def handle_load(req, blobs):
    PROGRAM[:] = [req["files"], blobs]
    send({"op": "loaded"})


def main():
    make_non_dumpable()
    os.umask(0o022)
    for path in SCRATCH:
        wipe(path)
    CGROUP[0] = find_cgroup()
    send({"op": "ready", "pid": os.getpid(), "cgroup": CGROUP[0].capabilities()})
    while True:
        try:
            req, blobs = read_frame()
        except EOFError:
            return
        try:
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

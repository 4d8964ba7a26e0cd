"""The Docker sandbox: the one module (with ``images.py``) that talks to the engine.

Each box is a container whose PID 1 is the supervisor (``supervisor.py``), reached over
the container's attached stdin/stdout. The container has no network, a read-only root,
runs as ``nobody`` with every capability dropped and ``no-new-privileges``, a memory cap
with no swap, a CPU quota, a process cap, size-capped tmpfs for /box and /tmp, no logging,
and the label ``grader=1`` (plus its owner's host and pid) so leftovers can be reaped.
Every engine failure is raised as ``SandboxError``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Any

import docker
import docker.errors
import requests.exceptions

from grader.errors import SandboxError
from grader.model import MIB, KilledBy, ProgramFile, RunResult
from grader.sandbox.base import BoxSpec, RunSpec
from grader.sandbox.wire import FrameReader, encode_frame

__all__ = [
    "LABEL",
    "DockerBox",
    "DockerSandbox",
    "Listed",
    "Reaped",
    "connect",
    "listed",
    "owner_label",
    "reap",
]

LABEL = "grader"
OWNER_LABEL = "grader.owner"
USER = "65534:65534"  # nobody
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_ENGINE_ERRORS = (
    docker.errors.DockerException,
    requests.exceptions.RequestException,
    OSError,
    ValueError,
)
_SUPERVISOR = resources.files("grader.sandbox").joinpath("supervisor.py").read_text()
_START_TIMEOUT_S = 30.0
_SLACK_S = 15.0  # how much longer than a run's wall limit the host waits for its result


def owner_label() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def connect(timeout: int = 60) -> Any:
    """A client for the engine named by the environment (DOCKER_HOST) or the default."""
    try:
        client = docker.from_env(timeout=timeout)
        client.ping()
    except _ENGINE_ERRORS as exc:
        raise SandboxError(
            f"no Docker engine answers ({exc}); start Docker, or run `make engine` here"
        ) from exc
    return client


@dataclass(frozen=True)
class Listed:
    """One of grader's containers as the engine lists it."""

    id: str
    owner: str  # "host:pid" of the grader process that made it
    state: str  # created, running, exited, dead, removing, ...


def listed(client: Any, *, owner: str | None = None, running: bool = False) -> list[Listed]:
    """grader's containers (only ``owner``'s, if given), from the engine's list alone.

    ``client.containers.list()`` inspects each container it lists, so it fails outright
    when one is removed in between (another grader reaping, a background removal) and on
    an entry a crashed engine left uninspectable; the summary list has neither race.
    """
    try:
        rows = client.api.containers(all=not running, filters={"label": LABEL})
    except _ENGINE_ERRORS as exc:
        raise SandboxError(f"cannot list containers: {exc}") from exc
    found = [
        Listed(str(row["Id"]), (row.get("Labels") or {}).get(OWNER_LABEL, ""), row.get("State", ""))
        for row in rows
    ]
    return [c for c in found if owner is None or c.owner == owner]


@dataclass(frozen=True)
class Reaped:
    removed: int
    refused: tuple[str, ...] = ()  # ids the engine would not remove (e.g. half-removed)


def reap(client: Any, *, only_dead_owners: bool = True) -> Reaped:
    """Remove grader's containers; by default only those whose grader process is gone.
    A container that vanishes meanwhile, or that the engine refuses to remove, does not
    stop the others (nor the run that reaps)."""
    host = socket.gethostname()
    removed = 0
    refused: list[str] = []
    for container in listed(client):
        if only_dead_owners and _owner_alive(container.owner, host):
            continue
        try:
            client.api.remove_container(container.id, force=True)
            removed += 1
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as exc:
            if "already in progress" not in str(exc):
                refused.append(container.id[:12])
        except _ENGINE_ERRORS as exc:
            raise SandboxError(f"cannot reap containers: {exc}") from exc
    return Reaped(removed, tuple(refused))


def _owner_alive(owner: str, host: str) -> bool:
    owner_host, _, pid = owner.rpartition(":")
    if owner_host != host or not pid.isdigit():
        return True  # another machine's, or unknown: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DockerSandbox:
    """Opens boxes on a Docker engine.

    With ``spares`` > 0 it keeps up to that many started boxes per ``BoxSpec`` ready, made
    in the background while the current ones run, and removes used containers in the
    background too: a batch then waits for no container start or removal. A run box is
    always a fresh container that nobody has used; a ``reusable`` box (compiler, checker)
    goes back to the spares after use, its supervisor having scrubbed it as between cases.
    ``close()`` (or leaving a ``with`` block) waits for that work and removes the spares;
    ``abort()`` removes everything at once.
    """

    def __init__(self, client: Any | None = None, *, spares: int = 0) -> None:
        self._client = client if client is not None else connect()
        self._owner = owner_label()
        self._live: set[str] = set()  # containers this sandbox made and has not removed
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)  # a spare was added or failed
        self._wanted = spares
        self._spares: dict[BoxSpec, list[DockerBox]] = {}
        self._pending: dict[BoxSpec, int] = {}  # spares being started
        self._closed = False
        self._background = (
            ThreadPoolExecutor(max_workers=2, thread_name_prefix="sandbox") if spares else None
        )

    @property
    def client(self) -> Any:
        return self._client

    def __enter__(self) -> DockerSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def open(self, spec: BoxSpec) -> Iterator[DockerBox]:
        box = self._take_spare(spec) or self._start(spec)
        if not spec.reusable:
            self._refill(spec)
        try:
            yield box
        except BaseException:
            box.close()
            with contextlib.suppress(SandboxError):  # keep the original error's message
                self._dispose(box.container_id)
            raise
        if not (spec.reusable and self._keep(spec, box)):
            box.close()
            self._dispose(box.container_id)

    def _keep(self, spec: BoxSpec, box: DockerBox) -> bool:
        """Return a reusable box (its last run ended clean) to the spares, if room."""
        with self._ready:
            boxes = self._spares.setdefault(spec, [])
            if self._closed or self._background is None or len(boxes) >= self._wanted:
                return False
            boxes.append(box)
            self._ready.notify_all()
            return True

    def _dispose(self, container_id: str) -> None:
        """Remove a used container: in the background when pooling, else now."""
        if self._background is not None and not self._closed:
            try:
                self._background.submit(self._remove_quietly, container_id)
                return
            except RuntimeError:  # shutting down
                pass
        self._remove(container_id)

    def close(self) -> None:
        """Finish background work and remove the spares."""
        with self._ready:
            self._closed = True
            self._ready.notify_all()
        if self._background is not None:
            self._background.shutdown(wait=True)
        with self._lock:
            spares = [box for boxes in self._spares.values() for box in boxes]
            self._spares.clear()
        for box in spares:
            box.close()
            self._remove_quietly(box.container_id)

    def recover(self, timeout: float) -> bool:
        """Wait until the engine answers again (it may be restarting), with backoff, and
        drop the spare boxes, which an engine restart takes down. False on timeout."""
        with self._ready:
            spares = [box for boxes in self._spares.values() for box in boxes]
            self._spares.clear()
        for box in spares:
            box.close()
        deadline = time.monotonic() + timeout
        pause = 0.2
        while True:
            try:
                self._client.ping()
                for box in spares:  # gone with a restart; if not, they must not leak
                    self._remove_quietly(box.container_id)
                return True
            except _ENGINE_ERRORS:
                if time.monotonic() + pause > deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 2.0)

    def abort(self) -> int:
        """Remove every container this sandbox has open; runs inside them fail at once with
        SandboxError. Called when a batch is interrupted. Returns how many it removed."""
        with self._ready:
            self._closed = True
            self._ready.notify_all()
        with self._lock:
            live = list(self._live)
        for container_id in live:
            self._remove_quietly(container_id)
        return len(live)

    # ---- spares ----------------------------------------------------------------------

    def _start(self, spec: BoxSpec) -> DockerBox:
        container_id = self._create(spec)
        with self._lock:
            self._live.add(container_id)
        box = DockerBox(self._client, container_id)
        try:
            box.start()
        except BaseException:
            box.close()
            self._remove_quietly(container_id)
            raise
        return box

    def _take_spare(self, spec: BoxSpec) -> DockerBox | None:
        """A ready spare; if one is being started, wait for it rather than start another."""
        with self._ready:
            while not self._spares.get(spec) and self._pending.get(spec, 0) and not self._closed:
                self._ready.wait(timeout=_START_TIMEOUT_S)
            boxes = self._spares.get(spec)
            return boxes.pop() if boxes else None

    def _refill(self, spec: BoxSpec) -> None:
        if self._background is None or self._closed:
            return
        with self._lock:
            ready = len(self._spares.get(spec, ())) + self._pending.get(spec, 0)
            if ready >= self._wanted:
                return
            self._pending[spec] = self._pending.get(spec, 0) + 1
        try:
            self._background.submit(self._make_spare, spec)
        except RuntimeError:  # shut down meanwhile
            with self._ready:
                self._pending[spec] -= 1
                self._ready.notify_all()

    def _make_spare(self, spec: BoxSpec) -> None:
        try:
            box = self._start(spec) if not self._closed else None
        except SandboxError:
            box = None  # the next open() starts one itself and reports the error
        with self._ready:
            self._pending[spec] -= 1
            self._ready.notify_all()
            if box is not None and not self._closed:
                self._spares.setdefault(spec, []).append(box)
                return
        if box is not None:
            box.close()
            self._remove_quietly(box.container_id)

    def _remove_quietly(self, container_id: str) -> None:
        with contextlib.suppress(SandboxError):
            self._remove(container_id)

    def _create(self, spec: BoxSpec) -> str:
        api = self._client.api
        scratch = f"rw,nosuid,nodev,size={spec.scratch},mode=1777"
        host_config = api.create_host_config(
            network_mode="none",
            read_only=True,
            mem_limit=spec.memory,
            memswap_limit=spec.memory,
            nano_cpus=int(spec.cpus * 1e9),
            pids_limit=spec.processes,
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            tmpfs={"/box": scratch + ",exec", "/tmp": scratch + ",noexec"},
            shm_size=16 * MIB,
            log_config={"type": "none", "config": {}},
            ulimits=[docker.types.Ulimit(name="nofile", soft=256, hard=256)],
            init=False,
            runtime=os.environ.get("GRADER_DOCKER_RUNTIME") or None,  # e.g. gVisor's runsc
        )
        try:
            created = api.create_container(
                spec.image,
                command=["python3", "-I", "-S", "-c", _SUPERVISOR],
                user=USER,
                environment={"PATH": PATH, "LANG": "C.UTF-8"},
                stdin_open=True,
                network_disabled=True,
                labels={LABEL: "1", OWNER_LABEL: self._owner, "grader.purpose": spec.purpose},
                host_config=host_config,
            )
        except docker.errors.ImageNotFound as exc:
            raise SandboxError(f"image {spec.image} is missing: run `grader images build`") from exc
        except _ENGINE_ERRORS as exc:
            raise SandboxError(f"cannot create a container: {exc}") from exc
        return str(created["Id"])

    def _remove(self, container_id: str) -> None:
        try:
            self._client.api.remove_container(container_id, force=True)
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as exc:
            if "already in progress" not in str(exc):
                raise SandboxError(f"cannot remove {container_id[:12]}: {exc}") from exc
        except _ENGINE_ERRORS as exc:
            raise SandboxError(f"cannot remove container {container_id[:12]}: {exc}") from exc
        finally:
            with self._lock:
                self._live.discard(container_id)


class DockerBox:
    """One running container and its supervisor."""

    def __init__(self, client: Any, container_id: str) -> None:
        self._client = client
        self.container_id = container_id
        self._attached: Any = None  # docker-py's SocketIO around the socket
        self._sock: socket.socket | None = None
        self._reader: FrameReader | None = None

    def start(self) -> None:
        api = self._client.api
        try:
            self._attached = api.attach_socket(
                self.container_id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
            )
            self._sock = getattr(self._attached, "_sock", self._attached)
            api.start(self.container_id)
        except _ENGINE_ERRORS as exc:
            raise SandboxError(f"cannot start container: {exc}") from exc
        self._reader = FrameReader(self._sock, max_frame=256 * MIB)
        header, _ = self._receive(_START_TIMEOUT_S)
        if header.get("op") != "ready":
            raise SandboxError(f"supervisor did not start: {header}")

    def close(self) -> None:
        """Close the attach stream: the socket file object, the socket, the response."""
        for part in (getattr(self._attached, "_response", None), self._attached, self._sock):
            if part is not None:
                with contextlib.suppress(OSError, ValueError):
                    part.close()
        self._attached = self._sock = None

    def load(self, files: Sequence[ProgramFile]) -> None:
        specs = [{"path": f.path, "mode": f.mode} for f in files]
        self._send({"op": "load", "files": specs}, [f.data for f in files])
        header, _ = self._receive(_START_TIMEOUT_S)
        if header.get("op") != "loaded":
            raise SandboxError(f"supervisor refused the program: {header}")

    def run(self, spec: RunSpec) -> RunResult:
        request = {
            "op": "run",
            "argv": list(spec.argv),
            "cpu": spec.cpu,
            "wall": spec.wall,
            "output": spec.output,
            "env": {"PATH": PATH, "LANG": "C.UTF-8", **spec.env},
            "stack": spec.stack,
            "stderr_keep": spec.stderr_keep,
            "collect": spec.collect,
            "collect_cap": spec.collect_cap,
            "collect_dir": spec.collect_dir,
            "files": [{"path": f.path, "mode": f.mode} for f in spec.files],
        }
        self._send(request, [spec.stdin, *(f.data for f in spec.files)])
        stdout = bytearray()
        while True:
            header, blobs = self._receive(spec.wall + _SLACK_S)
            if header.get("op") == "stdout":
                stdout += blobs[0][: spec.output + 1 - len(stdout)]
            elif header.get("op") == "result":
                return _result(header, blobs, bytes(stdout))
            else:
                raise SandboxError(f"supervisor failed: {header.get('message', header)}")

    def _send(self, header: dict[str, Any], blobs: list[bytes]) -> None:
        assert self._sock is not None
        try:
            self._sock.sendall(encode_frame(header, blobs))
        except OSError as exc:
            raise SandboxError(f"lost the sandbox: {exc}") from exc

    def _receive(self, timeout: float) -> tuple[dict[str, Any], list[bytes]]:
        assert self._sock is not None and self._reader is not None
        self._sock.settimeout(timeout)
        try:
            return self._reader.read()
        except TimeoutError as exc:
            raise SandboxError(f"the sandbox did not answer within {timeout:.0f} s") from exc
        except (OSError, ValueError) as exc:
            raise SandboxError(f"lost the sandbox: {exc}") from exc


def _result(header: dict[str, Any], blobs: list[bytes], stdout: bytes) -> RunResult:
    if "exec_error" in header:
        return RunResult(None, None, 0.0, 0.0, 0, b"", b"", start_error=header["exec_error"])
    if not header.get("clean", True):
        raise SandboxError("a process survived the end of the run")
    files = tuple(
        ProgramFile(spec["path"], data, spec["mode"])
        for spec, data in zip(header["files"], blobs[1:], strict=True)
    )
    killed = header.get("killed_by")
    return RunResult(
        exit_code=header["exit_code"],
        signal=header["signal"],
        cpu_time=float(header["cpu_time"]),
        wall_time=float(header["wall_time"]),
        memory_peak=int(header["memory_peak"]),
        stdout=stdout,
        stderr=blobs[0],
        stdout_bytes=int(header["stdout_bytes"]),
        stderr_bytes=int(header["stderr_bytes"]),
        oom=bool(header["oom"]),
        killed_by=KilledBy(killed) if killed else None,
        files=files,
        start_error=header.get("collect_error", ""),
    )

"""One running container (a ``DockerBox``) and the host's side of talking to its supervisor.

The container's PID 1 is the supervisor (``supervisor.py``, where the messages are
declared). The box attaches to the container's stdin/stdout before starting it, waits for
the supervisor's ``ready``, and then exchanges frames (``wire.py``) with it: ``load`` hands
over the program's files once, each ``run`` sends one ``RunSpec`` as a ``RunRequest`` and
reads streamed stdout up to the output cap, then the result, which ``_result`` turns into
a ``RunResult``. The host waits at most a run's wall
limit plus ``_SLACK_S`` for an answer. Every failure to reach the supervisor is raised as
``SandboxError``. Creating and removing the container is ``docker.py``'s work.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Sequence
from typing import Any

from grader.environment import Enforcement
from grader.errors import SandboxError
from grader.model import MIB, KilledBy, ProgramFile, RunResult
from grader.sandbox.base import RunSpec
from grader.sandbox.engine import ENGINE_ERRORS
from grader.sandbox.supervisor import FileSpec, Reply, Request, ResultReply, RunRequest
from grader.sandbox.wire import FrameReader, encode_frame

__all__ = ["PATH", "START_TIMEOUT_S", "DockerBox", "DockerStream"]

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
START_TIMEOUT_S = 30.0  # how long starting a box, or loading its program, may take
_SLACK_S = 15.0  # how much longer than a run's wall limit the host waits for its result


class DockerBox:
    """One running container and its supervisor."""

    def __init__(self, client: Any, container_id: str) -> None:
        self._client = client
        self.container_id = container_id
        self._attached: Any = None  # docker-py's SocketIO around the socket
        self._sock: socket.socket | None = None
        self._reader: FrameReader | None = None
        self.enforcement = Enforcement.from_ready(None)  # what its supervisor can measure

    def start(self) -> None:
        api = self._client.api
        try:
            self._attached = api.attach_socket(
                self.container_id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
            )
            self._sock = getattr(self._attached, "_sock", self._attached)
            api.start(self.container_id)
        except ENGINE_ERRORS as exc:
            raise SandboxError(f"cannot start container: {exc}") from exc
        self._reader = FrameReader(self._sock, max_frame=256 * MIB)
        header, _ = self._receive(START_TIMEOUT_S)
        if header["op"] != "ready":
            raise SandboxError(f"supervisor did not start: {header}")
        self.enforcement = Enforcement.from_ready(header.get("cgroup"))

    def close(self) -> None:
        """Close the attach stream: the socket file object, the socket, the response."""
        for part in (getattr(self._attached, "_response", None), self._attached, self._sock):
            if part is not None:
                with contextlib.suppress(OSError, ValueError):
                    part.close()
        self._attached = self._sock = None

    def load(self, files: Sequence[ProgramFile]) -> None:
        self._send({"op": "load", "files": _specs(files)}, [f.data for f in files])
        header, _ = self._receive(START_TIMEOUT_S)
        if header["op"] != "loaded":
            raise SandboxError(f"supervisor refused the program: {header}")

    def run(self, spec: RunSpec) -> RunResult:
        self._send(self._request(spec), [spec.stdin, *(f.data for f in spec.files)])
        stdout = bytearray()
        while True:
            header, blobs = self._receive(spec.wall + _SLACK_S)
            if header["op"] == "stdout":
                stdout += blobs[0][: spec.output + 1 - len(stdout)]
            elif header["op"] == "result":
                return _result(header, blobs, bytes(stdout))
            else:
                raise SandboxError(f"supervisor failed: {_failure(header)}")

    def stream(self, spec: RunSpec) -> DockerStream:
        """Start a run whose stdin the caller writes and whose stdout it reads as they
        come (``spec.stdin`` is not used): the supervisor relays ``stdin`` frames."""
        request: RunRequest = {**self._request(spec), "stream": True}
        self._send(request, [b"", *(f.data for f in spec.files)])
        return DockerStream(self, spec)

    def _request(self, spec: RunSpec) -> RunRequest:
        return {
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
            "files": _specs(spec.files),
        }

    def _send(self, header: Request, blobs: list[bytes]) -> None:
        assert self._sock is not None
        try:
            self._sock.sendall(encode_frame(header, blobs))
        except OSError as exc:
            raise SandboxError(f"lost the sandbox: {exc}") from exc

    def _receive(self, timeout: float) -> tuple[Reply, list[bytes]]:
        assert self._sock is not None and self._reader is not None
        self._sock.settimeout(timeout)
        try:
            return self._reader.read()
        except TimeoutError as exc:
            raise SandboxError(f"the sandbox did not answer within {timeout:.0f} s") from exc
        except (OSError, ValueError) as exc:
            raise SandboxError(f"lost the sandbox: {exc}") from exc


class DockerStream:
    """A streaming run (``DockerBox.stream``). One thread may ``read`` while another
    ``write``s: the socket's two directions are independent."""

    def __init__(self, box: DockerBox, spec: RunSpec) -> None:
        self._box = box
        self._wait = spec.wall + _SLACK_S

    def write(self, data: bytes) -> None:
        """Bytes for the program's stdin; ``b""`` closes it."""
        self._box._send({"op": "stdin"}, [data])

    def read(self) -> bytes | RunResult:
        """The program's next stdout chunk, or at the end its result (whose ``stdout``
        is empty: the chunks were the caller's)."""
        header, blobs = self._box._receive(self._wait)
        if header["op"] == "stdout":
            return blobs[0]
        if header["op"] == "result":
            return _result(header, blobs, b"")
        raise SandboxError(f"supervisor failed: {_failure(header)}")


def _specs(files: Sequence[ProgramFile]) -> list[FileSpec]:
    return [{"path": f.path, "mode": f.mode} for f in files]


def _failure(header: Reply) -> str:
    """What the supervisor said went wrong (an unexpected reply: all of it)."""
    return header["message"] if header["op"] == "error" else str(header)


def _result(header: ResultReply, blobs: list[bytes], stdout: bytes) -> RunResult:
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
        ended_at=header.get("ended_at"),
    )

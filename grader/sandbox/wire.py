"""Host side of the supervisor protocol: reading its frames out of Docker's attach stream.

The frames and the messages are declared once, in ``supervisor.py`` (``encode_frame``,
``read_frame``; the ``*Request`` and ``*Reply`` TypedDicts), which both sides use. The
attached stream itself is Docker's multiplexed format (8-byte headers: stream id, 3 zero
bytes, 4-byte length); stdout carries frames, stderr carries the supervisor's own
diagnostics, of which only the head is kept.
"""

from __future__ import annotations

import socket
import struct
from typing import cast

from grader.errors import SandboxError
from grader.sandbox.supervisor import FrameError, Reply, encode_frame, read_frame

__all__ = ["FrameReader", "encode_frame"]

_MUX = struct.Struct(">BxxxI")
_DIAG_KEEP = 8192
_MAX_HEADER = 1 << 20


class FrameReader:
    """Reads supervisor frames from a raw, multiplexed Docker attach socket."""

    def __init__(self, sock: socket.socket, max_frame: int) -> None:
        self._sock = sock
        self._max_frame = max_frame
        self._pending = bytearray()  # demultiplexed stdout bytes not yet consumed
        self.diagnostics = bytearray()  # the head of the supervisor's stderr

    def read(self) -> tuple[Reply, list[bytes]]:
        try:
            header, blobs = read_frame(self._take, _MAX_HEADER, self._max_frame)
        except FrameError as exc:
            raise SandboxError(f"supervisor sent {exc}") from None
        return cast(Reply, header), blobs  # its op says which

    def _take(self, n: int) -> bytes:
        while len(self._pending) < n:
            self._fill()
        data = bytes(self._pending[:n])
        del self._pending[:n]
        return data

    def _fill(self) -> None:
        stream, size = _MUX.unpack(self._recv_exact(_MUX.size))
        data = self._recv_exact(size)
        if stream == 1:
            self._pending += data
        elif len(self.diagnostics) < _DIAG_KEEP:
            self.diagnostics += data[: _DIAG_KEEP - len(self.diagnostics)]

    def _recv_exact(self, n: int) -> bytes:
        chunks = bytearray()
        while len(chunks) < n:
            data = self._sock.recv(min(n - len(chunks), 1 << 20))
            if not data:
                detail = bytes(self.diagnostics).decode(errors="replace").strip()
                raise SandboxError(
                    "the sandbox closed its stream" + (f": {detail[-2000:]}" if detail else "")
                )
            chunks += data
        return bytes(chunks)

"""Host side of the supervisor protocol, framed inside Docker's attach stream.

A frame is a 4-byte big-endian length, a JSON header, then the raw blobs whose sizes the
header lists under ``"blobs"``. The attached stream itself is Docker's multiplexed format
(8-byte headers: stream id, 3 zero bytes, 4-byte length); stdout carries frames, stderr
carries the supervisor's own diagnostics, of which only the head is kept.
"""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

from grader.errors import SandboxError

__all__ = ["FrameReader", "encode_frame"]

_LENGTH = struct.Struct(">I")
_MUX = struct.Struct(">BxxxI")
_DIAG_KEEP = 8192


def encode_frame(header: dict[str, Any], blobs: list[bytes] | tuple[bytes, ...] = ()) -> bytes:
    header = {**header, "blobs": [len(blob) for blob in blobs]}
    payload = json.dumps(header).encode()
    return _LENGTH.pack(len(payload)) + payload + b"".join(blobs)


class FrameReader:
    """Reads supervisor frames from a raw, multiplexed Docker attach socket."""

    def __init__(self, sock: socket.socket, max_frame: int) -> None:
        self._sock = sock
        self._max_frame = max_frame
        self._pending = bytearray()  # demultiplexed stdout bytes not yet consumed
        self.diagnostics = bytearray()  # the head of the supervisor's stderr

    def read(self) -> tuple[dict[str, Any], list[bytes]]:
        (size,) = _LENGTH.unpack(self._take(_LENGTH.size))
        if size > 1 << 20:
            raise SandboxError(f"supervisor sent a {size}-byte header")
        header = json.loads(self._take(size))
        sizes = header.get("blobs", [])
        if sum(sizes) > self._max_frame:
            raise SandboxError(f"supervisor sent a frame of {sum(sizes)} bytes")
        return header, [self._take(n) for n in sizes]

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

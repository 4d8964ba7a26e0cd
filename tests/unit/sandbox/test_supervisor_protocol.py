"""The one protocol between host and supervisor (declared in grader.sandbox.supervisor): its
framing, the host's side of it (grader.sandbox.wire, grader.sandbox.box), and that the
supervisor stays a file the host can import and the container can run after the reader."""

from __future__ import annotations

import ast
import socket
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from paths import ROOT

from grader.errors import SandboxError
from grader.model import ProgramFile
from grader.sandbox.base import RunSpec
from grader.sandbox.box import DockerBox
from grader.sandbox.supervisor import (
    FrameError,
    RunRequest,
    encode_frame,
    peek_frame,
    read_frame,
)
from grader.sandbox.wire import FrameReader

SANDBOX = ROOT / "grader" / "sandbox"


def reader_of(data: bytes) -> tuple[list[bytes], object]:
    """A ``take`` over ``data``; the list holds what is left."""
    left = [data]

    def take(n: int) -> bytes:
        chunk, left[0] = left[0][:n], left[0][n:]
        assert len(chunk) == n
        return chunk

    return left, take


def test_a_frame_is_a_length_a_json_header_and_the_blobs() -> None:
    frame = encode_frame({"op": "stdin"}, [b"hi"])
    header = b'{"op": "stdin", "blobs": [2]}'
    assert frame == struct.pack(">I", len(header)) + header + b"hi"


def test_a_frame_reads_back_as_it_was_written() -> None:
    data = encode_frame({"op": "load", "files": [{"path": "a", "mode": 0o755}]}, [b"x", b""])
    left, take = reader_of(data + b"rest")
    header, blobs = read_frame(take)  # type: ignore[arg-type]
    assert header == {"op": "load", "files": [{"path": "a", "mode": 0o755}], "blobs": [1, 0]}
    assert blobs == [b"x", b""] and left == [b"rest"]


def test_a_frame_is_not_peeked_before_all_of_it_is_there() -> None:
    frame = encode_frame({"op": "stdin"}, [b"abc"])
    assert all(peek_frame(frame[:end]) is None for end in range(len(frame)))
    assert peek_frame(frame + b"next") == ({"op": "stdin", "blobs": [3]}, [b"abc"], len(frame))


@pytest.mark.parametrize(
    ("limits", "error"),
    [((10, None), "a 29-byte header"), ((None, 2), "a frame of 3 bytes")],
)
def test_a_reader_refuses_what_is_over_its_limits(
    limits: tuple[int | None, int | None], error: str
) -> None:
    _, take = reader_of(encode_frame({"op": "stdin"}, [b"abc"]))
    with pytest.raises(FrameError, match=error):
        read_frame(take, *limits)  # type: ignore[arg-type]


def test_a_header_that_is_not_a_message_is_refused() -> None:
    payload = b'["op"]'
    _, take = reader_of(struct.pack(">I", len(payload)) + payload)
    with pytest.raises(FrameError, match="not a message"):
        read_frame(take)  # type: ignore[arg-type]


def muxed(stream: int, data: bytes) -> bytes:
    return struct.pack(">BxxxI", stream, len(data)) + data


def test_the_host_reads_frames_from_the_attach_stream_and_keeps_diagnostics() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        frame = encode_frame({"op": "stdout"}, [b"out"])
        theirs.sendall(muxed(2, b"warning\n") + muxed(1, frame[:5]) + muxed(1, frame[5:]))
        reader = FrameReader(ours, max_frame=1 << 20)
        assert reader.read() == ({"op": "stdout", "blobs": [3]}, [b"out"])
        assert bytes(reader.diagnostics) == b"warning\n"


def test_the_host_refuses_an_oversized_frame_as_a_sandbox_error() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(muxed(1, encode_frame({"op": "stdout"}, [b"x" * 10])))
        with pytest.raises(SandboxError, match="supervisor sent a frame of 10 bytes"):
            FrameReader(ours, max_frame=4).read()


def test_the_hosts_run_request_has_exactly_the_declared_keys() -> None:
    spec = RunSpec(argv=("a",), files=(ProgramFile("in", b"1"),), stack=1 << 20)
    request = DockerBox(None, "x")._request(spec)
    assert set(request) == RunRequest.__required_keys__
    assert RunRequest.__optional_keys__ == {"stream"}
    assert request["files"] == [{"path": "in", "mode": 0o644}]


def top_level_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names - {"__all__"}


def test_the_supervisor_redefines_none_of_the_readers_names() -> None:
    """In the container both files are one script: a name the supervisor defined again
    would replace the reader's own."""
    shared = top_level_names(SANDBOX / "cgroup.py") & top_level_names(SANDBOX / "supervisor.py")
    assert shared == set()


def test_importing_the_supervisor_on_the_host_only_defines() -> None:
    code = (
        "import sys; before = list(sys.path); import grader.sandbox.supervisor; "
        "assert sys.path == before and 'cgroup' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)

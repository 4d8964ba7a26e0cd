"""``grader serve`` in a subprocess on a free loopback port, spoken to over real HTTP
(urllib, so nothing is shared with the server's own stack)."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Answer", "Server", "free_port", "start"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    proc: subprocess.Popen[str]
    url: str
    log: Path  # the server's stderr: its own messages, then one JSON line per run
    key: str | None = None

    def records(self) -> list[dict[str, Any]]:
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith('{"event":"run"')]

    def request(
        self, method: str, path: str, body: object = None, *, key: str | None = None,
        raw: bytes | None = None, timeout: float = 60.0,
    ) -> Answer:  # fmt: skip
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {"Content-Type": "application/json"}
        if key or self.key:
            headers["X-API-Key"] = key or self.key or ""
        request = urllib.request.Request(self.url + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Answer(response.status, _lower(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, _lower(error.headers), error.read())

    def announce(self, path: str, length: int) -> Answer:
        """Announce a body of ``length`` bytes, send none of it, and read the answer."""
        host, port = self.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            connection.putrequest("POST", path)
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(length))
            connection.endheaders()
            response = connection.getresponse()
            return Answer(response.status, _lower(response.headers), response.read())
        finally:
            connection.close()

    def run(self, body: dict[str, Any], **options: Any) -> Answer:
        return self.request("POST", "/api/editor/run", body, **options)


def _lower(headers: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def start(config: Path, *, cwd: Path, timeout: float = 60.0) -> Server:
    """Start the service with ``config`` and wait until /healthz answers; its output goes
    to ``service.log`` beside the config (a pipe nobody reads could fill and block it)."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "grader",
        "serve",
        "--port",
        str(port),
        "--config",
        str(config),
    ]
    log = config.parent / "service.log"
    with log.open("w") as sink:
        proc = subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=sink, text=True)
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"grader serve exited: {log.read_text()}")
        try:
            if server.request("GET", "/healthz", timeout=2).status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("grader serve did not answer /healthz")

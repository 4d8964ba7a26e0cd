"""Connecting to the engine: a local socket's client does not read the environment for
proxies on every call; a TCP engine's keeps honouring HTTPS_PROXY and .netrc."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import docker
import pytest

from grader.sandbox.engine import connect


class _Client:
    def __init__(self, base_url: str) -> None:
        self.api = SimpleNamespace(base_url=base_url, trust_env=True)

    def ping(self) -> bool:
        return True


def connected(monkeypatch: pytest.MonkeyPatch, base_url: str) -> Any:
    monkeypatch.setattr(docker, "from_env", lambda timeout: _Client(base_url))
    return connect()


def test_a_local_socket_skips_the_per_call_proxy_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    assert connected(monkeypatch, "http+docker://localhost").api.trust_env is False


def test_a_tcp_engine_keeps_the_environment_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert connected(monkeypatch, "https://10.0.0.5:2376").api.trust_env is True

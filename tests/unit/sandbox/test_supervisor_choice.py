"""Choosing the boxes' PID 1: the static supervisor unless ``GRADER_SUPERVISOR`` or the
sandbox says python; anything else is refused before a box is made."""

from __future__ import annotations

import pytest

from grader.errors import UsageError
from grader.sandbox.container import SUPERVISOR_VARIABLE, supervisor_command
from grader.sandbox.docker import DockerSandbox
from grader.sandbox.native import NATIVE_PATH


def test_the_static_supervisor_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SUPERVISOR_VARIABLE, raising=False)
    assert supervisor_command() == [NATIVE_PATH]


def test_the_variable_chooses_the_python_supervisor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SUPERVISOR_VARIABLE, "python")
    assert supervisor_command()[:4] == ["python3", "-I", "-S", "-c"]


def test_the_sandbox_choice_wins_over_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SUPERVISOR_VARIABLE, "python")
    assert supervisor_command("native") == [NATIVE_PATH]


def test_an_unknown_supervisor_is_refused_before_any_engine_is_reached() -> None:
    with pytest.raises(UsageError, match="unknown supervisor 'rust'"):
        DockerSandbox(object(), supervisor="rust")

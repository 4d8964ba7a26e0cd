"""The request and response bodies of the HTTP API, as pydantic models: they validate
requests (malformed or unknown fields: 422) and describe every route, with examples, in
``/openapi.json``. Field names follow the issue's contract (camelCase for the editor)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

__all__ = [
    "EditorRunRequest",
    "EditorRunResponse",
    "ErrorBody",
    "InlineTest",
    "JudgeAccepted",
    "JudgeRequest",
    "JudgeState",
    "RequestLimits",
    "Runtime",
    "Truncated",
    "UsageBody",
]

_STRICT = ConfigDict(extra="forbid")


class RequestLimits(BaseModel):
    """Limits of one run; each absent one takes the service's default."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"time": 2, "memory": 128}]}
    )

    time: float | None = Field(None, gt=0, description="CPU seconds (default 5)")
    wall: float | None = Field(None, gt=0, description="wall-clock seconds (default 10)")
    memory: int | None = Field(None, gt=0, description="MiB (default 128)")
    output: int | None = Field(None, gt=0, description="MiB of stdout, and of stderr (default 8)")


_HELLO: dict[str, JsonValue] = {
    "language": "python",
    "code": "print(input()[::-1])",
    "stdin": "olleh\n",
}
_SUM = "print(sum(map(int, input().split())))"


class EditorRunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_HELLO]})

    language: str = Field(description="a key of GET /api/languages, e.g. python, c, java")
    code: str = Field(description="the program's source (at most 100 KiB as UTF-8)")
    stdin: str = ""
    limits: RequestLimits | None = None


class Truncated(BaseModel):
    stdout: bool
    stderr: bool


class Runtime(BaseModel):
    language: str
    version: str
    image: str


class EditorRunResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "r-5f0c2a9e",
                    "stdout": "hello\n",
                    "stdoutEncoding": "utf-8",
                    "stderr": "",
                    "stderrEncoding": "utf-8",
                    "compileOutput": "",
                    "exitCode": 0,
                    "signal": None,
                    "status": "AC",
                    "message": "",
                    "durationMs": 12.4,
                    "wallMs": 21.0,
                    "memoryUsed": 9437184,
                    "truncated": {"stdout": False, "stderr": False},
                    "runtime": {
                        "language": "python",
                        "version": "Python 3.11.2",
                        "image": "grader-python:0a1b2c3d4e5f",
                    },
                }
            ]
        }
    )

    id: str
    stdout: str = Field(description="UTF-8 text, or base64 (no line breaks) when not UTF-8")
    stdoutEncoding: Literal["utf-8", "base64"]
    stderr: str
    stderrEncoding: Literal["utf-8", "base64"]
    compileOutput: str
    exitCode: int | None
    signal: str | None
    status: Literal["AC", "RTE", "TLE", "MLE", "OLE", "CE", "IE"]
    message: str = Field(description="why the status, e.g. 'CPU time over the 2 s limit'")
    durationMs: float = Field(description="CPU time")
    wallMs: float
    memoryUsed: int = Field(description="peak bytes")
    truncated: Truncated
    runtime: Runtime


class InlineTest(BaseModel):
    model_config = _STRICT

    stdin: str = ""
    expected_output: str
    points: float = Field(1.0, ge=0)


class JudgeRequest(BaseModel):
    """A submission and either a problem the server knows (``problem``) or inline tests."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "language": "python",
                    "code": _SUM,
                    "problem": "sum",
                },
                {
                    "language": "python",
                    "code": _SUM,
                    "tests": [{"stdin": "1 2\n", "expected_output": "3\n"}],
                    "checker": "tokens",
                },
            ]
        },
    )

    language: str
    code: str
    problem: str | None = Field(None, description="a problem of the server's problems_dir")
    tests: list[InlineTest] | None = Field(None, min_length=1, max_length=200)
    checker: str = Field("tokens", description="exact, lines, tokens, unordered_lines")
    limits: RequestLimits | None = Field(None, description="inline tests only")


class JudgeAccepted(BaseModel):
    id: str
    state: Literal["queued", "running", "done"]
    url: str


class JudgeState(BaseModel):
    id: str
    state: Literal["queued", "running", "done"]
    result: dict[str, Any] | None = Field(
        None, description="when done: the grader JSON report of this one submission"
    )


class UsageBody(BaseModel):
    key: str
    usage: dict[str, dict[str, float | int]]


class ErrorBody(BaseModel):
    detail: str

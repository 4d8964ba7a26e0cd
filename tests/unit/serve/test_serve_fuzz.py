"""Fuzzing ``grader serve`` from its own OpenAPI document (schemathesis) on the fake
sandbox: whatever a request holds, no answer is a 5xx."""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from serve_fakes import TAGS, echo

from grader.sandbox.fake import FakeSandbox
from grader.serve.app import create_app
from grader.serve.backend import Backend
from grader.serve.config import KeySpec, ServiceConfig


def _app() -> FastAPI:
    keys = (KeySpec("fuzz", "0" * 64),)  # no key matches: auth paths are fuzzed too
    config = ServiceConfig(workers=2, queue=50, keys=keys)
    return create_app(config, Backend(FakeSandbox(echo), TAGS), sink=lambda line: None)


def _open_app() -> FastAPI:
    config = ServiceConfig(workers=2, queue=50)
    return create_app(config, Backend(FakeSandbox(echo), TAGS), sink=lambda line: None)


open_schema = schemathesis.openapi.from_asgi("/openapi.json", _open_app())
keyed_schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@open_schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error_on_an_open_service(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error])


@keyed_schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error_with_keys_required(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error])

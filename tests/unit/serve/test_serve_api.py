"""``grader serve``'s logic on the fake sandbox, through FastAPI's TestClient: validation
that starts no container, keys, rate limits and quotas, the bounded queue, asynchronous
judging, the run log and usage, metrics and the OpenAPI document."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import jsonschema
from paths import ROOT
from serve_fakes import echo, served

from grader.errors import SandboxError
from grader.model import ProgramFile, RunResult
from grader.problem.grader_format import load_problem
from grader.report.json import json_schema
from grader.sandbox.base import RunSpec
from grader.sandbox.fake import ok_run
from grader.serve.config import KeySpec, Quota, Rate, ServiceConfig

RUN = "/api/editor/run"
HELLO = {"language": "python", "code": "print(input())", "stdin": "hi\n"}
CODE = {"language": "python", "code": "print(input())"}
INLINE = {
    "language": "python",
    "code": "print(input())",
    "tests": [
        {"stdin": "1\n", "expected_output": "1\n"},
        {"stdin": "2\n", "expected_output": "2\n"},
    ],
}


def key(name: str, secret: str, **fields: object) -> KeySpec:
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return KeySpec(name=name, sha256=digest, **fields)  # type: ignore[arg-type]


def keyed(*keys: KeySpec, workers: int = 2, queue: int = 4) -> ServiceConfig:
    return ServiceConfig(workers=workers, queue=queue, keys=keys)


def gate() -> tuple[threading.Event, object]:
    """A script whose runs wait until the event is set (at most 10 s)."""
    release = threading.Event()

    def script(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        release.wait(10)
        return echo(spec, program)

    return release, script


# ---- running -------------------------------------------------------------------------


def test_editor_run_returns_the_programs_stdout_and_status() -> None:
    with served() as s:
        body = s.client.post(RUN, json=HELLO).json()
    assert (body["stdout"], body["status"], body["exitCode"]) == ("hi\n", "AC", 0)


def test_editor_run_reports_cpu_wall_and_peak_memory() -> None:
    with served() as s:
        body = s.client.post(RUN, json=HELLO).json()
    assert (body["durationMs"], body["wallMs"], body["memoryUsed"]) == (250.0, 20.0, 8 << 20)


def test_non_utf8_stdout_comes_back_as_base64() -> None:
    def script(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        return ok_run(b"\xff\xfeok\n")

    with served(script=script) as s:
        body = s.client.post(RUN, json=HELLO).json()
    assert (body["stdout"], body["stdoutEncoding"]) == ("//5vawo=", "base64")


def test_a_crash_is_rte_with_its_signal() -> None:
    def script(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        compiling = "py_compile" in spec.argv  # Python's syntax check compiles cleanly
        return ok_run() if compiling else ok_run(exit_code=None, signal=11)

    with served(script=script) as s:
        body = s.client.post(RUN, json=HELLO).json()
    assert (body["status"], body["signal"]) == ("RTE", "SIGSEGV")


def test_a_broken_sandbox_is_ie_not_a_server_error() -> None:
    def script(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        raise SandboxError("engine gone")

    with served(script=script) as s:
        response = s.client.post(RUN, json=HELLO)
    assert (response.status_code, response.json()["status"]) == (200, "IE")


def test_requested_limits_reach_the_sandbox() -> None:
    with served() as s:
        s.client.post(RUN, json={**HELLO, "limits": {"time": 2, "memory": 64}})
    run = s.sandbox.boxes[-1].runs[-1]
    assert (run.cpu, run.stack) == (2.0, 64 << 20)


# ---- validation, with no container ---------------------------------------------------


def test_code_over_100_kib_is_413_and_starts_no_container() -> None:
    with served() as s:
        response = s.client.post(RUN, json={**HELLO, "code": "#" * (100 * 1024 + 1)})
    assert (response.status_code, s.sandbox.boxes) == (413, [])


def test_a_body_over_max_body_is_413() -> None:
    with served(ServiceConfig(workers=1, queue=1, max_body=1000)) as s:
        response = s.client.post(RUN, json={**HELLO, "stdin": "x" * 2000})
    assert (response.status_code, s.sandbox.boxes) == (413, [])


def test_unknown_language_is_422_listing_the_known_ones() -> None:
    with served() as s:
        response = s.client.post(RUN, json={**HELLO, "language": "cobol"})
    assert response.status_code == 422
    assert "python, pypy, c, cpp" in response.json()["detail"]
    assert s.sandbox.boxes == []


def test_a_limit_above_the_maximum_is_422_naming_the_maximum() -> None:
    with served() as s:
        response = s.client.post(RUN, json={**HELLO, "limits": {"memory": 4096}})
    assert response.status_code == 422
    assert "maximum of 512 MiB" in response.json()["detail"]
    assert s.sandbox.boxes == []


def test_malformed_json_is_422() -> None:
    with served() as s:
        response = s.client.post(
            RUN, content=b'{"language": "python",', headers={"Content-Type": "application/json"}
        )
    assert (response.status_code, s.sandbox.boxes) == (422, [])


def test_an_unknown_field_is_422() -> None:
    with served() as s:
        response = s.client.post(RUN, json={**HELLO, "network": True})
    assert response.status_code == 422


def test_judge_with_neither_problem_nor_tests_is_422() -> None:
    with served() as s:
        response = s.client.post("/api/judge", json=CODE)
    assert response.status_code == 422


def test_judge_of_an_unknown_problem_is_422_listing_the_known_ones() -> None:
    with served(problems={"sum": load_problem(ROOT / "problems/sum")}) as s:
        response = s.client.post("/api/judge", json={**CODE, "problem": "nope"})
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "unknown problem 'nope' (known: sum)",
    )


def test_judge_with_an_unknown_checker_is_422() -> None:
    with served() as s:
        response = s.client.post("/api/judge", json={**INLINE, "checker": "fuzzy"})
    assert response.status_code == 422
    assert "unknown checker" in response.json()["detail"]


# ---- keys ----------------------------------------------------------------------------


def test_a_missing_key_is_401() -> None:
    with served(keyed(key("alice", "s3cret"))) as s:
        response = s.client.post(RUN, json=HELLO)
    assert (response.status_code, s.sandbox.boxes) == (401, [])


def test_a_forged_key_is_401() -> None:
    with served(keyed(key("alice", "s3cret"))) as s:
        response = s.client.post(RUN, json=HELLO, headers={"X-API-Key": "s3cret "})
    assert response.status_code == 401


def test_a_key_is_accepted_in_x_api_key() -> None:
    with served(keyed(key("alice", "s3cret"))) as s:
        response = s.client.post(RUN, json=HELLO, headers={"X-API-Key": "s3cret"})
    assert response.status_code == 200


def test_a_key_is_accepted_as_a_bearer_token() -> None:
    with served(keyed(key("alice", "s3cret"))) as s:
        response = s.client.post(RUN, json=HELLO, headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 200


def test_usage_needs_a_key_too() -> None:
    with served(keyed(key("alice", "s3cret"))) as s:
        assert s.client.get("/api/usage").status_code == 401


# ---- rate limits and quotas ----------------------------------------------------------

ALICE = {"X-API-Key": "a"}


def test_an_accepted_request_carries_the_rate_limit_headers() -> None:
    with served(keyed(key("alice", "a", rate=Rate(3, 60)))) as s:
        s.clock.now = 600.0 + 15
        headers = s.client.post(RUN, json=HELLO, headers=ALICE).headers
    assert (headers["X-RateLimit-Limit"], headers["X-RateLimit-Remaining"]) == ("3", "2")
    assert headers["X-RateLimit-Reset"] == "45"


def test_over_the_rate_is_429_with_retry_after_and_rate_limit_headers() -> None:
    with served(keyed(key("alice", "a", rate=Rate(2, 60)))) as s:
        s.clock.now = 600.0 + 50
        for _ in range(2):
            s.client.post(RUN, json=HELLO, headers=ALICE)
        response = s.client.post(RUN, json=HELLO, headers=ALICE)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "10"
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert (response.headers["X-RateLimit-Limit"], response.headers["X-RateLimit-Reset"]) == (
        "2",
        "10",
    )
    assert len(s.log) == 2


def test_the_rate_allows_again_in_the_next_window() -> None:
    with served(keyed(key("alice", "a", rate=Rate(1, 60)))) as s:
        s.client.post(RUN, json=HELLO, headers=ALICE)
        s.clock.now += 60
        assert s.client.post(RUN, json=HELLO, headers=ALICE).status_code == 200


def test_one_keys_rate_does_not_limit_another() -> None:
    config = keyed(key("alice", "a", rate=Rate(1, 60)), key("bob", "b", rate=Rate(1, 60)))
    with served(config) as s:
        s.client.post(RUN, json=HELLO, headers=ALICE)
        assert s.client.post(RUN, json=HELLO, headers={"X-API-Key": "b"}).status_code == 200


def test_a_used_up_run_quota_is_429_until_the_next_utc_day() -> None:
    with served(keyed(key("alice", "a", quota=Quota(2)))) as s:
        s.clock.now = 86400 * 100 + 86400 - 30
        for _ in range(2):
            s.client.post(RUN, json=HELLO, headers=ALICE)
        response = s.client.post(RUN, json=HELLO, headers=ALICE)
    assert (response.status_code, response.headers["Retry-After"]) == (429, "30")


def test_a_used_up_cpu_quota_is_429() -> None:
    with served(keyed(key("alice", "a", quota=Quota(0.5, cpu=True)))) as s:
        for _ in range(2):  # 0.25 s of CPU each
            s.client.post(RUN, json=HELLO, headers=ALICE)
        assert s.client.post(RUN, json=HELLO, headers=ALICE).status_code == 429


def test_a_quota_renews_the_next_day() -> None:
    with served(keyed(key("alice", "a", quota=Quota(1)))) as s:
        s.client.post(RUN, json=HELLO, headers=ALICE)
        s.clock.now += 86400
        assert s.client.post(RUN, json=HELLO, headers=ALICE).status_code == 200


# ---- the queue -----------------------------------------------------------------------


def test_a_full_queue_is_503_with_retry_after() -> None:
    release, script = gate()
    with served(ServiceConfig(workers=1, queue=1), script=script) as s:
        accepted = [s.client.post("/api/judge?wait=false", json=INLINE) for _ in range(2)]
        refused = s.client.post(RUN, json=HELLO)
        release.set()
    assert [r.status_code for r in accepted] == [202, 202]
    assert refused.status_code == 503
    assert int(refused.headers["Retry-After"]) >= 1


def test_no_accepted_run_is_lost_in_a_flood() -> None:
    release, script = gate()
    config = ServiceConfig(workers=2, queue=3)
    with served(config, script=script) as s, ThreadPoolExecutor(max_workers=12) as flood:
        calls = [flood.submit(s.client.post, RUN, json=HELLO) for _ in range(12)]
        refused = 'grader_refused_requests_total{status="503"} 7.0'
        deadline = time.monotonic() + 10
        while refused not in s.client.get("/metrics").text and time.monotonic() < deadline:
            time.sleep(0.01)
        release.set()
        statuses = Counter(call.result().status_code for call in calls)
    assert statuses == {200: 5, 503: 7}
    assert len(s.log) == 5


# ---- asynchronous judging ------------------------------------------------------------


def test_wait_false_is_202_with_an_id_then_done_with_the_report() -> None:
    with served() as s:
        accepted = s.client.post("/api/judge?wait=false", json=INLINE)
        url = accepted.json()["url"]
        state = _poll_done(s.client, url)
    assert (accepted.status_code, accepted.headers["Location"]) == (202, url)
    assert state["result"]["submissions"][0]["verdict"] == "AC"


def _poll_done(client: object, url: str) -> dict[str, object]:
    for _ in range(200):
        state: dict[str, object] = client.get(url).json()  # type: ignore[attr-defined]
        if state["state"] == "done":
            return state
        time.sleep(0.01)
    raise AssertionError("never done")


def test_a_queued_judging_is_reported_queued() -> None:
    release, script = gate()
    with served(ServiceConfig(workers=1, queue=2), script=script) as s:
        s.client.post("/api/judge?wait=false", json=INLINE)
        second = s.client.post("/api/judge?wait=false", json=INLINE).json()
        state = s.client.get(second["url"]).json()["state"]
        release.set()
    assert state == "queued"


def test_another_keys_judging_is_404() -> None:
    with served(keyed(key("alice", "a"), key("bob", "b"))) as s:
        url = s.client.post("/api/judge?wait=false", json=INLINE, headers=ALICE).json()["url"]
        response = s.client.get(url, headers={"X-API-Key": "b"})
    assert response.status_code == 404


def test_an_unknown_judging_is_404() -> None:
    with served() as s:
        assert s.client.get("/api/judge/j-0000").status_code == 404


# ---- judging -------------------------------------------------------------------------


def test_the_judge_response_is_a_report_valid_against_the_shipped_schema() -> None:
    with served() as s:
        report = s.client.post("/api/judge", json=INLINE).json()
    jsonschema.validate(report, json_schema())
    assert [case["verdict"] for case in report["submissions"][0]["cases"]] == ["AC", "AC"]


def test_a_wrong_answer_is_wa_in_the_report() -> None:
    wrong = {**INLINE, "tests": [{"stdin": "1\n", "expected_output": "2\n"}]}
    with served() as s:
        report = s.client.post("/api/judge", json=wrong).json()
    assert report["submissions"][0]["verdict"] == "WA"


def test_a_problem_known_by_name_is_judged_on_its_cases() -> None:
    problem = load_problem(ROOT / "problems/sum")
    with served(problems={"sum": problem}) as s:
        report = s.client.post("/api/judge", json={**CODE, "problem": "sum"}).json()
    assert report["problem"]["cases"] == [case.name for case in problem.tests]


def test_a_compiled_language_compiles_once_for_every_case() -> None:
    with served() as s:
        s.client.post("/api/judge", json={**INLINE, "language": "c"})
    compiles = [box for box in s.sandbox.boxes if box.spec.purpose == "compile"]
    assert len(compiles) == 1


# ---- the run log, usage and metrics --------------------------------------------------


def test_one_log_line_per_run_with_its_fields() -> None:
    with served() as s:
        s.client.post(RUN, json=HELLO)
    [record] = s.records()
    assert record["code_sha256"] == hashlib.sha256(HELLO["code"].encode()).hexdigest()
    assert (record["key"], record["language"], record["status"], record["cpu_s"]) == (
        "anonymous",
        "python",
        "AC",
        0.25,
    )
    assert {"id", "wall_s", "memory_bytes", "queue_s", "time"} <= set(record)


def test_usage_equals_the_run_log() -> None:
    admin = key("root", "r", admin=True)
    with served(keyed(key("alice", "a"), key("bob", "b"), admin)) as s:
        for secret in ("a", "a", "b"):
            s.client.post(RUN, json=HELLO, headers={"X-API-Key": secret})
        s.client.post("/api/judge", json=INLINE, headers={"X-API-Key": "b"})
        usage = s.client.get("/api/usage", headers={"X-API-Key": "r"}).json()["usage"]
    from_log: dict[str, list[float]] = {}
    for record in s.records():
        row = from_log.setdefault(record["key"], [0, 0.0])
        row[0] += 1
        row[1] += record["cpu_s"]
    assert {k: [v["runs"], v["cpu_seconds"]] for k, v in usage.items()} == from_log


def test_a_key_sees_only_its_own_usage() -> None:
    with served(keyed(key("alice", "a"), key("bob", "b"))) as s:
        s.client.post(RUN, json=HELLO, headers={"X-API-Key": "b"})
        usage = s.client.get("/api/usage", headers=ALICE).json()["usage"]
    assert list(usage) == ["alice"]


def test_metrics_count_runs_by_language_and_status() -> None:
    with served() as s:
        s.client.post(RUN, json=HELLO)
        text = s.client.get("/metrics").text
    assert 'grader_runs_total{language="python",status="AC"} 1.0' in text
    assert "grader_queue_depth 0.0" in text


def test_metrics_count_refusals() -> None:
    with served(keyed(key("alice", "a", rate=Rate(1, 60)))) as s:
        for _ in range(2):
            s.client.post(RUN, json=HELLO, headers=ALICE)
        text = s.client.get("/metrics").text
    assert 'grader_refused_requests_total{status="429"} 1.0' in text


# ---- operations and documentation ----------------------------------------------------


def test_healthz_answers_ok() -> None:
    with served() as s:
        assert s.client.get("/healthz").json() == {"status": "ok"}


def test_readyz_is_503_when_the_engine_does_not_answer() -> None:
    with served() as s:
        s.client.app.state.service.backend.ping = lambda: False  # type: ignore[attr-defined]
        assert s.client.get("/readyz").status_code == 503


def test_readyz_is_200_when_the_engine_answers() -> None:
    with served() as s:
        assert s.client.get("/readyz").status_code == 200


def test_every_post_route_has_a_request_example_in_the_openapi_document() -> None:
    with served() as s:
        document = s.client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    for path in ("/api/editor/run", "/api/judge"):
        ref = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        name = ref["schema"]["$ref"].rsplit("/", 1)[1]
        assert schemas[name]["examples"], path


def test_the_docs_page_is_served() -> None:
    with served() as s:
        assert s.client.get("/docs").status_code == 200


def test_shutdown_cancels_work_beyond_the_grace_period() -> None:
    release, script = gate()
    config = ServiceConfig(workers=1, queue=1, grace=0.2)
    with served(config, script=script) as s:
        s.client.post("/api/judge?wait=false", json=INLINE)
        backend = s.client.app.state.service.backend  # type: ignore[attr-defined]
        backend.abort = release.set  # the engine's abort ends the runs at once
    assert backend.cancelled.is_set()
    assert len(s.log) == 1

"""The HTTP routes (FastAPI) of ``grader serve``, wired to one ``Service``.

Every run goes: key (401) -> rate (429) -> validation, no container (413, 422) -> quota
(429) -> the bounded pool (503 when full) -> a worker thread -> one run-log line. The
event loop only awaits; blocking work (Docker, compiling, the engine's ping) runs on
threads. ``create_app`` takes the backend, so tests run it on the fake sandbox.
"""

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from concurrent.futures import Future
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from grader import __version__
from grader.model import Problem
from grader.serve.access import Keys, RateLimiter, Refused, Usage
from grader.serve.backend import Backend
from grader.serve.body import BodyLimit
from grader.serve.config import KeySpec, ServiceConfig
from grader.serve.jobs import Jobs
from grader.serve.metrics import CONTENT_TYPE, Metrics
from grader.serve.pool import QueueFull, WorkPool
from grader.serve.runlog import RunLog, Sink, stderr_sink
from grader.serve.schemas import (
    EditorRunRequest,
    EditorRunResponse,
    ErrorBody,
    JudgeAccepted,
    JudgeRequest,
    JudgeState,
    UsageBody,
)
from grader.serve.work import Invalid, Work
from grader.submissions.languages import LanguageTable, load_languages

__all__ = ["Service", "create_app"]

T = TypeVar("T")
READY_TIMEOUT_S = 2.0
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "missing or unknown API key"},
    413: {"model": ErrorBody, "description": "code over 100 KiB, or a body over max_body"},
    429: {"model": ErrorBody, "description": "rate or quota exceeded; see Retry-After"},
    503: {"model": ErrorBody, "description": "the queue is full; see Retry-After"},
}


@dataclass
class Service:
    """Everything one service instance holds."""

    config: ServiceConfig
    backend: Backend
    keys: Keys
    limiter: RateLimiter
    usage: Usage
    metrics: Metrics
    pool: WorkPool
    jobs: Jobs
    work: Work

    def admit(self, key: KeySpec, job: Callable[[float], T]) -> Future[T]:
        """Reserve quota and queue ``job``; Refused (429) or QueueFull (503) if not."""
        self.usage.admit(key)
        try:
            return self.pool.submit(job)
        except QueueFull:
            self.usage.release(key.name)
            raise

    def start(self) -> None:
        """On startup: a fresh pool if an earlier shutdown closed this one (a test client
        may run the app's lifespan more than once; a server runs it once)."""
        if self.pool.closed:
            self.pool = WorkPool(self.config.workers, self.config.queue)

    async def drain(self) -> None:
        """On shutdown: accept nothing, let accepted work finish within the grace period,
        then cancel the rest (its containers removed) and close the engine."""
        self.pool.close()
        if not await asyncio.to_thread(self.pool.drain, self.config.grace):
            self.backend.cancel()
            await asyncio.to_thread(self.pool.drain, 30.0)
        await asyncio.to_thread(self.pool.shutdown)
        await asyncio.to_thread(self.backend.close)


def create_app(
    config: ServiceConfig,
    backend: Backend,
    *,
    problems: Mapping[str, Problem] | None = None,
    sink: Sink = stderr_sink,
    clock: Callable[[], float] = time.time,
    table: LanguageTable | None = None,
) -> FastAPI:
    pool = WorkPool(config.workers, config.queue)
    metrics = Metrics(lambda: service.pool.queued, backend.live)
    usage = Usage(clock)
    runlog = RunLog(usage, metrics.observe, sink)
    table = table or load_languages()
    work = Work(backend, runlog, table, config.max_limits, dict(problems or {}))
    service = Service(config, backend, Keys(config.keys), RateLimiter(clock), usage, metrics,
                      pool, Jobs(), work)  # fmt: skip

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.start()
        yield
        await service.drain()

    app = FastAPI(
        title="grader",
        version=__version__,
        summary="Run and judge programs in locked-down containers",
        lifespan=lifespan,
    )
    app.state.service = service
    app.add_middleware(BodyLimit, limit=config.max_body)
    _handlers(app, service)
    _routes(app, service)
    return app


def _handlers(app: FastAPI, service: Service) -> None:
    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refused)
        if exc.status == 429:
            service.metrics.refused.labels("429").inc()
        return JSONResponse({"detail": exc.message}, exc.status, headers=exc.headers)

    async def full(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, QueueFull)
        service.metrics.refused.labels("503").inc()
        headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse({"detail": str(exc)}, 503, headers=headers)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Invalid)
        return JSONResponse({"detail": exc.message}, exc.status)

    app.add_exception_handler(Refused, refused)
    app.add_exception_handler(QueueFull, full)
    app.add_exception_handler(Invalid, invalid)


_Key = Callable[..., Awaitable[KeySpec]]  # a dependency that yields the calling key


def _dependencies(service: Service) -> tuple[_Key, _Key]:
    async def caller(
        x_api_key: Annotated[str | None, Header(description="the API key")] = None,
        authorization: Annotated[str | None, Header(description="Bearer <API key>")] = None,
    ) -> KeySpec:
        presented = x_api_key
        if presented is None and authorization and authorization.lower().startswith("bearer "):
            presented = authorization[7:].strip()
        return service.keys.identify(presented)

    async def metered(response: Response, key: Annotated[KeySpec, Depends(caller)]) -> KeySpec:
        response.headers.update(service.limiter.take(key.name, key.rate))
        return key

    return caller, metered


def _routes(app: FastAPI, service: Service) -> None:
    caller, metered = _dependencies(service)
    _run_routes(app, service, caller, metered)
    _info_routes(app, service, caller)


def _run_routes(app: FastAPI, service: Service, caller: _Key, metered: _Key) -> None:
    """Running and judging programs: the work a key is metered and billed for."""
    work, jobs = service.work, service.jobs

    @app.post("/api/editor/run", response_model=EditorRunResponse, responses=_ERRORS,
              tags=["run"])  # fmt: skip
    async def editor_run(
        body: EditorRunRequest, key: Annotated[KeySpec, Depends(metered)]
    ) -> dict[str, Any]:
        """Compile and run a program once on the given stdin: what a Run button needs."""
        job = work.editor(_new_id("r"), key.name, body)
        return await _awaited(service.admit(key, lambda queued: work.run_editor(job, queued)))

    @app.post("/api/judge", responses={**_ERRORS, 202: {"model": JudgeAccepted}}, tags=["judge"])
    async def judge(
        body: JudgeRequest,
        key: Annotated[KeySpec, Depends(metered)],
        response: Response,
        wait: Annotated[bool, Query(description="false: 202 and an id to poll")] = True,
    ) -> dict[str, Any]:
        """Judge a submission against every case of a problem (compiled once); the body is
        a grader JSON report of this one submission."""
        job = work.judging(_new_id("j"), key.name, body)
        if wait:
            return await _awaited(service.admit(key, lambda queued: work.run_judge(job, queued)))
        jobs.add(job.id, key.name)

        def later(queued: float) -> None:
            jobs.running(job.id)
            jobs.done(job.id, work.run_judge(job, queued))

        try:
            service.admit(key, later)
        except (QueueFull, Refused):
            jobs.forget(job.id)
            raise
        response.status_code = 202
        response.headers["Location"] = f"/api/judge/{job.id}"
        return {"id": job.id, "state": "queued", "url": f"/api/judge/{job.id}"}

    @app.get("/api/judge/{job_id}", response_model=JudgeState, responses=_ERRORS, tags=["judge"])
    async def judge_state(job_id: str, key: Annotated[KeySpec, Depends(caller)]) -> JudgeState:
        """The state of an asynchronous judging (queued, running, done) and, when done,
        its report. Only its own key (or an admin key) sees it."""
        job = jobs.get(job_id)
        if job is None or (job.key != key.name and not key.admin):
            raise Invalid(404, f"no judging {job_id!r}")
        return JudgeState(id=job.id, state=job.state, result=job.result)


def _info_routes(app: FastAPI, service: Service, caller: _Key) -> None:
    """What a caller may ask about: its usage, the languages, and the service's health."""

    @app.get("/api/usage", response_model=UsageBody, responses=_ERRORS, tags=["account"])
    async def usage(key: Annotated[KeySpec, Depends(caller)]) -> UsageBody:
        """Runs and CPU seconds of the calling key (every key's for an admin key)."""
        rows = service.usage.all() if key.admin else {key.name: service.usage.of(key.name)}
        return UsageBody(key=key.name, usage=rows)

    @app.get("/api/languages", tags=["run"])
    async def languages() -> list[dict[str, str]]:
        """The languages a run may use."""
        return [
            {"key": lang.key, "name": lang.name, "notes": lang.notes} for lang in service.work.table
        ]

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        """The process is up (answers at once, whatever runs)."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], responses={503: {"model": ErrorBody}})
    async def readyz() -> Response:
        """Ready when the container engine answers; 503 otherwise."""
        try:
            ping = asyncio.to_thread(service.backend.ping)
            ready = await asyncio.wait_for(ping, READY_TIMEOUT_S)
        except TimeoutError:
            ready = False
        if ready:
            return JSONResponse({"status": "ready"})
        return JSONResponse({"detail": "the container engine does not answer"}, 503)

    @app.get("/metrics", tags=["operations"])
    async def metrics() -> Response:
        """Prometheus metrics."""
        return Response(service.metrics.render(), media_type=CONTENT_TYPE)


async def _awaited(future: Future[T]) -> T:
    """The job's result. Shielded: a client that goes away does not cancel an accepted
    job, which runs and is logged (and billed) all the same."""
    return await asyncio.shield(asyncio.wrap_future(future))


def _new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(8)}"

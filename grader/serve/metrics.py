"""Prometheus metrics of one service instance, in a registry of its own (so two apps in
one process, as in tests, do not collide): runs by language and status, run duration,
queue depth, running containers, and refusals (429, 503)."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from grader.serve.runlog import RunRecord

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    def __init__(self, queued: Callable[[], int], containers: Callable[[], int]) -> None:
        self.registry = CollectorRegistry()
        self.runs = Counter(
            "grader_runs", "Finished runs", ["language", "status"], registry=self.registry
        )
        self.duration = Histogram(
            "grader_run_duration_seconds",
            "Wall time of a run, from its start on a worker to its result (queue excluded)",
            ["kind"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.refused = Counter(
            "grader_refused_requests", "Requests refused", ["status"], registry=self.registry
        )
        depth = Gauge("grader_queue_depth", "Runs waiting for a worker", registry=self.registry)
        depth.set_function(lambda: float(queued()))
        live = Gauge(
            "grader_running_containers",
            "Containers the service has made and not yet removed (warm spares included)",
            registry=self.registry,
        )
        live.set_function(lambda: float(containers()))

    def observe(self, record: RunRecord) -> None:
        self.runs.labels(record.language, record.status).inc()
        self.duration.labels(record.kind).observe(record.elapsed_s)

    def render(self) -> bytes:
        return generate_latest(self.registry)

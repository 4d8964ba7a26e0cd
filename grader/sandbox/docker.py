"""The Docker sandbox: ``DockerSandbox`` makes, pools and removes the boxes' containers.

Each box is a container whose PID 1 is the supervisor (``supervisor.py``), reached over
the container's attached stdin/stdout (``box.py``); ``container.py`` says how it is locked
down. Every engine failure is raised as ``SandboxError``.

This is the sandbox's public module: the names callers need from ``engine.py`` (connect,
list, reap) and ``box.py`` are re-exported here.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from grader.environment import Enforcement
from grader.errors import SandboxError
from grader.sandbox.base import BoxSpec
from grader.sandbox.box import START_TIMEOUT_S, DockerBox
from grader.sandbox.container import create, supervisor_command
from grader.sandbox.engine import (
    ENGINE_ERRORS,
    LABEL,
    OWNER_LABEL,
    Listed,
    Reaped,
    connect,
    listed,
    owner_label,
    reap,
    remove,
)

__all__ = [
    "LABEL",
    "OWNER_LABEL",
    "DockerBox",
    "DockerSandbox",
    "Listed",
    "Reaped",
    "connect",
    "listed",
    "owner_label",
    "reap",
]


class DockerSandbox:
    """Opens boxes on a Docker engine.

    With ``spares`` > 0 it keeps up to that many started boxes per ``BoxSpec`` ready, made
    in the background while the current ones run, and removes used containers in the
    background too: a batch then waits for no container start or removal. A run box is
    always a fresh container that nobody has used; a ``reusable`` box (compiler, checker)
    goes back to the spares after use, its supervisor having scrubbed it as between cases.
    ``close()`` (or leaving a ``with`` block) waits for that work and removes the spares;
    ``abort()`` removes everything at once. ``supervisor`` chooses the boxes' PID 1
    (``container.supervisor_command``).
    """

    def __init__(
        self, client: Any | None = None, *, spares: int = 0, supervisor: str | None = None
    ) -> None:
        self._command = supervisor_command(supervisor)  # before connecting: a usage error
        self._client = client if client is not None else connect()
        self._owner = owner_label()
        self._live: set[str] = set()  # containers this sandbox made and has not removed
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)  # a spare was added or failed
        self._wanted = spares
        self._spares: dict[BoxSpec, list[DockerBox]] = {}
        self._pending: dict[BoxSpec, int] = {}  # spares being started
        self._closed = False
        self._aborted = False  # abort() was called: no new container may start
        # What the first started box's supervisor could measure (None: no box yet).
        self.enforcement: Enforcement | None = None
        self._background = (
            ThreadPoolExecutor(max_workers=2, thread_name_prefix="sandbox") if spares else None
        )

    @property
    def client(self) -> Any:
        return self._client

    @property
    def live(self) -> int:
        """How many containers this sandbox has made and not yet removed (spares included)."""
        with self._lock:
            return len(self._live)

    def ping(self) -> bool:
        """Whether the engine answers now (no wait, no retry)."""
        try:
            self._client.ping()
        except ENGINE_ERRORS:
            return False
        return True

    def __enter__(self) -> DockerSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def open(self, spec: BoxSpec) -> Iterator[DockerBox]:
        box = self._take_spare(spec) or self._start(spec)
        if not spec.reusable:
            self._refill(spec)
        try:
            yield box
        except BaseException:
            box.close()
            with contextlib.suppress(SandboxError):  # keep the original error's message
                self._dispose(box.container_id)
            raise
        if not (spec.reusable and self._keep(spec, box)):
            box.close()
            self._dispose(box.container_id)

    def _keep(self, spec: BoxSpec, box: DockerBox) -> bool:
        """Return a reusable box (its last run ended clean) to the spares, if room."""
        with self._ready:
            boxes = self._spares.setdefault(spec, [])
            if self._closed or self._background is None or len(boxes) >= self._wanted:
                return False
            boxes.append(box)
            self._ready.notify_all()
            return True

    def _dispose(self, container_id: str) -> None:
        """Remove a used container: in the background when pooling, else now."""
        if self._background is not None and not self._closed:
            try:
                self._background.submit(self._remove_quietly, container_id)
                return
            except RuntimeError:  # shutting down
                pass
        self._remove(container_id)

    def close(self) -> None:
        """Finish background work and remove the spares."""
        with self._ready:
            self._closed = True
            self._ready.notify_all()
        if self._background is not None:
            self._background.shutdown(wait=True)
        for box in self._drop_spares():
            self._remove_quietly(box.container_id)

    def recover(self, timeout: float) -> bool:
        """Wait until the engine answers again (it may be restarting), with backoff, and
        drop the spare boxes, which an engine restart takes down. False on timeout."""
        spares = self._drop_spares()
        deadline = time.monotonic() + timeout
        pause = 0.2
        while True:
            try:
                self._client.ping()
                for box in spares:  # gone with a restart; if not, they must not leak
                    self._remove_quietly(box.container_id)
                return True
            except ENGINE_ERRORS:
                if time.monotonic() + pause > deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 2.0)

    def abort(self) -> int:
        """Remove every container this sandbox has open; runs inside them fail at once with
        SandboxError. Called when a batch is interrupted. Returns how many it removed."""
        with self._ready:
            self._closed = self._aborted = True
            self._ready.notify_all()
            live = list(self._live)
        for container_id in live:
            self._remove_quietly(container_id)
        return len(live)

    # ---- spares ----------------------------------------------------------------------

    def _start(self, spec: BoxSpec) -> DockerBox:
        container_id = create(self._client, spec, self._owner, self._command)
        with self._lock:
            aborted = self._aborted
            if not aborted:
                self._live.add(container_id)
        if aborted:  # created while abort() removed the others: it must not run either
            self._remove_quietly(container_id)
            raise SandboxError("the sandbox was aborted (the batch was interrupted)")
        box = DockerBox(self._client, container_id)
        try:
            box.start()
        except BaseException:
            box.close()
            self._remove_quietly(container_id)
            raise
        with self._lock:
            self.enforcement = self.enforcement or box.enforcement
        return box

    def _drop_spares(self) -> list[DockerBox]:
        """Take every spare out of the pool and close its connection; the caller removes
        the containers (or knows an engine restart took them)."""
        with self._lock:
            spares = [box for boxes in self._spares.values() for box in boxes]
            self._spares.clear()
        for box in spares:
            box.close()
        return spares

    def _take_spare(self, spec: BoxSpec) -> DockerBox | None:
        """A ready spare; if one is being started, wait for it rather than start another."""
        with self._ready:
            while not self._spares.get(spec) and self._pending.get(spec, 0) and not self._closed:
                self._ready.wait(timeout=START_TIMEOUT_S)
            boxes = self._spares.get(spec)
            return boxes.pop() if boxes else None

    def _refill(self, spec: BoxSpec) -> None:
        if self._background is None or self._closed:
            return
        with self._lock:
            ready = len(self._spares.get(spec, ())) + self._pending.get(spec, 0)
            if ready >= self._wanted:
                return
            self._pending[spec] = self._pending.get(spec, 0) + 1
        try:
            self._background.submit(self._make_spare, spec)
        except RuntimeError:  # shut down meanwhile
            with self._ready:
                self._pending[spec] -= 1
                self._ready.notify_all()

    def _make_spare(self, spec: BoxSpec) -> None:
        try:
            box = self._start(spec) if not self._closed else None
        except SandboxError:
            box = None  # the next open() starts one itself and reports the error
        with self._ready:
            self._pending[spec] -= 1
            self._ready.notify_all()
            if box is not None and not self._closed:
                self._spares.setdefault(spec, []).append(box)
                return
        if box is not None:
            box.close()
            self._remove_quietly(box.container_id)

    def _remove_quietly(self, container_id: str) -> None:
        with contextlib.suppress(SandboxError):
            self._remove(container_id)

    def _remove(self, container_id: str) -> None:
        try:
            remove(self._client, container_id)
        finally:
            with self._lock:
                self._live.discard(container_id)

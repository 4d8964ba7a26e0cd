"""A progress line for long image builds: which are still going, and for how long."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["HEARTBEAT_S", "Heartbeat", "Log"]

HEARTBEAT_S = 15.0  # a "still building" line this often, so a long build never looks hung
Log = Callable[[str], None]  # where progress lines go


class Heartbeat:
    """Logs which builds are still going, and for how long, every HEARTBEAT_S seconds."""

    def __init__(self, log: Log) -> None:
        self._log = log
        self._running: dict[str, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="image-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def track(self, name: str, tag: str, build: Callable[..., str], *args: object) -> str:
        started = time.monotonic()
        with self._lock:
            self._running[name] = started
        try:
            how = build(*args)
        finally:
            with self._lock:
                del self._running[name]
        if how != "present":
            self._log(f"built {tag} ({how}) in {time.monotonic() - started:.0f} s")
        return how

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            now = time.monotonic()
            with self._lock:
                going = [f"{name} ({now - t:.0f} s)" for name, t in self._running.items()]
            if going:
                self._log("still building: " + ", ".join(going))

"""What the commands share with the terminal: ``log`` (a line on stderr), ``interrupts``
(how Ctrl-C and SIGTERM stop a batch) and ``grading`` (both around a batch's progress)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

__all__ = ["grading", "interrupts", "log"]


def log(message: str) -> None:
    click.echo(message, err=True)


@contextmanager
def interrupts(cancelled: threading.Event) -> Iterator[None]:
    """Ctrl-C and SIGTERM stop a batch: the first sets ``cancelled`` (the batch stops new
    work, removes its containers, writes its reports and exits 2); a second one stops at
    once. The handler only sets an event: an exception raised into the main thread at an
    arbitrary point could leave a lock of the thread pool held and hang the exit."""

    def interrupt(signum: int, frame: object) -> None:
        if cancelled.is_set():
            raise KeyboardInterrupt
        cancelled.set()

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def grading(cancelled: threading.Event, finish: Callable[[], None]) -> Iterator[None]:
    """A batch graded under ``interrupts(cancelled)``; ``finish`` ends its progress display
    however the batch ends."""
    with interrupts(cancelled):
        try:
            yield
        finally:
            finish()

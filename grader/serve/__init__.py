"""``grader serve``: the HTTP execution and judging service, on the same engine.

Small modules, each with one noun: ``config`` (service.yaml -> ``ServiceConfig``),
``access`` (API keys, rate limits, quotas, usage), ``pool`` (bounded workers and queue),
``runlog`` (one JSON line per run, which is also the usage accounting), ``metrics``
(Prometheus), ``schemas`` (the request and response models of the OpenAPI document),
``work`` (requests -> library calls), ``backend`` (the engine the work runs on, or a fake),
``jobs`` (asynchronous judgings), ``app`` (the FastAPI routes) and ``main`` (uvicorn).

Needs the optional ``serve`` extra (FastAPI, uvicorn, prometheus-client); importing
anything but ``config`` without it raises ImportError, which the CLI turns into exit 4.
"""

from __future__ import annotations

__all__ = ["INSTALL_HINT"]

INSTALL_HINT = "grader serve needs the serve extra: pip install 'grader[serve]' (or -e '.[serve]')"

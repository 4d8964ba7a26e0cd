"""Scale-out: one batch across several Docker hosts, on Dask distributed (the optional
``cluster`` extra: ``pip install 'grader[cluster]'``).

The client (``grader run --cluster``) answers what it can locally (CE without running,
result-cache hits) and sends the rest as units, one submission's cases each, to workers
(``grader worker``), each of which judges on its own Docker engine through the library
(``app.Engine``). A problem set goes out one problem at a time. Modules:

* ``fingerprint``: what a worker must share with the client (grader version, image tags);
* ``plan``: which units go out, and their task keys (the result-cache digests);
* ``runtime``: the worker side, one engine per batch, removed on abort;
* ``client``: the client side, a ``verify.Grade`` for run, problem sets, verify and
  calibration;
* ``dispatch``: one batch's units out to the workers, their results back;
* ``serve``: starting a worker or a scheduler.

Only this ``__init__`` is safe to import without ``distributed``; ``require`` says how to
install it.
"""

from __future__ import annotations

import importlib.util

from grader.errors import ExitCode, GraderError, UsageError

__all__ = ["INSTALL_HINT", "ClusterError", "require"]

INSTALL_HINT = "pip install 'grader[cluster]'  (or, in a checkout: pip install -e '.[cluster]')"


def require(what: str) -> None:
    """Raise a usage error (exit 4) naming the install command when ``distributed`` is
    missing."""
    if importlib.util.find_spec("distributed") is None:
        raise UsageError(f"{what} needs Dask distributed, which is not installed: {INSTALL_HINT}")


class ClusterError(GraderError):
    """The cluster cannot grade: no scheduler answers, no worker joins (exit 3)."""

    exit_code = ExitCode.INTERNAL_ERROR

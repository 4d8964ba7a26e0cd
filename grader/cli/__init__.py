"""The command line: parse, call the library, map errors to exit statuses.

Exit statuses follow pytest's convention (see ``errors.ExitCode``): 0 every submission
accepted, 1 some submission not accepted, 2 interrupted, 3 internal error (including an
IE verdict), 4 usage or problem-definition error, 5 no submissions found.

A module per command or family: ``run`` (and ``contest`` for a problem set), ``problems``
(check, new, verify), ``similar``, ``images``, ``host`` (doctor, cleanup, serve); ``worker``
and ``scheduler`` come from ``grader.cluster``. ``options`` declares the options several
commands share and one per report format; ``terminal`` logging and interrupts.
"""

from __future__ import annotations

import os
import sys

import click

from grader import __version__
from grader.cli.host import cleanup_command, doctor, serve_command
from grader.cli.images import images_group
from grader.cli.problems import check, new, verify_command
from grader.cli.run import run_command
from grader.cli.similar import similar
from grader.cli.terminal import log
from grader.cluster.commands import scheduler, worker
from grader.errors import ExitCode, GraderError

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grader")
def cli() -> None:
    """Grade submissions against test cases, each run in a locked-down Docker container.

    \b
    Exit statuses: 0 all accepted, 1 some not accepted, 2 interrupted,
    3 internal error, 4 usage or problem error, 5 no submissions found.
    """


for _command in (
    run_command,
    check,
    new,
    similar,
    verify_command,
    images_group,
    serve_command,
    doctor,
    cleanup_command,
    worker,
    scheduler,
):
    cli.add_command(_command)


def main() -> None:
    """Console entry point: runs the CLI and turns every failure into an exit status."""
    try:
        cli.main(prog_name="grader", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        exc.show()
        sys.exit(ExitCode.USAGE_ERROR)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.USAGE_ERROR)
    except (click.Abort, KeyboardInterrupt):
        log("interrupted")
        sys.exit(ExitCode.INTERRUPTED)
    except GraderError as exc:
        log(f"grader: {exc}")
        sys.exit(exc.exit_code)
    except Exception as exc:
        if os.environ.get("GRADER_DEBUG"):
            raise
        log(f"grader: internal error: {type(exc).__name__}: {exc} (GRADER_DEBUG=1 for details)")
        sys.exit(ExitCode.INTERNAL_ERROR)
    sys.exit(ExitCode.ALL_ACCEPTED)

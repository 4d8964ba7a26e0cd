"""``grader similar``: pairs of submissions whose code is alike (needs the similar extra,
imported only when the command runs)."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.options import LANGUAGE
from grader.cli.terminal import log
from grader.problem.expectations import FILED_FOLDERS

__all__ = ["similar"]


@click.command("similar")
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=0.8,
    show_default=True,
    help="List pairs at least this similar (0..1).",
)
@click.option(
    "--template",
    "templates",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Starter code everyone got: matches with it are not counted (repeatable).",
)
@click.option("--html", "html_path", metavar="PATH", help="Also write a side-by-side page here.")
@LANGUAGE
def similar(
    submissions: tuple[Path, ...],
    threshold: float,
    templates: tuple[Path, ...],
    html_path: str | None,
    language: str | None,
) -> None:
    """List pairs of SUBMISSIONS (found as `grader run` finds them) whose code is
    suspiciously alike, most similar first: advisory evidence, never a verdict. Uses
    copydetect's winnowing fingerprints (as MOSS does); renamed names and reordered
    functions do not hide a copy. Exit 0 whatever it finds."""
    from grader.report.similar import compare, sources
    from grader.report.similarity import similarity_lines, write_similarity_html
    from grader.submissions import discover
    from grader.submissions.languages import load_languages

    table = load_languages()
    forced = table.get(language) if language else None
    found, skipped = sources(
        discover(list(submissions), table, language=forced, filed=FILED_FOLDERS)
    )
    for line in skipped:
        log(line)
    pairs = compare(found, templates)
    for line in similarity_lines(pairs, threshold, len(found)):
        click.echo(line)
    if html_path is not None:
        names = [template.name for template in templates]
        write_similarity_html(html_path, pairs, threshold, len(found), skipped, names)
        if html_path != "-":
            log(f"side-by-side report: {html_path}")

"""The report formats' registry (``grader/report/formats.py``): one record a format, and
``grader run`` offering and writing exactly what the records say."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from test_report_samples import every_verdict_report

from grader.cli import cli
from grader.cli.options import reports_help, with_default_reports
from grader.cli.run import run_command
from grader.report import FORMATS, write_reports
from grader.report.markdown import render_markdown


def _options() -> dict[str, click.Option]:
    params = [p for p in run_command.params if isinstance(p, click.Option)]
    return {opt: param for param in params for opt in param.opts}


@pytest.mark.parametrize("field", ["option", "suffix", "title"])
def test_no_two_formats_share_an_option_a_suffix_or_a_title(field: str) -> None:
    counts = Counter(getattr(record, field) for record in FORMATS.values())
    assert [value for value, count in counts.items() if count > 1] == []


def test_every_record_is_filed_under_its_name() -> None:
    assert all(name == record.name for name, record in FORMATS.items())


@pytest.mark.parametrize("name", list(FORMATS))
def test_grader_run_offers_each_format_with_its_help(name: str) -> None:
    record = FORMATS[name]
    option = _options()[record.option]
    assert (option.name, option.metavar, option.help) == (
        f"{name}_path",
        "PATH",
        record.option_help,
    )


def test_the_report_options_come_first_in_the_registrys_order() -> None:
    opts = [p.opts[0] for p in run_command.params if isinstance(p, click.Option)]
    assert opts[: len(FORMATS)] == [record.option for record in FORMATS.values()]


def test_run_help_says_which_option_writes_which_report() -> None:
    text = reports_help()
    assert text.startswith("Besides the JSON report, --html, ")
    others = [record for record in FORMATS.values() if not record.always]
    assert all(record.option in text and record.about in text for record in others)
    help_text = CliRunner().invoke(cli, ["run", "--help"], terminal_width=1000).output
    assert text in help_text


def test_json_is_written_to_reports_unless_asked_for_elsewhere() -> None:
    wanted = {name: None for name in FORMATS} | {"csv": "g.csv"}
    assert with_default_reports(wanted, "sum") == wanted | {"json": "reports/sum.json"}
    assert with_default_reports({"json": "r.json"}, "sum") == {"json": "r.json"}


def test_every_format_is_written_as_rendered(tmp_path: Path) -> None:
    report = every_verdict_report()
    targets = {name: str(tmp_path / f"r{record.suffix}") for name, record in FORMATS.items()}
    assert write_reports(report, targets) == targets
    for name, record in FORMATS.items():
        text = Path(targets[name]).read_bytes().decode("utf-8")
        if name == "markdown":  # the one format whose file links another: the HTML report
            assert text == render_markdown(report, "r.html")
        else:
            assert text == record.render(report), name

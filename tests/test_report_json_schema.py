"""The JSON report's schema ships with grader and describes what ``report_to_dict`` writes."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import jsonschema
import pytest
from jsonschema import Draft202012Validator
from test_report_samples import every_verdict_report, large_report
from test_student_view import report as grouped_report

from grader.report import SCHEMA_VERSION, json_schema, report_to_dict, write_json
from grader.report.student import for_students


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_the_schema_is_draft_2020_12() -> None:
    assert json_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_is_versioned_like_the_report() -> None:
    assert json_schema()["properties"]["schema_version"] == {"const": SCHEMA_VERSION}


def test_a_report_with_every_verdict_validates(validator: Draft202012Validator) -> None:
    validator.validate(report_to_dict(every_verdict_report()))


def test_a_report_written_to_disk_validates(validator: Draft202012Validator, tmp_path: Any) -> None:
    path = tmp_path / "report.json"
    write_json(every_verdict_report(), path)
    validator.validate(json.loads(path.read_text(encoding="utf-8")))


def test_an_interrupted_empty_report_validates(validator: Draft202012Validator) -> None:
    report = replace(every_verdict_report(), submissions=(), complete=False)
    validator.validate(report_to_dict(report))


def test_a_large_report_validates(validator: Draft202012Validator) -> None:
    validator.validate(report_to_dict(large_report(20, 10)))


def test_an_unknown_field_is_rejected(validator: Draft202012Validator) -> None:
    document = report_to_dict(every_verdict_report())
    document["submissions"][0]["cases"][0]["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_an_unknown_verdict_is_rejected(validator: Draft202012Validator) -> None:
    document = report_to_dict(every_verdict_report())
    document["submissions"][0]["verdict"] = "PASS"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_a_submission_cannot_be_skipped(validator: Draft202012Validator) -> None:
    document = report_to_dict(every_verdict_report())
    document["submissions"][0]["verdict"] = "SKIPPED"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_a_report_with_groups_and_a_student_view_validates(
    validator: Draft202012Validator,
) -> None:
    validator.validate(report_to_dict(grouped_report()))
    validator.validate(report_to_dict(for_students(grouped_report())))


def test_an_unknown_aggregation_is_rejected(validator: Draft202012Validator) -> None:
    document = report_to_dict(grouped_report())
    document["problem"]["groups"][0]["aggregation"] = "max"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_the_view_is_required(validator: Draft202012Validator) -> None:
    document = report_to_dict(every_verdict_report())
    del document["view"]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)

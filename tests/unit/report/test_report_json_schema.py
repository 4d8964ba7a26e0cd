"""The JSON report's schema ships with grader and describes what ``report_to_dict`` writes."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import jsonschema
import pytest
from jsonschema import Draft202012Validator
from test_report_samples import V2_HOST, every_verdict_report, large_report
from test_student_view import report as grouped_report

from grader.environment import Enforcement
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


def test_a_report_with_its_host_environment_validates(validator: Draft202012Validator) -> None:
    validator.validate(report_to_dict(replace(every_verdict_report(), environment=V2_HOST)))


def test_the_environment_block_records_cgroup_kernel_docker_and_runtime() -> None:
    block = report_to_dict(replace(every_verdict_report(), environment=V2_HOST))["environment"]
    assert (block["cgroup_version"], block["kernel"], block["docker_version"]) == (
        "2",
        "6.1.0-28-amd64",
        "20.10.24+dfsg1",
    )
    assert block["oci_runtime"] == "runc 1.1.5+ds1"


def test_the_environment_block_names_what_could_not_be_enforced(
    validator: Draft202012Validator,
) -> None:
    blind = Enforcement(cgroup_version=None, tree_cpu=False, oom_kills=False, memory=None)
    host = replace(V2_HOST, engine_cgroup_version="2", enforcement=blind)
    document = report_to_dict(replace(every_verdict_report(), environment=host))
    validator.validate(document)
    assert len(document["environment"]["cannot_enforce"]) == 2

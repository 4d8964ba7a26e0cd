"""JUnit XML report: valid against Jenkins xunit's junit-10.xsd, readable by junitparser,
and safe for whatever a submission printed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
import xmlschema
from junitparser import Error, Failure, JUnitXml, Skipped
from test_report_samples import BLIND_HOST, DATA, SCRIPT, every_verdict_report, grouped_report

from grader.report.junit import classname, render_junit, write_junit


@pytest.fixture(scope="module")
def xml_text() -> str:
    return render_junit(every_verdict_report())


@pytest.fixture(scope="module")
def root(xml_text: str) -> ET.Element:
    return ET.fromstring(xml_text)


def _case(root: ET.Element, submission: str, case: str) -> ET.Element:
    found = root.find(f"testsuite[@name='sum_v2.{submission}']/testcase[@name='{case}']")
    assert found is not None, (submission, case)
    return found


def test_every_verdict_and_hostile_output_validate_against_the_xsd(xml_text: str) -> None:
    xmlschema.XMLSchema(DATA / "junit-10.xsd").validate(xml_text)


def test_it_parses_back_with_junitparser(tmp_path: Path) -> None:
    path = tmp_path / "report.xml"
    write_junit(every_verdict_report(), path)
    suites = {suite.name: suite for suite in JUnitXml.fromfile(str(path))}
    assert len(suites) == len(every_verdict_report().submissions)
    results = {case.name: case.result for case in suites["sum_v2.bob"]}
    assert results["sample.1"] == []
    [failure] = results["large"]
    assert isinstance(failure, Failure)
    assert failure.type == "WA"


def test_junitparser_sees_ie_as_error_and_not_run_cases_as_skipped(tmp_path: Path) -> None:
    path = tmp_path / "report.xml"
    write_junit(every_verdict_report(), path)
    suites = {suite.name: suite for suite in JUnitXml.fromfile(str(path))}
    ivan = {case.name: case.result for case in suites["sum_v2.ivan"]}
    carol = {case.name: case.result for case in suites["sum_v2.carol"]}
    assert isinstance(ivan["large"][0], Error)
    assert isinstance(carol["edge/zero"][0], Skipped)


def test_one_suite_per_submission_and_one_testcase_per_case(root: ET.Element) -> None:
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites][:2] == ["sum_v2.alice", "sum_v2.bob"]
    assert all(len(suite.findall("testcase")) == 3 for suite in suites)
    assert root.get("tests") == str(3 * len(suites))


def test_classname_replaces_dots_and_slashes_inside_ids() -> None:
    assert classname("sum.v2", "team.one/alice") == "sum_v2.team_one_alice"
    assert classname("p", "a\\b") == "p.a_b"


def test_testcases_carry_classname_name_and_no_file_or_line(root: ET.Element) -> None:
    case = _case(root, "team_one_alice", "edge/zero")
    assert case.get("classname") == "sum_v2.team_one_alice"
    assert set(case.attrib) == {"classname", "name", "time"}


def test_times_are_cpu_seconds_with_at_most_three_decimals(xml_text: str, root: ET.Element) -> None:
    times = re.findall(r'time="([^"]*)"', xml_text)
    assert times and all(re.fullmatch(r"\d+(\.\d{1,3})?", value) for value in times)
    assert _case(root, "alice", "large").get("time") == "1.235"


def test_testsuites_has_no_skipped_or_disabled_attribute(root: ET.Element) -> None:
    assert root.tag == "testsuites"
    assert not {"skipped", "disabled"} & set(root.attrib)


@pytest.mark.parametrize("verdict", ["WA", "TLE", "MLE", "RTE", "OLE"])
def test_failed_runs_are_failures_typed_by_verdict(root: ET.Element, verdict: str) -> None:
    failures = root.findall(f".//testcase/failure[@type='{verdict}']")
    assert failures
    assert all(f.text and f.text.startswith(f.get("message", "")) for f in failures)


def test_a_ce_submission_fails_every_case_with_the_message_then_the_compile_log(
    root: ET.Element,
) -> None:
    suite = root.find("testsuite[@name='sum_v2.grace']")
    assert suite is not None
    failures = suite.findall("testcase/failure")
    assert len(failures) == 3 and suite.get("failures") == "3"
    assert all(f.get("type") == "CE" and f.get("message") == "compilation failed" for f in failures)
    body = failures[0].text or ""
    assert body.startswith("compilation failed\n\n")
    assert "expected ';'" in body


def test_an_ie_submission_errors_every_case(root: ET.Element) -> None:
    suite = root.find("testsuite[@name='sum_v2.heidi']")
    assert suite is not None
    assert len(suite.findall("testcase/error[@type='IE']")) == 3
    assert suite.get("errors") == "3" and suite.get("failures") == "0"


def test_an_ie_case_is_an_error(root: ET.Element) -> None:
    error = _case(root, "ivan", "large").find("error")
    assert error is not None and error.get("type") == "IE"


def test_a_case_not_run_after_a_failure_is_skipped(root: ET.Element) -> None:
    case = _case(root, "carol", "edge/zero")
    assert case.find("skipped") is not None
    assert root.find("testsuite[@name='sum_v2.carol']").get("skipped") == "1"  # type: ignore[union-attr]


def test_system_out_holds_memory_against_the_limit_and_the_message(root: ET.Element) -> None:
    out = _case(root, "dave", "sample.1").findtext("system-out") or ""
    assert "memory: 70.0 MiB (limit 64 MiB)" in out
    assert "message: memory over the 64 MiB limit" in out


def test_forbidden_characters_are_shown_escaped_not_dropped(root: ET.Element) -> None:
    failure = _case(root, "bob", "large").find("failure")
    assert failure is not None
    message = failure.get("message") or ""
    for shown in ("NUL\\x00", "BEL\\x07", "VT\\x0b", "ESC\\x1b[31m", "DEL\\x7f", "C1\\x85"):
        assert shown in message
    assert "bad \\xff\\xfe utf8" in message
    assert "raw\\xff" in message and "\\ufffe" in message
    assert "]]>" in message and SCRIPT in message and '"quoted"' in message


def test_hostile_submission_ids_stay_well_formed(root: ET.Element) -> None:
    names = [suite.get("name") or "" for suite in root.findall("testsuite")]
    assert "sum_v2.mallory\\x00<script>alert(1)<_script>\\xff" in names


def test_each_group_is_a_property_of_the_suite_with_points_verdict_and_pass() -> None:
    root = ET.fromstring(render_junit(grouped_report()))
    found = root.find("testsuite[@name='sub.bob']/properties/property[@name='group.main']")
    assert found is not None and found.get("value") == "0/10 WA failed"


def test_a_grouped_case_names_its_group_in_system_out() -> None:
    root = ET.fromstring(render_junit(grouped_report()))
    out = root.find("testsuite[@name='sub.bob']/testcase[@name='m1']/system-out")
    assert out is not None and (out.text or "").startswith("group: main\n")


def test_a_grouped_report_validates_against_the_xsd() -> None:
    xmlschema.XMLSchema(DATA / "junit-10.xsd").validate(render_junit(grouped_report()))


def test_each_suite_names_the_host_it_was_graded_on() -> None:
    root = ET.fromstring(render_junit(replace(every_verdict_report(), environment=BLIND_HOST)))
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["host.oci_runtime"] == "runc 1.1.5+ds1"
    assert properties["host.kernel"] == "6.1.0-28-amd64"
    assert "CPU" in properties["host.cannot_enforce"]

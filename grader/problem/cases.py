"""Test cases: the ``tests:`` list of problem.yaml -> ``TestCase`` values.

A case's input and expected output are given inline (``stdin``, ``expected_output``) or
read from files in the problem folder (``stdin_file``, ``expected_output_file``; at most
``MAX_CASE_FILE`` bytes, never outside the folder). A case inherits the problem's limits
and its group's visibility unless it gives its own.
"""

from __future__ import annotations

from grader.model import Group, Limits, TestCase
from grader.problem.fields import Fields
from grader.problem.groups import case_group
from grader.problem.limits import read_limits
from grader.problem.yamlfile import YamlMapping

__all__ = ["MAX_CASE_FILE", "TEST_KEYS", "read_tests"]

TEST_KEYS = (
    "name",
    "description",
    "stdin",
    "stdin_file",
    "expected_output",
    "expected_output_file",
    "points",
    "limits",
    "group",
    "visible",
)
MAX_CASE_FILE = 1 << 30


def read_tests(
    fields: Fields, data: YamlMapping, limits: Limits, groups: tuple[Group, ...]
) -> tuple[TestCase, ...]:
    """The non-empty list of cases under ``tests:``, their names unique."""
    raw = data.get("tests")
    line = data.lines.get("tests", data.line)
    if not isinstance(raw, list) or not raw:
        fields.fail("tests", line, "expected a non-empty list of test cases")
    cases: list[TestCase] = []
    for index, item in enumerate(raw, start=1):
        case = _case(fields, item, index, limits, line, groups)
        if any(other.name == case.name for other in cases):
            fields.fail(f"tests[{index}].name", item.line, f"duplicate case name {case.name!r}")
        cases.append(case)
    return tuple(cases)


def _case(
    fields: Fields, item: object, index: int, limits: Limits, line: int, groups: tuple[Group, ...]
) -> TestCase:
    where = f"tests[{index}]"
    case = fields.mapping(item, where, line)
    fields.known(case, TEST_KEYS, f"{where}.")
    name = fields.name(case, f"{where}.", str(index), case.line)
    group = case_group(fields, case, where, groups)
    return TestCase(
        name=name,
        stdin=_data(fields, case, "stdin", where, required=False),
        expected=_data(fields, case, "expected_output", where, required=True),
        limits=read_limits(fields, case.get("limits"), limits, f"{where}.limits", case.line)
        if "limits" in case
        else limits,
        points=fields.points(case, where),
        description=fields.text(case, "description", f"{where}."),
        group=group.name if group else "",
        visible=fields.flag(case, "visible", where, group.visible if group else False),
    )


def _data(fields: Fields, case: YamlMapping, key: str, where: str, *, required: bool) -> bytes:
    inline, file_key = case.get(key), f"{key}_file"
    if inline is not None and file_key in case:
        fields.fail(f"{where}.{key}", case.line, f"give {key} or {file_key}, not both")
    if file_key in case:
        return _file(fields, case, file_key, where)
    if inline is None:
        if required:
            fields.fail(where, case.line, f"missing {key} (or {file_key})")
        return b""
    if isinstance(inline, int | float) and not isinstance(inline, bool):
        inline = str(inline)
    if not isinstance(inline, str):
        fields.fail(f"{where}.{key}", case.lines[key], "expected text")
    return inline.encode()


def _file(fields: Fields, case: YamlMapping, key: str, where: str) -> bytes:
    line, name, root = case.lines[key], case[key], fields.root
    if not isinstance(name, str) or not name:
        fields.fail(f"{where}.{key}", line, "expected a path relative to the problem folder")
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        fields.fail(f"{where}.{key}", line, f"{name} is outside the problem folder")
    if not path.is_file():
        fields.fail(f"{where}.{key}", line, f"file not found: {name}")
    if path.stat().st_size > MAX_CASE_FILE:
        fields.fail(f"{where}.{key}", line, f"{name} is larger than {MAX_CASE_FILE >> 20} MiB")
    try:
        return path.read_bytes()
    except OSError as exc:
        fields.fail(f"{where}.{key}", line, f"cannot read {name}: {exc}")

"""The ``checker:`` setting of problem.yaml -> ``CheckerSpec``: a built-in comparison rule
by name, with its options (see ``checkers``), or a checker program in the problem folder
with its convention, arguments and limits (its sources read by
``submissions.program_source``; run by ``judging.checker_program``).
"""

from __future__ import annotations

from grader import checkers
from grader.model import CHECKER_LIMITS, CheckerProgram, CheckerSpec, Convention, Verdict
from grader.problem.fields import Fields
from grader.problem.limits import read_limits
from grader.problem.yamlfile import YamlMapping
from grader.submissions import program_source
from grader.submissions.languages import load_languages

__all__ = ["CHECKER_KEYS", "INTERACTOR_KEYS", "PROGRAM_KEYS", "read_checker", "read_interactor"]

CHECKER_KEYS = ("name", "options")
PROGRAM_KEYS = ("program", "convention", "args", "presentation_error", "limits")
INTERACTOR_KEYS = ("program", "args", "limits")


def read_interactor(fields: Fields, data: YamlMapping) -> CheckerSpec | None:
    """``interactor:`` (a program in the folder, called by the Kattis convention, with
    ``args`` and ``limits`` like a checker's), or None when the problem has none."""
    if "interactor" not in data:
        return None
    line = data.lines.get("interactor", 0)
    if "checker" in data:
        fields.fail("interactor", line, "an interactor judges the cases: give no checker")
    spec = fields.mapping(data["interactor"], "interactor", line)
    fields.known(spec, INTERACTOR_KEYS, "interactor.")
    name = fields.text(spec, "program", "interactor.")
    if not name:
        fields.fail("interactor.program", spec.lines.get("program", line), "expected a path")
    try:
        source = program_source(fields.root, name, load_languages())
    except ValueError as exc:
        fields.fail("interactor.program", spec.lines["program"], str(exc))
    at = spec.lines.get("limits", spec.line)
    limits = read_limits(fields, spec.get("limits"), CHECKER_LIMITS, "interactor.limits", at)
    args = _args(fields, spec, "interactor.args")
    program = CheckerProgram(source, Convention.KATTIS, args, limits=limits)
    return CheckerSpec(f"{name} (interactor)", {}, program)


def read_checker(fields: Fields, data: YamlMapping) -> CheckerSpec:
    """``checker:`` as a name, a mapping of name and options, or a program (default:
    the built-in ``tokens``)."""
    raw = data.get("checker", "tokens")
    line = data.lines.get("checker", 0)
    if isinstance(raw, str):
        name, options = raw, {}
    else:
        spec = fields.mapping(raw, "checker", line)
        fields.known(spec, (*CHECKER_KEYS, *PROGRAM_KEYS), "checker.")
        if "program" in spec:
            return _program(fields, spec)
        for key in PROGRAM_KEYS:
            if key in spec:
                fields.fail(f"checker.{key}", spec.lines[key], "only with checker.program")
        name = fields.text(spec, "name", "checker.", default="tokens")
        options = dict(fields.mapping(spec.get("options", YamlMapping()), "checker.options", line))
    try:
        checkers.resolve(name, options)
    except ValueError as exc:
        fields.fail("checker", line, str(exc))
    return CheckerSpec(name, options)


def _program(fields: Fields, spec: YamlMapping) -> CheckerSpec:
    for key in CHECKER_KEYS:
        if key in spec:
            fields.fail(f"checker.{key}", spec.lines[key], "give name or program, not both")
    name = fields.text(spec, "program", "checker.")
    if not name:
        fields.fail("checker.program", spec.lines["program"], "expected a path in the folder")
    try:
        source = program_source(fields.root, name, load_languages())
    except ValueError as exc:
        fields.fail("checker.program", spec.lines["program"], str(exc))
    convention = Convention(_choice(fields, spec, "convention", tuple(Convention)))
    wrong_output = _choice(fields, spec, "presentation_error", ("wa", "ac"), default="wa")
    if "presentation_error" in spec and convention is not Convention.TESTLIB:
        line = spec.lines["presentation_error"]
        fields.fail("checker.presentation_error", line, "only for convention testlib")
    line = spec.lines.get("limits", spec.line)
    limits = read_limits(fields, spec.get("limits"), CHECKER_LIMITS, "checker.limits", line)
    args = _args(fields, spec, "checker.args")
    program = CheckerProgram(source, convention, args, Verdict(wrong_output.upper()), limits)
    return CheckerSpec(f"{name} ({convention})", {}, program)


def _choice(
    fields: Fields,
    spec: YamlMapping,
    key: str,
    choices: tuple[str, ...],
    default: str | None = None,
) -> str:
    value, line = spec.get(key, default), spec.lines.get(key, spec.line)
    if value is None or value not in choices:
        got = "nothing" if value is None else repr(value)
        fields.fail(f"checker.{key}", line, f"expected one of {', '.join(choices)}; got {got}")
    return str(value)


def _args(fields: Fields, spec: YamlMapping, key: str) -> tuple[str, ...]:
    raw = spec.get("args", [])
    if not isinstance(raw, list) or not all(_scalar(arg) for arg in raw):
        line = spec.lines.get("args", spec.line)
        fields.fail(key, line, "expected a list of strings or numbers")
    return tuple(str(arg) for arg in raw)


def _scalar(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)

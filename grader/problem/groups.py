"""Groups (subtasks): the ``groups:`` mapping of problem.yaml -> ``Group`` values.

Checks that every group a group requires exists and that no group requires itself, even
indirectly; finds the group a case names (``group:``); and checks that every group has a
case. Scoring groups is ``scoring``'s work.
"""

from __future__ import annotations

from grader.model import Aggregation, Group, TestCase
from grader.problem.fields import NAME_RULE, Fields, is_name, suggest
from grader.problem.yamlfile import YamlMapping

__all__ = ["GROUP_KEYS", "case_group", "check_groups_used", "read_groups"]

GROUP_KEYS = ("aggregation", "points", "requires", "visible", "description")


def read_groups(fields: Fields, data: YamlMapping) -> tuple[Group, ...]:
    """The groups in the order given (none when there is no ``groups:``)."""
    if "groups" not in data:
        return ()
    raw = fields.mapping(data["groups"], "groups", data.lines["groups"])
    if not raw:
        fields.fail("groups", raw.line, "expected a mapping of group names to settings")
    groups = tuple(_group(fields, raw, name) for name in raw)
    _requirements(fields, raw, groups)
    return groups


def case_group(
    fields: Fields, case: YamlMapping, where: str, groups: tuple[Group, ...]
) -> Group | None:
    """The group the case at ``where`` names, if it names one."""
    if "group" not in case:
        return None
    name, line = case["group"], case.lines["group"]
    found = next((group for group in groups if group.name == name), None)
    if found is None:
        names = [group.name for group in groups]
        hint = suggest(str(name), names, "groups") if names else " (define it under groups:)"
        fields.fail(f"{where}.group", line, f"unknown group {name!r}{hint}")
    return found


def check_groups_used(
    fields: Fields, data: YamlMapping, groups: tuple[Group, ...], tests: tuple[TestCase, ...]
) -> None:
    """Every group has at least one case."""
    used = {case.group for case in tests}
    for group in groups:
        if group.name not in used:
            line = data["groups"].lines[group.name]
            fields.fail(f"groups.{group.name}", line, "no case is in this group (group: NAME)")


def _group(fields: Fields, raw: YamlMapping, name: object) -> Group:
    where, line = f"groups.{name}", raw.lines[name]
    if not is_name(name):
        fields.fail(where, line, f"expected a group name of {NAME_RULE}")
    spec = fields.mapping(YamlMapping.empty(line) if raw[name] is None else raw[name], where, line)
    fields.known(spec, GROUP_KEYS, f"{where}.")
    aggregation = spec.get("aggregation", "sum")
    if aggregation not in tuple(Aggregation):
        line = spec.lines.get("aggregation", line)
        fields.fail(f"{where}.aggregation", line, f"expected sum or min; got {aggregation!r}")
    return Group(
        name=name,
        aggregation=Aggregation(aggregation),
        points=fields.points(spec, where) if "points" in spec else None,
        requires=_requires(fields, spec, where),
        visible=fields.flag(spec, "visible", where, False),
        description=fields.text(spec, "description", f"{where}."),
    )


def _requires(fields: Fields, spec: YamlMapping, where: str) -> tuple[str, ...]:
    raw = spec.get("requires", [])
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        line = spec.lines.get("requires", spec.line)
        fields.fail(f"{where}.requires", line, "expected a group name or a list of them")
    return tuple(names)


def _requirements(fields: Fields, raw: YamlMapping, groups: tuple[Group, ...]) -> None:
    """Every required group exists, and no group requires itself, even indirectly."""
    names = [group.name for group in groups]
    for group in groups:
        line = raw[group.name].lines.get("requires", 0) if raw[group.name] else 0
        for needed in group.requires:
            if needed not in names:
                where = f"groups.{group.name}.requires"
                fields.fail(
                    where, line, f"unknown group {needed!r}{suggest(needed, names, 'groups')}"
                )
    cycle = _cycle(groups)
    if cycle:
        line = raw[cycle[0]].lines.get("requires", 0)
        fields.fail(f"groups.{cycle[0]}.requires", line, "cycle: " + " -> ".join(cycle))


def _cycle(groups: tuple[Group, ...]) -> list[str]:
    """A cycle of requirements (``[a, b, a]``), or an empty list."""
    requires = {group.name: group.requires for group in groups}
    done: set[str] = set()
    path: list[str] = []

    def visit(name: str) -> list[str]:
        if name in path:
            return [*path[path.index(name) :], name]
        if name in done:
            return []
        path.append(name)
        for needed in requires[name]:
            found = visit(needed)
            if found:
                return found
        path.pop()
        done.add(name)
        return []

    return next((found for group in groups if (found := visit(group.name))), [])

"""Golden checker cases: every directory under ``tests/checkers/golden/`` gets its verdict.

A case is a directory holding ``expected`` and ``output`` (raw bytes, any encoding) and
``case.yaml``: ``checker`` (a registered name), ``options`` (optional mapping, as a problem
gives them), ``accepted`` (the verdict) and ``message_contains`` (optional: a substring of the
rejection message). Add a case by adding a directory; no code changes.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import yaml
from paths import TESTS

from grader.checkers import REGISTRY, resolve

GOLDEN = TESTS / "checkers" / "golden"
CASES = sorted(path for path in GOLDEN.iterdir() if path.is_dir())
KEYS = {"checker", "options", "accepted", "message_contains"}
MAX_MESSAGE = 200


def _spec(case: Path) -> dict[str, object]:
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    assert isinstance(spec, dict) and set(spec) <= KEYS, f"{case.name}/case.yaml: keys {KEYS}"
    return spec


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden_case_gets_its_verdict_and_message(case: Path) -> None:
    spec = _spec(case)
    options = spec.get("options") or {}
    assert isinstance(options, dict)
    checker = resolve(str(spec["checker"]), options)

    result = checker((case / "expected").read_bytes(), (case / "output").read_bytes())

    assert result.accepted is spec["accepted"], result.message
    assert str(spec.get("message_contains", "")) in result.message
    assert len(result.message) <= MAX_MESSAGE


def test_golden_cases_cover_every_checker_and_option() -> None:
    specs = [_spec(case) for case in CASES]
    used = {
        (str(spec["checker"]), str(option))
        for spec in specs
        for option in spec.get("options") or {}
    }
    checkers = {str(spec["checker"]) for spec in specs}

    assert checkers == set(REGISTRY)
    for name, check in REGISTRY.items():
        options = {
            p.name for p in inspect.signature(check).parameters.values() if p.kind is p.KEYWORD_ONLY
        }
        assert {(name, option) for option in options} <= used

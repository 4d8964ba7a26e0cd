"""Fuzzing the problem loader: whatever the file holds, the answer is a Problem or a
ProblemError (a message for the user), never another exception or a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.errors import ProblemError
from grader.problem.grader_format import LIMIT_KEYS, TEST_KEYS, TOP_KEYS, load_problem

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["500ms", "2s", "64MB", "1GB", "-1", "tests/x.in", "", "tokens", "exact"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
limits = st.dictionaries(st.sampled_from(LIMIT_KEYS), values, max_size=4)
cases = st.lists(
    st.dictionaries(
        st.sampled_from((*TEST_KEYS, "expectd")), st.one_of(values, limits), max_size=6
    ),
    max_size=3,
)
problems = st.dictionaries(
    st.sampled_from((*TOP_KEYS, "limts")),
    st.one_of(values, limits, cases),
    max_size=6,
)


def load_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "problem.yaml").write_text(text)
        try:
            load_problem(Path(folder))
        except ProblemError as exc:
            assert str(exc)


@SETTINGS
@given(problems)
def test_structured_nonsense_gives_a_problem_or_a_problem_error(data: dict[str, object]) -> None:
    load_text(yaml.safe_dump(data))


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text_gives_a_problem_or_a_problem_error(text: str) -> None:
    load_text(text)


@SETTINGS
@given(st.text(alphabet=":-[]{}#&*!|>'\"%@` \n\tab1", max_size=200))
def test_yaml_punctuation_gives_a_problem_or_a_problem_error(text: str) -> None:
    load_text(text)

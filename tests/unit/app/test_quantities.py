"""Durations and sizes as written in problem files."""

import pytest

from grader.quantities import parse_duration, parse_size


@pytest.mark.parametrize(
    ("text", "seconds"), [(1, 1.0), (0.5, 0.5), ("500ms", 0.5), ("2s", 2.0), ("1m", 60.0)]
)
def test_duration_forms(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", [-1, 0, "fast", "1h", True, None, float("inf")])
def test_duration_rejects_nonsense(bad: object) -> None:
    with pytest.raises(ValueError, match="expected"):
        parse_duration(bad)


@pytest.mark.parametrize(
    ("text", "size"),
    [
        (64, 64 << 20),
        ("64MB", 64 << 20),
        ("64MiB", 64 << 20),
        ("1GB", 1 << 30),
        ("512k", 512 << 10),
    ],
)
def test_size_forms_are_binary(text: object, size: int) -> None:
    assert parse_size(text) == size


def test_size_unit_is_configurable() -> None:
    assert parse_size(100, unit=1) == 100


@pytest.mark.parametrize("bad", [-64, 0, "lots", "64TB", False])
def test_size_rejects_nonsense(bad: object) -> None:
    with pytest.raises(ValueError, match="expected"):
        parse_size(bad)

"""``grader serve``'s start: service.yaml read into ``ServiceConfig`` (mistakes named),
the loopback rule, and the exit status without the serve extra."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from paths import ROOT

from grader.errors import UsageError
from grader.model import MIB
from grader.serve.config import Quota, Rate, load_config
from grader.serve.main import check_bind, is_loopback, load_problems

FOO = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"  # sha256("foo")


def config_of(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "service.yaml"
    path.write_text(text)
    return path


def test_no_config_is_open_with_the_defaults() -> None:
    config = load_config(None)
    assert (config.open, config.queue, config.max_limits.memory) == (True, 100, 512 * MIB)


def test_the_issues_example_config_is_read(tmp_path: Path) -> None:
    path = config_of(
        tmp_path,
        f"""workers: 4
queue: 100
problems_dir: problems
max_limits: {{time: 10, memory: 512}}
keys:
  - name: alice
    key_sha256: {FOO}
    rate: 30/minute
    quota: 1000/day
    admin: false
""",
    )
    config = load_config(path)
    [alice] = config.keys
    assert (alice.name, alice.sha256, alice.rate, alice.quota) == (
        "alice",
        FOO,
        Rate(30, 60),
        Quota(1000),
    )
    assert config.problems_dir == tmp_path / "problems"


def test_a_cpu_seconds_quota_is_read(tmp_path: Path) -> None:
    path = config_of(tmp_path, f"keys: [{{name: a, key_sha256: {FOO}, quota: 3600s/day}}]")
    assert load_config(path).keys[0].quota == Quota(3600, cpu=True)


def test_reusing_containers_is_off_unless_asked(tmp_path: Path) -> None:
    assert not load_config(config_of(tmp_path, "workers: 1")).reuse_containers
    assert load_config(config_of(tmp_path, "reuse_containers: true")).reuse_containers


def test_a_plain_key_is_hashed_and_warned_about(tmp_path: Path) -> None:
    config = load_config(config_of(tmp_path, "keys: [{name: dev, key: foo}]"))
    assert config.keys[0].sha256 == hashlib.sha256(b"foo").hexdigest()
    assert config.warnings == [
        "key 'dev' is stored in plain text: use key_sha256 outside development"
    ]


def test_a_bad_rate_names_the_key_and_the_form_expected(tmp_path: Path) -> None:
    path = config_of(tmp_path, f"keys: [{{name: a, key_sha256: {FOO}, rate: 30/fortnight}}]")
    with pytest.raises(UsageError, match=r"keys\[0\]\.rate: expected like '30/minute'"):
        load_config(path)


def test_a_short_hash_is_refused(tmp_path: Path) -> None:
    path = config_of(tmp_path, "keys: [{name: a, key_sha256: abc}]")
    with pytest.raises(UsageError, match="64 hexadecimal digits"):
        load_config(path)


def test_an_unknown_key_is_refused_listing_the_known(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"unknown keys \['wrokers'\]"):
        load_config(config_of(tmp_path, "wrokers: 4"))


def test_duplicate_key_names_are_refused(tmp_path: Path) -> None:
    path = config_of(tmp_path, "keys: [{name: a, key: x}, {name: a, key: y}]")
    with pytest.raises(UsageError, match="unique"):
        load_config(path)


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_loopback_addresses_are_loopback(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.4", "::", "example.org"])
def test_other_addresses_are_not_loopback(host: str) -> None:
    assert not is_loopback(host)


def test_binding_another_address_without_keys_is_refused() -> None:
    with pytest.raises(UsageError, match="without API keys"):
        check_bind("0.0.0.0", load_config(None))


def test_binding_another_address_with_keys_is_allowed(tmp_path: Path) -> None:
    check_bind("0.0.0.0", load_config(config_of(tmp_path, "keys: [{name: a, key: x}]")))


def test_the_bundled_problems_are_known_by_folder_name() -> None:
    assert {"sum", "hostile", "testlib-checker"} <= set(load_problems(ROOT / "problems"))


def grader_serve(*args: str, block: str = "pass") -> subprocess.CompletedProcess[str]:
    code = (
        f"import sys; {block}; sys.argv = ['grader', 'serve', *{list(args)!r}];"
        " from grader.cli import main; main()"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_without_the_serve_extra_serve_exits_4_saying_how_to_install_it() -> None:
    result = grader_serve(block="sys.modules['fastapi'] = None")
    assert result.returncode == 4
    assert "pip install 'grader[serve]'" in result.stderr


def test_serve_on_a_public_address_without_keys_exits_4() -> None:
    result = grader_serve("--host", "0.0.0.0")
    assert result.returncode == 4
    assert "refusing to listen on 0.0.0.0 without API keys" in result.stderr

"""problems/guess as a Kattis package, legacy and 2025-09, for the interactive tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from paths import ROOT

GUESS = ROOT / "problems" / "guess"


def kattis_guess(tmp_path: Path, problem_yaml: str, validator_folder: str) -> Path:
    """problems/guess as a Kattis package: its cases in data/, its interactor as the
    output validator."""
    folder = tmp_path / "guess-kattis"
    for sub in ("sample", "secret"):
        (folder / "data" / sub).mkdir(parents=True)
    (folder / "data" / "sample" / "1.in").write_text("10 4\n")
    (folder / "data" / "sample" / "1.ans").write_text("\n")
    (folder / "data" / "secret" / "1.in").write_text("1000 10\n")
    (folder / "data" / "secret" / "1.ans").write_text("\n")
    (folder / validator_folder).mkdir()
    shutil.copy(GUESS / "interactor" / "interact.py", folder / validator_folder / "interact.py")
    (folder / "problem.yaml").write_text(problem_yaml)
    shutil.copytree(GUESS / "submissions", folder / "submissions")
    return folder


LEGACY = "name: Guess\nvalidation: custom interactive\nlimits:\n  time_limit: 1\n"
FORMAT_2025 = (
    "problem_format_version: 2025-09\nname: Guess\nuuid: 4c0f1f5e-7d0e-4c55-9a77-1f1c0e7b2a10\n"
    "type: interactive\nlimits:\n  time_limit: 1\n"
)

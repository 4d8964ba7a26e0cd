"""Finding submissions: files, folder submissions, collections, and unusable ones kept as CE."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.errors import NoSubmissionsError, UsageError
from grader.problem.expectations import FILED_FOLDERS
from grader.submissions import discover, one_program
from grader.submissions.languages import load_languages

TABLE = load_languages()


def make(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def ids(paths: list[Path], **kwargs: object) -> list[str]:
    return [s.id for s in discover(paths, TABLE, **kwargs)]  # type: ignore[arg-type]


def test_a_file_is_one_submission_named_by_its_stem(tmp_path: Path) -> None:
    make(tmp_path, {"alice.py": "print(1)"})
    assert ids([tmp_path / "alice.py"]) == ["alice"]


def test_a_folder_with_an_entry_point_is_one_submission(tmp_path: Path) -> None:
    make(tmp_path, {"bob/main.py": "import util", "bob/util.py": ""})
    [bob] = discover([tmp_path / "bob"], TABLE)
    assert (bob.id, bob.entry, len(bob.files)) == ("bob", "main.py", 2)


def test_a_folder_without_entry_point_is_a_collection(tmp_path: Path) -> None:
    make(tmp_path, {"alice.py": "", "bob/main.py": "", "carol.py": ""})
    assert ids([tmp_path]) == ["alice", "bob", "carol"]


def test_nested_collections_prefix_ids(tmp_path: Path) -> None:
    make(tmp_path, {"accepted/alice.py": "", "wrong_answer/carol.py": ""})
    assert ids([tmp_path]) == ["accepted/alice", "wrong_answer/carol"]


def test_hidden_and_readme_files_are_ignored(tmp_path: Path) -> None:
    make(tmp_path, {".git/x": "", "README.md": "", "alice.py": ""})
    assert ids([tmp_path]) == ["alice"]


def test_unknown_language_is_kept_with_a_reason(tmp_path: Path) -> None:
    make(tmp_path, {"ivan.rb": "puts 1"})
    [ivan] = discover([tmp_path], TABLE)
    assert ivan.language is None and "unsupported language (.rb)" in ivan.reason


def test_language_override_applies(tmp_path: Path) -> None:
    make(tmp_path, {"ivan.txt": "print(1)"})
    [ivan] = discover([tmp_path], TABLE, language=TABLE.get("python"))
    assert ivan.language is not None and not ivan.reason


def test_binary_source_is_unusable(tmp_path: Path) -> None:
    make(tmp_path, {"blob.py": b"\x7fELF\x00\x00"})
    assert "binary" in discover([tmp_path], TABLE)[0].reason


def test_oversized_source_is_unusable(tmp_path: Path) -> None:
    make(tmp_path, {"big.py": "#" * 2000})
    assert "--max-source-size" in discover([tmp_path], TABLE, max_source=1000)[0].reason


def test_symlink_leaving_the_submission_is_unusable(tmp_path: Path) -> None:
    make(tmp_path, {"secret.txt": "answers", "subs/bob/main.py": ""})
    (tmp_path / "subs/bob/leak.py").symlink_to(tmp_path / "secret.txt")
    assert "links outside" in discover([tmp_path / "subs"], TABLE)[0].reason


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        discover([tmp_path / "nope"], TABLE)


def test_empty_folder_is_no_submissions(tmp_path: Path) -> None:
    with pytest.raises(NoSubmissionsError, match="no submissions found"):
        discover([tmp_path], TABLE)


def test_same_stem_in_several_languages_keeps_each_with_its_extension(tmp_path: Path) -> None:
    make(tmp_path, {"hello.cc": "", "hello.java": "", "hello.py": "", "other.py": ""})
    assert ids([tmp_path]) == ["hello.cc", "hello.java", "hello.py", "other"]


def test_same_stem_in_a_nested_folder_keeps_the_folder_in_the_id(tmp_path: Path) -> None:
    make(tmp_path, {"accepted/hello.c": "", "accepted/hello.py": ""})
    assert ids([tmp_path]) == ["accepted/hello.c", "accepted/hello.py"]


def test_same_file_name_in_two_places_is_known_by_its_path(tmp_path: Path) -> None:
    make(tmp_path, {"a/alice.py": "", "b/alice.py": ""})
    paths = [tmp_path / "a" / "alice.py", tmp_path / "b" / "alice.py"]
    assert ids(paths) == [str(paths[0]), str(paths[1])]


def test_one_program_is_a_folder_whatever_its_file_names(tmp_path: Path) -> None:
    make(tmp_path, {"v/validate.cc": "int main(){}", "v/validate.h": "", "v/notes.txt": ""})
    program = one_program(tmp_path / "v", TABLE, "v")
    assert (program.entry, program.language and program.language.key, program.reason) == (
        "validate.cc",
        "cpp",
        "",
    )
    assert sorted(f.path for f in program.files) == ["notes.txt", "validate.cc", "validate.h"]


def test_a_header_is_never_the_entry_point(tmp_path: Path) -> None:
    make(tmp_path, {"p/a_util.h": "", "p/test-hello.c": "int main(){}"})
    assert one_program(tmp_path / "p", TABLE, "p").entry == "test-hello.c"


def test_a_python2_shebang_is_a_language_grader_has_no_runtime_for(tmp_path: Path) -> None:
    make(tmp_path, {"old.py": "#!/usr/bin/env python2\nprint 1\n", "new.py": "print(1)\n"})
    reasons = {s.id: s.reason for s in discover([tmp_path], TABLE)}
    assert reasons == {"new": "", "old": "unsupported language (Python 2, by its #! line)"}


def test_inside_a_verdict_folder_each_entry_is_one_program(tmp_path: Path) -> None:
    make(tmp_path, {"accepted/multi/test-hello.c": "", "accepted/multi/zz-random.txt": ""})
    [program] = discover([tmp_path], TABLE, filed=FILED_FOLDERS)
    assert (program.id, program.entry, program.reason) == ("accepted/multi", "test-hello.c", "")


def test_a_packages_submission_metadata_is_not_a_submission(tmp_path: Path) -> None:
    make(tmp_path, {"submissions.yaml": "x: 1\n", "submissions.json": "{}", "a.py": ""})
    assert ids([tmp_path]) == ["a"]

"""Finding submissions on disk: paths -> ``Submission`` values.

Rules (documented in the README):
  * a file given on the command line is one submission (``alice.py`` -> id ``alice``);
  * a folder given on the command line is one submission if it holds an entry-point file
    (``main.py``, ``Main.java``, ...), otherwise a collection;
  * in a collection every file is a submission and every sub-folder is, by the same
    rule, one folder submission (if it holds an entry point) or a nested collection
    (ids ``accepted/alice``). Hidden files, README files and headers (``.h``, ``.hpp``)
    are ignored.

A submission that cannot be run (unknown language, no entry point, binary or oversized
source, a symlink leaving its folder) still comes back, with ``reason`` set, so it is
graded CE and the batch goes on. Reads the source files; writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from grader.errors import NoSubmissionsError, UsageError
from grader.languages import LanguageTable
from grader.model import Language, ProgramFile, Submission

__all__ = ["DEFAULT_MAX_SOURCE", "discover"]

DEFAULT_MAX_SOURCE = 100 * 1024
_MAX_FILES = 200


def discover(
    paths: Sequence[Path],
    table: LanguageTable,
    *,
    language: Language | None = None,
    max_source: int = DEFAULT_MAX_SOURCE,
) -> list[Submission]:
    """Every submission under ``paths``, in a stable order, ids unique."""
    finder = _Finder(table, language, max_source)
    found: list[Submission] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")  # a typo, as pytest sees it
        if path.is_file():
            found.append(finder.submission(path, path.stem))
        elif finder.is_single(path):
            found.append(finder.submission(path, path.resolve().name))
        else:
            found.extend(finder.collection(path, ""))
    if not found:
        raise NoSubmissionsError("no submissions found in " + ", ".join(map(str, paths)))
    _check_unique(found)
    return found


def _check_unique(found: list[Submission]) -> None:
    seen: dict[str, Path] = {}
    for sub in found:
        if sub.id in seen:
            raise NoSubmissionsError(
                f"two submissions share the id {sub.id!r}: {seen[sub.id]} and {sub.path}"
            )
        seen[sub.id] = sub.path


def _visible(path: Path) -> bool:
    return not path.name.startswith(".") and not path.name.lower().startswith("readme")


class _Finder:
    def __init__(self, table: LanguageTable, language: Language | None, max_source: int):
        self.table = table
        self.language = language
        self.max_source = max_source

    def is_single(self, folder: Path) -> bool:
        entries = self.table.entry_names()
        return any((folder / name).is_file() for name in entries)

    def collection(self, folder: Path, prefix: str) -> Iterator[Submission]:
        for child in sorted(folder.iterdir()):
            if not _visible(child) or (child.is_file() and self.table.is_header(child.name)):
                continue  # a header is compiled with a program, never one of its own
            if child.is_dir() and not self.is_single(child):
                yield from self.collection(child, f"{prefix}{child.name}/")
            else:
                yield self.submission(
                    child, prefix + (child.stem if child.is_file() else child.name)
                )

    def submission(self, path: Path, sub_id: str) -> Submission:
        try:
            files = self._read(path)
        except _Unusable as exc:
            return Submission(sub_id, path, None, (), reason=str(exc))
        entry = self._entry(path, files)
        language = self.language or self.table.for_file(entry)
        if language is None:
            suffix = Path(entry).suffix or "no extension"
            reason = f"unsupported language ({suffix}); use --language to choose one"
            return Submission(sub_id, path, None, files, entry, reason)
        return Submission(sub_id, path, language, files, entry)

    def _read(self, path: Path) -> tuple[ProgramFile, ...]:
        if path.is_file():
            return (self._file(path, path.name),)
        root = path.resolve()
        members = sorted(p for p in path.rglob("*") if p.is_file() and _visible(p))
        if not members:
            raise _Unusable("empty folder")
        if len(members) > _MAX_FILES:
            raise _Unusable(f"more than {_MAX_FILES} files")
        files = []
        for member in members:
            if not member.resolve().is_relative_to(root):
                raise _Unusable(f"{member.relative_to(path)} links outside the submission")
            files.append(self._file(member, member.relative_to(path).as_posix()))
        if sum(len(f.data) for f in files) > self.max_source:
            raise _Unusable(f"sources larger than {self.max_source} bytes (--max-source-size)")
        return tuple(files)

    def _file(self, path: Path, name: str) -> ProgramFile:
        try:
            size = path.stat().st_size
            if size > self.max_source:
                raise _Unusable(
                    f"{name} is larger than {self.max_source} bytes (--max-source-size)"
                )
            data = path.read_bytes()
        except OSError as exc:
            raise _Unusable(f"cannot read {name}: {exc.strerror}") from exc
        if b"\0" in data:
            raise _Unusable(f"{name} is a binary file, not source code")
        return ProgramFile(name, data)

    def _entry(self, path: Path, files: tuple[ProgramFile, ...]) -> str:
        if path.is_file():
            return files[0].path
        names = [f.path for f in files]
        for entry_name in self.table.entry_names():
            if entry_name in names:
                return entry_name
        known = [n for n in names if self.table.for_file(n)]
        return known[0] if len(known) == 1 else (known or names)[0]


class _Unusable(Exception):
    """Why a submission cannot be run (becomes its CE reason)."""

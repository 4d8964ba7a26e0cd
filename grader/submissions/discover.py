"""Finding submissions on disk: paths -> ``Submission`` values.

Rules (documented in the README):
  * a file given on the command line is one submission (``alice.py`` -> id ``alice``);
  * a folder given on the command line is one submission if it holds an entry-point file
    (``main.py``, ``Main.java``, ...), otherwise a collection;
  * in a collection every file is a submission and every sub-folder is, by the same
    rule, one folder submission (if it holds an entry point) or a nested collection
    (ids ``accepted/alice``). Hidden files, README files and headers (``.h``, ``.hpp``)
    are ignored;
  * inside a folder named after a verdict (``accepted/``, ``wrong_answer/``, ...; the
    caller passes ``problem.expectations.FILED_FOLDERS``), every entry is one submission,
    as in Kattis and DOMjudge packages: a sub-folder is one program whatever its file names;
  * a package's ``submissions.yaml`` / ``submissions.json`` is metadata, never a submission;
  * ids are unique without refusing: where two submissions would share an id (``hello.cc``
    and ``hello.py``), each of them is known by its file name with the extension
    (``hello.cc``), and where even that collides, by the path as given;
  * ``one_program`` reads a file or a folder as one program whatever its file names (a
    checker folder, a package's ``submissions/accepted/multi/``): the entry point is the
    conventional name if there is one, else the one source in a known language that is not
    a header (``.h``, ``.hpp``, ...), which compiles with the others.

A submission that cannot be run (unknown language, no entry point, binary or oversized
source, a symlink leaving its folder) still comes back, with ``reason`` set, so it is
graded CE and the batch goes on. Reads the source files; writes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from grader.errors import NoSubmissionsError, UsageError
from grader.model import Language, ProgramFile, Submission
from grader.submissions.languages import LanguageTable

__all__ = [
    "DEFAULT_MAX_SOURCE",
    "UNSUPPORTED",
    "discover",
    "one_program",
    "program_source",
    "programs_in",
    "unique_ids",
    "with_entry",
]

DEFAULT_MAX_SOURCE = 100 * 1024
MAX_PROGRAM_SOURCE = 1 << 20  # a checker's sources, all files together
_MAX_FILES = 200
UNSUPPORTED = "unsupported language"  # how a reason for a file of no known language begins


def discover(
    paths: Sequence[Path],
    table: LanguageTable,
    *,
    language: Language | None = None,
    max_source: int = DEFAULT_MAX_SOURCE,
    filed: frozenset[str] = frozenset(),
) -> list[Submission]:
    """Every submission under ``paths``, in a stable order, ids unique. Inside a folder
    named in ``filed`` (verdict folders: ``problem.expectations.FILED_FOLDERS``) every
    entry is one program."""
    finder = _Finder(table, language, max_source, filed)
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
    return unique_ids(found)


def one_program(
    path: Path,
    table: LanguageTable,
    sub_id: str,
    *,
    language: Language | None = None,
    max_source: int = DEFAULT_MAX_SOURCE,
) -> Submission:
    """``path`` (a file, or a folder whatever its file names) as one program ``sub_id``."""
    return _Finder(table, language, max_source).submission(path, sub_id)


def with_entry(submission: Submission, entry: str, table: LanguageTable) -> Submission:
    """``submission`` run from ``entry`` (one of its files), as a package's metadata says."""
    if entry not in {f.path for f in submission.files}:
        return replace(submission, reason=f"entry point {entry} is not among its files")
    language = table.for_file(entry)
    if language is None:
        reason = f"{UNSUPPORTED} ({Path(entry).suffix or 'no extension'})"
        return replace(submission, entry=entry, language=None, reason=reason)
    return replace(submission, entry=entry, language=language, reason="")


def program_source(root: Path, name: str, table: LanguageTable) -> Submission:
    """The program ``name`` (a file, or a folder) inside the problem folder ``root``, as a
    checker or validator is given: one program whatever its file names, sources up to
    ``MAX_PROGRAM_SOURCE``; ValueError says what is wrong."""
    try:
        path = (root / name).resolve()
        if not path.is_relative_to(root.resolve()):
            raise ValueError(f"{name} is outside the problem folder")
        if not path.exists():
            raise ValueError(f"file not found: {name}")
        source = one_program(path, table, path.name, max_source=MAX_PROGRAM_SOURCE)
    except OSError as exc:
        raise ValueError(f"cannot read it: {exc.strerror or exc}") from None
    if source.reason or source.language is None:
        raise ValueError(f"{name}: {source.reason}")
    return source


def unique_ids(found: Sequence[Submission]) -> list[Submission]:
    """``found`` with every id unique: a shared id becomes the file name with its extension
    (``hello.cc``, ``hello.py``), and one still shared the path as given."""
    renamed = _renamed(found, _with_suffix)
    return _renamed(renamed, lambda sub: str(sub.path))


def _renamed(found: Sequence[Submission], rename: Callable[[Submission], str]) -> list[Submission]:
    counts = Counter(sub.id for sub in found)
    return [replace(sub, id=rename(sub)) if counts[sub.id] > 1 else sub for sub in found]


def _with_suffix(sub: Submission) -> str:
    head, _, _ = sub.id.rpartition("/")
    return f"{head}/{sub.path.name}" if head else sub.path.name


def programs_in(folder: Path, table: LanguageTable, prefix: str) -> list[Submission]:
    """Every entry of ``folder`` as one program (ids ``prefix`` + its stem, unique), as a
    package's ``submissions/<verdict>/`` holds them."""
    return unique_ids(list(_Finder(table, None, DEFAULT_MAX_SOURCE).programs(folder, prefix)))


def _stem(path: Path) -> str:
    return path.stem if path.is_file() else path.name


# A package's metadata about its jury submissions (2025-09 submissions.yaml, DOMjudge's
# submissions.json): never a program, even when grader run is given the submissions folder.
METADATA = frozenset({"submissions.yaml", "submissions.json"})


def _visible(path: Path) -> bool:
    name = path.name
    return (
        not name.startswith(".") and not name.lower().startswith("readme") and name not in METADATA
    )


class _Finder:
    def __init__(
        self,
        table: LanguageTable,
        language: Language | None,
        max_source: int,
        filed: frozenset[str] = frozenset(),
    ):
        self.table = table
        self.language = language
        self.max_source = max_source
        self.filed = filed

    def is_single(self, folder: Path) -> bool:
        entries = self.table.entry_names()
        return any((folder / name).is_file() for name in entries)

    def collection(self, folder: Path, prefix: str) -> Iterator[Submission]:
        for child in sorted(filter(_visible, folder.iterdir())):
            if child.is_file() and self.table.is_header(child.name):
                continue  # a header is compiled with a program, never one of its own
            if child.is_dir() and child.name in self.filed:
                yield from self.programs(child, f"{prefix}{child.name}/")
            elif child.is_dir() and not self.is_single(child):
                yield from self.collection(child, f"{prefix}{child.name}/")
            else:
                yield self.submission(child, prefix + _stem(child))

    def programs(self, folder: Path, prefix: str) -> Iterator[Submission]:
        """Every entry of ``folder`` as one program (a folder whatever its file names)."""
        for child in sorted(filter(_visible, folder.iterdir())):
            yield self.submission(child, prefix + _stem(child))

    def submission(self, path: Path, sub_id: str) -> Submission:
        try:
            files = self._read(path)
        except _Unusable as exc:
            return Submission(sub_id, path, None, (), reason=str(exc))
        entry = self._entry(path, files)
        language = self.language or self.table.for_file(entry)
        if language is None:
            suffix = Path(entry).suffix or "no extension"
            reason = f"{UNSUPPORTED} ({suffix}); use --language to choose one"
            return Submission(sub_id, path, None, files, entry, reason)
        if _python2(language, files, entry):
            reason = f"{UNSUPPORTED} (Python 2, by its #! line)"
            return Submission(sub_id, path, None, files, entry, reason)
        if _runs_its_entry(language) and len(self._sources(files)) > 1 and not self._named(files):
            entries = ", ".join(language.entry_names)
            reason = f"several {language.name} files and no entry point ({entries})"
            return Submission(sub_id, path, language, files, entry, reason)
        return Submission(sub_id, path, language, files, entry)

    def _sources(self, files: tuple[ProgramFile, ...]) -> list[str]:
        """The files in a known language that are not headers: candidate entry points."""
        return [f.path for f in files if self.table.for_file(f.path)]

    def _named(self, files: tuple[ProgramFile, ...]) -> bool:
        names = {f.path for f in files}
        return any(name in names for name in self.table.entry_names())

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
        return (self._sources(files) or names)[0]


def _runs_its_entry(language: Language) -> bool:
    """Its run command names the entry file (``python3 {entry}``), so which of several
    sources is the entry decides what runs; a compiled program runs as a whole."""
    return any("{entry}" in arg for arg in language.run)


def _python2(language: Language, files: tuple[ProgramFile, ...], entry: str) -> bool:
    """A .py file whose #! line asks for Python 2: problemtools and Kattis run it so, and
    grader has no Python 2 runtime."""
    if language.key != "python":
        return False
    data = next((f.data for f in files if f.path == entry), b"")
    first = data.split(b"\n", 1)[0]
    return first.startswith(b"#!") and b"python2" in first


class _Unusable(Exception):
    """Why a submission cannot be run (becomes its CE reason)."""

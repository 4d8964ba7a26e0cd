"""Which class a JVM run starts: the one that declares ``main``, read from compiled classes.

Kattis and DOMjudge run the class that holds ``public static void main(String[])``,
whatever the source file is called, whether or not the class is public, and inside a
``package``. Reading that from the class files javac (or kotlinc) wrote, rather than from
the source, means comments, strings and odd formatting cannot fool it. Pure functions over
``ProgramFile`` values: no I/O.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from grader.model import ProgramFile

__all__ = ["ARGS_FILE", "MainClass", "choose_main", "main_classes"]

ARGS_FILE = "main.args"  # the java launcher's argument file the run command reads
_MAGIC = 0xCAFEBABE
_PUBLIC, _STATIC = 0x0001, 0x0008
_MAIN = ("main", "([Ljava/lang/String;)V")  # name and descriptor
# Constant pool tag -> size of its body in bytes (1 = Utf8, read by its own length).
_BODY = {3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4, 15: 3, 16: 2}
_BODY |= {17: 4, 18: 4, 19: 2, 20: 2}


@dataclass(frozen=True)
class MainClass:
    """A class that declares ``public static void main(String[])``."""

    name: str  # binary name, as the launcher takes it: ``foo.Main``, ``Outer$Inner``
    public: bool  # the class itself is public

    @property
    def simple(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    @property
    def nested(self) -> bool:
        return "$" in self.simple


def main_classes(files: Iterable[ProgramFile]) -> list[MainClass]:
    """Every compiled class among ``files`` that declares main, sorted by name. A file that
    is not a well-formed class file is passed over."""
    found = []
    for program_file in files:
        if program_file.path.endswith(".class"):
            found.extend(_main_class(program_file.data))
    return sorted(found, key=lambda c: c.name)


def choose_main(classes: list[MainClass], entry: str) -> MainClass | None:
    """The class to run when several declare main: the one named like the entry file
    (``Main`` for ``Main.java``), then a public one, then a top-level one, then by name."""
    stem = PurePosixPath(entry).stem
    ranked = sorted(classes, key=lambda c: (c.simple != stem, not c.public, c.nested, c.name))
    return ranked[0] if ranked else None


def _main_class(data: bytes) -> list[MainClass]:
    try:
        return _parse(data)
    except (struct.error, IndexError, KeyError, UnicodeDecodeError, ValueError):
        return []


def _parse(data: bytes) -> list[MainClass]:
    reader = _Reader(data)
    if reader.u4() != _MAGIC:
        return []
    reader.skip(4)  # minor and major version
    utf8, classes = _constant_pool(reader)
    flags, this_class = reader.u2(), reader.u2()
    reader.skip(2)  # super class
    reader.skip(2 * reader.u2())  # interfaces
    _members(reader, utf8)  # fields
    methods = _members(reader, utf8)
    if not any(m[0] & _PUBLIC and m[0] & _STATIC and m[1:] == _MAIN for m in methods):
        return []
    name = utf8[classes[this_class]].replace("/", ".")
    return [MainClass(name, bool(flags & _PUBLIC))]


def _constant_pool(reader: _Reader) -> tuple[dict[int, str], dict[int, int]]:
    """Utf8 entries by index, and Class entries' name indices by index."""
    utf8: dict[int, str] = {}
    classes: dict[int, int] = {}
    count, index = reader.u2(), 1
    while index < count:
        tag = reader.u1()
        if tag == 1:
            utf8[index] = reader.take(reader.u2()).decode("utf-8", errors="replace")
        elif tag == 7:
            classes[index] = reader.u2()
        else:
            reader.skip(_BODY[tag])
        index += 2 if tag in (5, 6) else 1  # longs and doubles take two slots
    return utf8, classes


def _members(reader: _Reader, utf8: dict[int, str]) -> list[tuple[int, str, str]]:
    """(access flags, name, descriptor) of each field or method, attributes skipped."""
    members = []
    for _ in range(reader.u2()):
        flags, name, descriptor = reader.u2(), reader.u2(), reader.u2()
        for _ in range(reader.u2()):
            reader.skip(2)
            reader.skip(reader.u4())
        members.append((flags, utf8[name], utf8[descriptor]))
    return members


class _Reader:
    """Big-endian reads over bytes; reading past the end raises ``struct.error``."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def take(self, size: int) -> bytes:
        if self._at + size > len(self._data):
            raise struct.error("truncated class file")
        chunk = self._data[self._at : self._at + size]
        self._at += size
        return chunk

    def skip(self, size: int) -> None:
        self.take(size)

    def u1(self) -> int:
        return int(self.take(1)[0])

    def u2(self) -> int:
        return int(struct.unpack(">H", self.take(2))[0])

    def u4(self) -> int:
        return int(struct.unpack(">I", self.take(4))[0])

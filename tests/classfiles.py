"""Minimal JVM class files made byte by byte: what javac would write for a class with the
given methods, enough for grader's main-class finder (no code attributes)."""

from __future__ import annotations

import struct

__all__ = ["PUBLIC", "STATIC", "class_file"]

PUBLIC, STATIC = 0x0001, 0x0008
MAIN = ("main", "([Ljava/lang/String;)V")


def class_file(
    name: str,
    methods: tuple[tuple[int, str, str], ...] = ((PUBLIC | STATIC, *MAIN),),
    flags: int = PUBLIC,
) -> bytes:
    """A class ``name`` (binary name with / for packages) declaring ``methods``, each
    (access flags, name, descriptor). By default a public class with a public static main.
    The pool starts with a long (two slots), as real pools often do."""
    pool: list[bytes] = [b"\x05" + struct.pack(">q", 42)]  # entries 1 and 2
    index = 3

    def utf8(text: str) -> int:
        nonlocal index
        data = text.encode()
        pool.append(b"\x01" + struct.pack(">H", len(data)) + data)
        index += 1
        return index - 1

    this_name = utf8(name)
    pool.append(b"\x07" + struct.pack(">H", this_name))
    this_class = index
    index += 1
    members = [struct.pack(">HHHH", f, utf8(n), utf8(d), 0) for f, n, d in methods]
    return b"".join(
        [
            struct.pack(">IHHH", 0xCAFEBABE, 0, 61, index),
            *pool,
            struct.pack(">HHHHH", flags, this_class, 0, 0, 0),
            struct.pack(">H", len(members)),
            *members,
            struct.pack(">H", 0),
        ]
    )

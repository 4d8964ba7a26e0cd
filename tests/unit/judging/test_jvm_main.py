"""Which class a JVM run starts, read from class files: the one that declares
``public static void main(String[])``, whatever its file, its visibility or its package."""

from __future__ import annotations

from classfiles import PUBLIC, STATIC, class_file

from grader.judging.jvm_main import MainClass, choose_main, main_classes
from grader.model import ProgramFile


def _classes(**files: bytes) -> list[MainClass]:
    return main_classes(
        ProgramFile(name.replace("__", "/") + ".class", data) for name, data in files.items()
    )


def test_a_class_declaring_main_is_found_by_its_binary_name() -> None:
    assert _classes(Main=class_file("Main")) == [MainClass("Main", public=True)]


def test_a_class_that_is_not_public_is_found_and_marked_so() -> None:
    assert _classes(Main=class_file("Main", flags=0)) == [MainClass("Main", public=False)]


def test_a_class_in_a_package_is_named_with_dots() -> None:
    found = _classes(foo__bar__Hello=class_file("foo/bar/Hello"))
    assert [c.name for c in found] == ["foo.bar.Hello"]


def test_a_class_without_main_is_passed_over() -> None:
    helper = class_file("Helper", methods=((PUBLIC | STATIC, "add", "(II)I"),))
    assert _classes(Helper=helper) == []


def test_main_that_is_not_static_does_not_count() -> None:
    instance = class_file("Main", methods=((PUBLIC, "main", "([Ljava/lang/String;)V"),))
    assert _classes(Main=instance) == []


def test_main_with_other_parameters_does_not_count() -> None:
    other = class_file("Main", methods=((PUBLIC | STATIC, "main", "()V"),))
    assert _classes(Main=other) == []


def test_a_file_that_is_not_a_class_file_is_passed_over() -> None:
    assert _classes(Broken=b"\xca\xfe\xba\xbe\x00", Text=b"hello") == []


def test_a_truncated_class_file_is_passed_over() -> None:
    data = class_file("Main")
    methods_end = len(data) - 2  # only the class's own attributes follow: they are not read
    assert all(_classes(Main=data[:cut]) == [] for cut in range(methods_end))


def test_files_other_than_class_files_are_ignored() -> None:
    assert main_classes([ProgramFile("main.args", class_file("Main"))]) == []


def test_among_several_the_one_named_like_the_entry_file_runs() -> None:
    found = _classes(A=class_file("A"), Solution=class_file("Solution", flags=0))
    assert choose_main(found, "Solution.java") == MainClass("Solution", public=False)


def test_among_several_a_public_class_runs_before_others() -> None:
    found = _classes(A=class_file("A", flags=0), B=class_file("B"))
    assert choose_main(found, "hello.java") == MainClass("B", public=True)


def test_among_several_a_top_level_class_runs_before_a_nested_one() -> None:
    found = _classes(A__Inner=class_file("A$Inner"), B=class_file("B"))
    assert choose_main(found, "x.java") == MainClass("B", public=True)


def test_no_class_with_main_chooses_none() -> None:
    assert choose_main([], "Main.java") is None

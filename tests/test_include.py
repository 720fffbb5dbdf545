"""Includes (compiler/include.py): what is read, from where, under which rules, and how
the spans of an included file name it. The messages are snapshotted in the error corpus
(tests/errors/include-*.ship); the engine case is tests/semantics/test_sem_include.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import shipc
from shipc.files import MAX_INPUT, FileProblem

RUNTIME = "runtime alpine 3.20 {\n    cmd app\n}\n"


def _errors(text: str, filename: str, read=None) -> list[str]:
    with pytest.raises(shipc.ShipErrors) as caught:
        shipc.compile_source(text, filename, read)
    return [d.message for d in caught.value.diagnostics if d.is_error]


def _reader(files: dict[str, str]):
    def read(path: str, shown: str) -> bytes:
        if path not in files:
            raise FileProblem(f"no such file: {shown}")
        return files[path].encode()

    return read


def test_an_include_is_its_lines_in_place():
    files = {"lib/a.ship": 'arg V=1\ninclude "b.ship"\n', "lib/b.ship": RUNTIME}
    compiled = shipc.compile_source('app app\ninclude "lib/a.ship"\n', "x.ship", _reader(files))
    inline = shipc.compile_source("app app\narg V=1\n" + RUNTIME, "x.ship")
    assert compiled.dockerfile == inline.dockerfile


def test_the_inputs_are_every_file_read_main_first():
    files = {"svc/common.ship": 'include "../base.ship"\n', "base.ship": RUNTIME}
    compiled = shipc.compile_source(
        'app a\ninclude "common.ship"\n', "svc/app.ship", _reader(files)
    )
    assert compiled.sources.inputs() == (
        ("svc/app.ship", b'app a\ninclude "common.ship"\n'),
        ("svc/common.ship", b'include "../base.ship"\n'),
        ("base.ship", RUNTIME.encode()),
    )


def test_spans_of_an_included_file_name_it_and_its_chain():
    files = {
        "a.ship": 'include "sub/b.ship"\n',
        "sub/b.ship": "runtime alpine 3.20 {\n    cmdd x\n}\n",
    }
    with pytest.raises(shipc.ShipErrors) as caught:
        shipc.compile_source('app a\ninclude "a.ship"\n', "main.ship", _reader(files))
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.span.file, diagnostic.span.line) == ("sub/b.ship", 2)
    chain = caught.value.sources.chain(diagnostic.span)
    assert [(name, at.line, at.column, at.file) for name, at in chain] == [
        ("a.ship", 1, 9, "a.ship"),
        ("main.ship", 2, 9, ""),
    ]


def test_reading_follows_the_main_files_rules(tmp_path: Path):
    """A FIFO cannot hang the compile; a folder is refused; a symlink to a file already
    included is that file again."""
    os.mkfifo(tmp_path / "fifo.ship")
    (tmp_path / "dir.ship").mkdir()
    (tmp_path / "real.ship").write_text("arg A=1\n")
    (tmp_path / "link.ship").symlink_to("real.ship")
    text = 'app a\ninclude "fifo.ship"\ninclude dir.ship\ninclude real.ship\ninclude link.ship\n'
    errors = _errors(text + RUNTIME, str(tmp_path / "main.ship"))
    assert "is a named pipe, not a regular file" in errors[0]
    assert "is a folder, not a regular file" in errors[1]
    assert "is already included (line 4): a file is included once" in errors[2]


def test_the_inputs_together_are_limited():
    big = "# " + "x" * (MAX_INPUT // 2) + "\n"
    files = {"a.ship": big, "b.ship": big, "c.ship": big}
    text = "app a\ninclude a.ship\ninclude b.ship\ninclude c.ship\n" + RUNTIME
    errors = _errors(text, "main.ship", _reader(files))
    assert errors == ["the main file and its includes are larger than 4 MiB"] * 2  # b and c


def test_standard_input_includes_from_the_working_folder(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rt.ship").write_text(RUNTIME)
    compiled = shipc.compile_source('app a\ninclude "rt.ship"\n', "<stdin>")
    assert "FROM alpine:3.20 AS runtime" in compiled.dockerfile
    assert [name for name, _ in compiled.sources.inputs()] == ["<stdin>", "rt.ship"]


def test_a_lost_include_is_the_only_error_and_on_standard_input_names_the_option(
    tmp_path: Path, monkeypatch
):
    """A stage of the file it would have read is not then reported unknown (one error), and
    read from standard input without a name, the hint says how to give its folder."""
    monkeypatch.chdir(tmp_path)
    text = 'app a\ninclude "shared/base.ship"\nruntime from base {\n    cmd a\n}\n'
    for name in ("<stdin>", "svc/app.ship"):
        with pytest.raises(shipc.ShipErrors) as caught:
            shipc.compile_source(text, name)
        (only,) = caught.value.diagnostics
        assert only.message.startswith("cannot include: no such file:")
        hint = only.hint or ""
        assert ("--stdin-filename PATH" in hint) == (name == "<stdin>")

def test_an_included_file_that_is_not_utf8():
    read = lambda path, shown: b"arg A=\xff\n"  # noqa: E731
    assert _errors('app a\ninclude "x.ship"\n' + RUNTIME, "m.ship", read) == [
        "x.ship is not UTF-8 text (.ship files are UTF-8)"
    ]

"""The line map `emit` returns and `ship compile --annotate`: every instruction of the
Dockerfile keeps the .ship spans it came from (each command of a shared RUN, each pair of
an ENV or LABEL, each port of an EXPOSE), and the annotated output is the plain one with
comments added, nothing else."""

from __future__ import annotations

import re

import dockerfile
import pytest
import shipc
from click.testing import CliRunner
from conftest import SAMPLES
from shipc.cli import main

_PLACE = re.compile(r"^# (?:\S+:\d+:\d+)(?:, \S+:\d+:\d+)*$")

SHIP = """app demo
arg V=1
build go 1.22 {
    env A=1
    env B=2 C=3
    run echo one
    run echo two
    run echo ${V}
    artifact /out/demo
}
runtime alpine 3.20 {
    expose 8080
    expose 9090/udp
    label a=b
    label c=d
    cmd demo
}
"""


def _lines(compiled, keyword: str, stage: str) -> list[int]:
    """The .ship lines of the last such instruction of the stage."""
    found = [m for m in compiled.lines if m.keyword == keyword and m.stage == stage][-1]
    return [s.line for s in found.spans]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_instruction_is_mapped_to_lines_of_its_file(sample):
    text = sample.read_text(encoding="utf-8")
    compiled = shipc.compile_source(text, sample.name)
    lines = compiled.dockerfile.split("\n")
    instructions = [m for m in dockerfile.parse_string(compiled.dockerfile)]
    assert [(m.first, m.keyword) for m in compiled.lines] == [
        (c.start_line, c.cmd.upper()) for c in instructions
    ]
    count = len(text.split("\n"))
    for mapped in compiled.lines:
        assert lines[mapped.first - 1].startswith(mapped.keyword + " ")
        assert mapped.spans, mapped
        assert all(1 <= s.line <= count and s.file == "" for s in mapped.spans), mapped


def test_values_from_several_lines_keep_each_line():
    compiled = shipc.compile_source(SHIP, "demo.ship")

    def lines(keyword, stage):
        return _lines(compiled, keyword, stage)

    assert lines("ENV", "build")[-3:] == [4, 5, 5]
    assert lines("EXPOSE", "runtime") == [12, 13]
    assert lines("LABEL", "runtime") == [1, 14, 15]  # the title label comes from 'app'
    assert lines("CMD", "runtime") == [16]
    assert lines("FROM", "build") == [3]  # and the preset's own instructions: its head
    assert lines("WORKDIR", "build") == [3]


def test_a_run_cut_for_an_arg_keeps_each_commands_line():
    """ARG scoping splits a RUN before the command that reads the arg: each part keeps
    its own lines, and the ARG comes from the line that reads it."""
    compiled = shipc.compile_source(SHIP, "demo.ship")
    runs = [m for m in compiled.lines if m.keyword == "RUN" and m.stage == "build"]
    args = [m for m in compiled.lines if m.keyword == "ARG" and m.stage == "build"]
    # the preset's install (from the head), the two run lines that share a RUN, the third
    assert [[s.line for s in m.spans] for m in runs] == [[3], [6, 7], [8]]
    assert [[s.line for s in m.spans] for m in args] == [[8]]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_annotate_adds_comments_and_nothing_else(sample):
    text = sample.read_text(encoding="utf-8")
    plain = shipc.compile_source(text, sample.name).dockerfile
    annotated = shipc.compile_source(text, sample.name, annotate=True)
    kept = [line for line in annotated.dockerfile.split("\n") if not _PLACE.match(line)]
    assert "\n".join(kept) == plain
    lines = annotated.dockerfile.split("\n")
    for mapped in annotated.lines:  # the map is the annotated file's, each comment above
        comment = lines[mapped.first - 2]
        places = [f"{sample.name}:{s.line}:{s.column}" for s in mapped.spans]
        assert comment == "# " + ", ".join(places)
    assert len(dockerfile.parse_string(annotated.dockerfile)) == len(annotated.lines)


def test_annotate_names_included_files_relative_to_the_main_file(tmp_path):
    (tmp_path / "svc").mkdir()
    (tmp_path / "shared.ship").write_text("arg V=1\nbuild go ${V} {\n    run make\n}\n")
    main_file = tmp_path / "svc" / "app.ship"
    main_file.write_text('app a\ninclude "../shared.ship"\nruntime alpine 3.20 {\n}\n')
    result = CliRunner().invoke(main, ["compile", "--annotate", str(main_file)])
    assert result.exit_code == 0, result.output
    assert "# ../shared.ship:3:5\nRUN " in result.output
    assert "# app.ship:3:1\nFROM alpine:3.20 AS runtime" in result.output

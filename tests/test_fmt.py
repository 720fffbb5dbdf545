"""`ship fmt`, tested black's way: over every sample, every docs example and every corpus
file that parses, formatting keeps every comment, is idempotent, and changes nothing the
compiler sees (the same Dockerfile, byte for byte, or the same diagnostics). Plus the
canonical layout on one messy file, and the command line."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import shipc
from click.testing import CliRunner
from conftest import ROOT, SAMPLES
from shipc.cli import main
from shipc.fmt import comments, format_source
from test_docs import ERRORS as DOC_ERRORS
from test_docs import FRAGMENTS, SHIP, _complete

CORPUS = sorted(
    [*(ROOT / "tests" / "errors").rglob("*.ship"), *(ROOT / "tests" / "warnings").glob("*.ship")]
)


# Continued shell lines, which the samples hardly have: their text must reach the
# Dockerfile unchanged whatever their indentation.
CONTINUED = """app demo
build go 1.22 {
    install go mod download \\
  && go mod verify
    run go build \\
\t\t-o /out/demo \\
            . && echo "a  \\" b" \\
       || true # the shell's comment
    artifact /out/demo
}
runtime alpine 3.20 {
    run echo one
    run echo two \\
    three
    cmd demo
}
"""


def _inputs() -> list:
    found = [pytest.param(p.read_text(encoding="utf-8"), str(p), id=p.stem) for p in SAMPLES]
    found.append(pytest.param(CONTINUED, "continued.ship", id="continued"))
    found += [pytest.param(t, "example.ship", id=f"docs-{n}") for t, _, n in SHIP + DOC_ERRORS]
    found += [pytest.param(_complete(t), "example.ship", id=f"docs-{n}") for t, _, n in FRAGMENTS]
    for path in CORPUS:
        relative = path.relative_to(ROOT).as_posix()
        found.append(pytest.param(path.read_text(encoding="utf-8"), str(path), id=relative))
    return found


def _outcome(text: str, filename: str):
    """What the compiler makes of a text: its Dockerfile and warnings, or its diagnostics
    (numbers left out: formatting may move a line another message names)."""
    try:
        compiled = shipc.compile_source(text, filename)
    except shipc.ShipErrors as exc:
        return sorted((d.severity, re.sub(r"\d+", "N", d.message)) for d in exc.diagnostics)
    return compiled.dockerfile, [re.sub(r"\d+", "N", w.message) for w in compiled.warnings]


def _parses(text: str) -> bool:
    try:
        format_source(text)
    except shipc.ShipErrors:
        return False
    return True


@pytest.mark.parametrize(("text", "filename"), _inputs())
def test_formatting_keeps_the_meaning_and_is_stable(text, filename):
    if not _parses(text):
        pytest.skip("has syntax errors: not formatted")
    formatted = format_source(text)
    assert format_source(formatted) == formatted, "not idempotent"
    assert comments(formatted) == comments(text), "a comment was lost or changed"
    assert _outcome(formatted, filename) == _outcome(text, filename)


def test_enough_inputs_are_formatted():
    """Most corpus files parse (their errors are of meaning): the check above is not vacuous."""
    parsed = [p for p in _inputs() if _parses(p.values[0])]
    assert len(parsed) >= 100


MESSY = """\ufeff# head comment\r
app   demo    # trailing
arg A=1
# about build

build go 1.22 {   # head trailing


    # inside
    run echo hi \\
   && echo there{BLANKS}
\tenv X=1   # env comment
    install go mod download
      binary   ./cmd/api    ldflags="-X a=b"   # programs

}   # after close
runtime alpine 3.20 { }  # empty
build b: go 1.22 {}
# tail


""".replace("{BLANKS}", "   ")

CANONICAL = """# head comment
app demo  # trailing
arg A=1
# about build

build go 1.22 {  # head trailing
    # inside
    run echo hi \\
        && echo there
    env X=1  # env comment
    install go mod download
    binary ./cmd/api ldflags="-X a=b"  # programs
}  # after close

runtime alpine 3.20 {}  # empty

build b: go 1.22 {}
# tail
"""


def test_the_canonical_layout():
    assert format_source(MESSY) == CANONICAL


def test_shell_text_is_kept_but_for_continuation_indents():
    text = 'app a\nbuild go 1.22 {\n    run  echo "{ # }"  \\\n\t\tx \\ \n}\n'
    assert format_source(text) == (
        'app a\n\nbuild go 1.22 {\n    run echo "{ # }"  \\\n        x \\ \n}\n'
    )


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args, input=None):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(main, ["fmt", *args], input=input, env={"NO_COLOR": "1"})


def test_fmt_rewrites_files_and_leaves_formatted_ones_alone(folder):
    Path("messy.ship").write_text(MESSY.replace("\ufeff", ""), encoding="utf-8")
    Path("clean.ship").write_text(CANONICAL, encoding="utf-8")
    os.utime("clean.ship", (1_000_000_000, 1_000_000_000))
    result = _run("messy.ship", "clean.ship")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "ship: reformatted messy.ship\n"
    assert Path("messy.ship").read_text(encoding="utf-8") == CANONICAL
    assert os.stat("clean.ship").st_mtime == 1_000_000_000  # not written at all


def test_fmt_check_says_which_files_would_change(folder):
    Path("messy.ship").write_text(MESSY, encoding="utf-8")
    Path("clean.ship").write_text(CANONICAL, encoding="utf-8")
    result = _run("--check", "messy.ship", "clean.ship")
    assert result.exit_code == 1
    assert result.stderr == "ship: messy.ship is not formatted (run 'ship fmt messy.ship')\n"
    assert Path("messy.ship").read_bytes() == MESSY.encode()
    assert _run("--check", "clean.ship").exit_code == 0


def test_fmt_diff_prints_what_would_change(folder):
    Path("a.ship").write_text("app  a\n", encoding="utf-8")
    result = _run("--diff", "a.ship")
    assert result.exit_code == 0
    assert result.stdout == "--- a.ship\n+++ a.ship (formatted)\n@@ -1 +1 @@\n-app  a\n+app a\n"
    assert Path("a.ship").read_text(encoding="utf-8") == "app  a\n"


def test_fmt_reads_standard_input(folder):
    result = _run("-", input="app   a\n")
    assert (result.exit_code, result.stdout) == (0, "app a\n")
    assert _run("--check", "-", input="app   a\n").exit_code == 1


def test_fmt_refuses_a_file_with_syntax_errors(folder):
    Path("bad.ship").write_text("app a\nbuild go {\n", encoding="utf-8")
    result = _run("bad.ship")
    assert result.exit_code == 1
    assert result.stderr.startswith("bad.ship:2:11: error: unexpected end of file")
    assert result.stderr.endswith("ship: 1 error in bad.ship\n")
    assert Path("bad.ship").read_text(encoding="utf-8") == "app a\nbuild go {\n"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_is_formatted(sample):
    """The samples show the layout `ship fmt` writes."""
    text = sample.read_text(encoding="utf-8")
    relative = sample.relative_to(ROOT).as_posix()
    assert format_source(text) == text, f"run 'ship fmt {relative}'"

"""The error corpus: every bad input in tests/errors/ fails `ship check` with positioned
diagnostics, and every input in tests/warnings/ passes with warnings printed.

Each input's standard error is snapshotted as one readable text file in
tests/__snapshots__/test_errors/, so a change to any message shows up in review.
Regenerate with `python -m pytest tests/test_errors.py --snapshot-update`, then read them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import shipc
from conftest import ROOT
from shipc.cli import main

ERRORS = sorted((ROOT / "tests" / "errors").glob("*.ship"))
WARNINGS = sorted((ROOT / "tests" / "warnings").glob("*.ship"))

_SUMMARY = re.compile(r"^ship: (\d+) errors? in (.+)$")


@pytest.fixture
def at_root(monkeypatch):
    """Run from the repository root, so paths (and snapshots) are the same on every machine."""
    monkeypatch.chdir(ROOT)


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2 mixes the streams by default
    except TypeError:
        return CliRunner()


def _check(relative: str):
    return _runner().invoke(main, ["check", relative], env={"NO_COLOR": "1"}, catch_exceptions=True)


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _diagnostic_lines(stderr: str, relative: str) -> list[tuple[str, int, int, str]]:
    """(file, line, column, severity) of every diagnostic, file "" for the main one (else an
    included file, whose diagnostics come after); asserts every unindented line is one (or
    the closing summary), and every indented line is a source, caret, hint or include line."""
    head = re.compile(
        rf"^(?:{re.escape(relative)}|(tests/errors/include/[\w./-]+\.ship)):(\d+):(\d+):"
        r" (error|warning): \S"
    )
    found = []
    lines = stderr.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("    "):
            assert found, f"source/caret line before any diagnostic: {line!r}"
            continue
        match = head.match(line)
        if match:
            file = match.group(1) or ""
            found.append((file, int(match.group(2)), int(match.group(3)), match.group(4)))
            continue
        summary = _SUMMARY.match(line)
        assert summary and number == len(lines) - 1, f"unexpected line on stderr: {line!r}"
    return found


def _assert_clean(result) -> None:
    everything = result.output + (result.stderr or "")
    assert "Traceback" not in everything
    assert "\033[" not in everything, "colour codes despite NO_COLOR"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception


def _assert_carets_in_bounds(stderr: str) -> None:
    """Each caret line points inside (or just past the end of) the source line above it."""
    lines = stderr.splitlines()
    for above, line in zip(lines, lines[1:]):
        if line.startswith("    ") and line.strip() and set(line.strip()) <= {"^", "~"}:
            assert above.startswith("    ")
            caret = line.index("^")
            assert caret <= len(above), f"caret past the source line:\n{above}\n{line}"


def test_corpus_is_big_enough():
    assert len(ERRORS) >= 30
    assert len(WARNINGS) >= 4


@pytest.mark.parametrize("path", ERRORS + WARNINGS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_corpus_file_says_what_is_wrong(path: Path):
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert re.fullmatch(r"# \S.*", first), f"{path.name} must start with a '# what is wrong' line"


@pytest.mark.parametrize("path", ERRORS, ids=lambda p: p.stem)
def test_error(path: Path, at_root, text_snapshot):
    relative = _relative(path)
    result = _check(relative)
    _assert_clean(result)
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    found = _diagnostic_lines(result.stderr, relative)
    errors = [d for d in found if d[3] == "error"]
    assert errors, "no error reported"
    assert [d[:3] for d in found] == sorted(d[:3] for d in found), "diagnostics not in source order"
    summary = _SUMMARY.match(result.stderr.splitlines()[-1])
    assert summary is not None, "no closing summary line"
    assert int(summary.group(1)) == len(errors)
    assert summary.group(2) == relative
    _assert_carets_in_bounds(result.stderr)
    assert result.stderr == text_snapshot


@pytest.mark.parametrize("path", WARNINGS, ids=lambda p: p.stem)
def test_warning(path: Path, at_root, text_snapshot):
    relative = _relative(path)
    result = _check(relative)
    _assert_clean(result)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    found = _diagnostic_lines(result.stderr, relative)
    assert found, "no warning printed"
    assert {d[3] for d in found} == {"warning"}
    assert not _SUMMARY.search(result.stderr.splitlines()[-1])
    assert [d[:3] for d in found] == sorted(d[:3] for d in found), "warnings not in source order"
    _assert_carets_in_bounds(result.stderr)
    assert result.stderr == text_snapshot


@pytest.mark.parametrize("path", WARNINGS, ids=lambda p: p.stem)
def test_warning_file_still_compiles(path: Path, at_root):
    """`compile` prints the Dockerfile on stdout and the same warnings on stderr."""
    relative = _relative(path)
    result = _runner().invoke(main, ["compile", relative], env={"NO_COLOR": "1"})
    _assert_clean(result)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Generated by ship from ")
    assert "FROM " in result.stdout
    assert result.stderr == _check(relative).stderr


@pytest.mark.parametrize("path", ERRORS, ids=lambda p: p.stem)
def test_error_spans_lie_inside_the_text(path: Path):
    """In-process: the API raises `ShipErrors`, and every span is a real place in the text."""
    text = path.read_text(encoding="utf-8")
    with pytest.raises(shipc.ShipErrors) as caught:
        shipc.compile_source(text, str(path))
    diagnostics = caught.value.diagnostics
    assert any(d.is_error for d in diagnostics)
    for d in diagnostics:
        span = d.span
        source = caught.value.sources.of(span)  # an included file's spans name it
        assert span.file in ("", source.name), d
        lines = source.text.replace("\r\n", "\n").split("\n")
        assert 1 <= span.line <= len(lines), d
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, d
        assert (span.end_line, span.end_column) >= (span.line, span.column), d
        assert d.message and d.message == d.message.strip(), d
        assert d.severity in ("error", "warning"), d
    in_order = sorted(diagnostics, key=lambda d: (d.span.file, d.span, d.severity, d.message))
    assert list(diagnostics) == in_order


def test_compile_fails_like_check(at_root):
    """`compile` and `check` report the same diagnostics, and `compile` prints no Dockerfile."""
    relative = _relative(ROOT / "tests" / "errors" / "many-errors.ship")
    compiled = _runner().invoke(main, ["compile", relative], env={"NO_COLOR": "1"})
    _assert_clean(compiled)
    assert compiled.exit_code == 1
    assert compiled.stdout == ""
    assert compiled.stderr == _check(relative).stderr

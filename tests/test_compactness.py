"""The compactness yardstick: the hand-written reference Dockerfiles are real Dockerfiles,
every pattern has its sample and reference, and docs/compactness.md shows what
scripts/compactness.py measures today."""

from __future__ import annotations

import importlib.util

import dockerfile
import pytest
from conftest import ROOT

_spec = importlib.util.spec_from_file_location("compactness", ROOT / "scripts" / "compactness.py")
compactness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compactness)

REFERENCES = sorted(compactness.HANDWRITTEN.glob("*.Dockerfile"))


def test_every_pattern_has_a_sample_and_a_reference():
    names = [name for _, name in compactness.PATTERNS]
    assert len(set(names)) == len(names)
    for name in names:
        assert (compactness.SAMPLES / f"{name}.ship").is_file(), name
        assert (compactness.HANDWRITTEN / f"{name}.Dockerfile").is_file(), name
    assert sorted(p.stem for p in REFERENCES) == sorted(names), "a reference no pattern uses"


@pytest.mark.parametrize("path", REFERENCES, ids=lambda p: p.stem)
def test_reference_parses_with_the_official_parser(path):
    commands = dockerfile.parse_file(str(path))
    assert commands[0].cmd in ("FROM", "ARG"), path.name
    assert any(c.cmd == "FROM" for c in commands)
    assert all(c.original.split()[0].isupper() for c in commands)


def test_ship_lines_count_statements_and_heads_and_lone_braces(tmp_path):
    path = tmp_path / "a.ship"
    path.write_text(
        "# a comment\napp a\n\nbuild go 1.22 {\n    run go build \\\n        -o /out/a .\n"
        "    artifact /out/a\n}\n\nruntime scratch {}\nruntime b: scratch { expose 80 }\n",
        encoding="utf-8",
    )
    # app, the build's head, run (two physical lines), artifact, its '}', the runtimes
    assert compactness.ship_lines(path) == (7, 6)


def test_dockerfile_instructions_join_continuations_and_skip_comments(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text(
        "# syntax=docker/dockerfile:1\n# a comment\nFROM alpine:3.20\n"
        'RUN a \\\n    && b\n\nCMD ["a"]\n',
        encoding="utf-8",
    )
    assert compactness.dockerfile_instructions(path) == 3


def test_characters_leave_out_blanks_and_comment_lines(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text("# a comment\nFROM  a\n\n  # another\nRUN x \\\n    && y\n", encoding="utf-8")
    assert compactness.characters(path) == len("FROMa") + len("RUNx\\&&y")


def test_the_script_prints_every_sample_and_the_median(capsys):
    assert compactness.main([]) == 0
    out = capsys.readouterr().out
    for _, name in compactness.PATTERNS:
        assert f"[{name}]" in out
    assert "**median**" in out


def test_docs_compactness_md_is_current():
    assert compactness.main(["--check"]) == 0, "run: python scripts/compactness.py --write"


def test_the_check_fails_on_a_stale_doc(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "compactness.md"
    text = compactness.DOC.read_text(encoding="utf-8")
    stale.write_text(text.replace("**median**", "median"), encoding="utf-8")
    monkeypatch.setattr(compactness, "DOC", stale)
    monkeypatch.setattr(compactness, "ROOT", tmp_path)
    assert compactness.main(["--check"]) == 1
    assert "--write" in capsys.readouterr().err

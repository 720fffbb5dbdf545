"""Every sample compiles, matches its reviewed Dockerfile, and parses with Docker's parser."""

from __future__ import annotations

import dockerfile
import pytest
import shipc
from conftest import SAMPLES


@pytest.fixture(params=SAMPLES, ids=lambda p: p.stem)
def sample(request):
    return request.param


def compile_sample(path) -> shipc.Compiled:
    return shipc.compile_source(path.read_text(encoding="utf-8"), path.name)


def test_there_are_enough_samples():
    assert len(SAMPLES) >= 10


def test_sample_opens_with_a_one_line_comment(sample):
    first, second = sample.read_text(encoding="utf-8").split("\n")[:2]
    assert first.startswith("# ") and len(first) > 10
    assert not second.startswith("#")


def test_sample_dockerfile(sample, dockerfile_snapshot):
    assert compile_sample(sample).dockerfile == dockerfile_snapshot


def test_sample_compiles_without_warnings(sample):
    assert compile_sample(sample).warnings == ()


def test_sample_output_parses_with_the_official_parser(sample):
    text = compile_sample(sample).dockerfile
    commands = dockerfile.parse_string(text)
    froms = [c for c in commands if c.cmd == "FROM"]
    assert froms, "no FROM"
    for command in froms:
        assert len(command.value) == 3 and command.value[1] == "AS", command.original
    assert all(c.original.split()[0].isupper() for c in commands)


def test_sample_output_is_stable(sample):
    """Compiling twice gives the same bytes (black's assert_stable)."""
    assert compile_sample(sample).dockerfile == compile_sample(sample).dockerfile


def test_no_syntax_line_unless_asked(sample):
    assert "# syntax=" not in compile_sample(sample).dockerfile

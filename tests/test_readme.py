"""The README tells the truth: its example output is what the compiler prints today, and
CI runs exactly the test command it shows."""

from __future__ import annotations

import shipc
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    """The fenced code blocks opened with ```language, in order."""
    blocks, current, opened_as = [], None, None
    for line in README.splitlines(keepends=True):
        if line.startswith("```") and current is None:
            current, opened_as = [], line[3:].strip()
        elif line.startswith("```"):
            if opened_as == language:
                blocks.append("".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def test_example_output_is_current():
    sample = ROOT / "samples" / "href-counter.ship"
    (shown,) = _blocks("dockerfile")
    assert shown == shipc.compile_source(sample.read_text(encoding="utf-8"), sample.name).dockerfile


def test_example_source_is_the_sample():
    sample = (ROOT / "samples" / "href-counter.ship").read_text(encoding="utf-8")
    assert sample in _blocks("")


def test_ci_runs_the_readme_test_command():
    compile_command, test_command = _blocks("sh")[:2]
    assert "ship compile samples/" in compile_command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command.strip() in ci.splitlines()

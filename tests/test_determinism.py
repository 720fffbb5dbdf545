"""The same input gives byte-identical output whatever the hash seed of the process, and
whatever the process compiled before (no pass keeps state between compiles)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import shipc
from conftest import ROOT, SAMPLES

_PROGRAM = """
import sys, pathlib, shipc
for path in sys.argv[1:]:
    p = pathlib.Path(path)
    sys.stdout.write(shipc.compile_source(p.read_text(encoding="utf-8"), p.name).dockerfile)
"""


def _compile_all(seed: str) -> str:
    env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", _PROGRAM, *map(str, SAMPLES)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return result.stdout


def test_output_does_not_depend_on_the_hash_seed():
    outputs = {_compile_all(seed) for seed in ("0", "1", "12345", "4294967295")}
    assert len(outputs) == 1
    assert "FROM " in outputs.pop()


def _outcome(path) -> tuple:
    try:
        compiled = shipc.compile_source(path.read_text(encoding="utf-8"), str(path))
    except shipc.ShipErrors as exc:
        return exc.diagnostics
    return compiled.dockerfile, compiled.warnings


CORPUS = sorted(
    [*(ROOT / "tests" / "errors").glob("*.ship"), *(ROOT / "tests" / "warnings").glob("*.ship")]
)


@pytest.mark.parametrize("path", CORPUS + SAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_second_compile_gives_what_the_first_gave(path):
    """A pass that changed a shared table (the shells a base has, once a block's
    `packages` added bash to Alpine's) made the next compile in the process differ."""
    assert _outcome(path) == _outcome(path)

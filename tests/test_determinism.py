"""The same input gives byte-identical output whatever the hash seed of the process."""

from __future__ import annotations

import subprocess
import sys

from conftest import SAMPLES

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

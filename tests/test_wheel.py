"""The wheel carries everything ship needs: build it, install it in a fresh virtual
environment, and compile a sample with the installed `ship` (a grammar left out of the
wheel fails here)."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile

from pathlib import Path

import click
import lark
import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


def _borrow_runtime_dependencies(python) -> None:
    """Make lark and click, as installed for this test run, importable in the new virtual
    environment (offline, and without making this checkout importable there)."""
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    folders = {str(Path(module.__file__).resolve().parent.parent) for module in (lark, click)}
    (Path(site) / "runtime-deps.pth").write_text("\n".join(sorted(folders)) + "\n")


def test_installed_wheel_compiles_a_sample(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = dist.glob("shipc-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "shipc/grammar/ship.lark" in names
    assert "shipc/generated_parser.py" in names  # the parser, generated from the grammar

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    _borrow_runtime_dependencies(python)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    sample = ROOT / "samples" / "href-counter.ship"
    # Run from an empty folder so the checkout cannot be imported by accident.
    result = subprocess.run(
        [str(env_dir / "bin" / "ship"), "compile", str(sample)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert "FROM golang:1.22 AS build" in result.stdout
    assert "COPY --from=build" in result.stdout
    location = subprocess.run(
        [str(python), "-c", "import shipc; print(shipc.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert str(env_dir) in location
    # The installed ship parses with the generated parser: lark is never imported.
    imported = subprocess.run(
        [
            str(python),
            "-c",
            "import sys, shipc; shipc.compile_source(open(sys.argv[1]).read());"
            " print(sorted(m for m in sys.modules if m.partition('.')[0] == 'lark'))",
            str(sample),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert imported.strip() == "[]"

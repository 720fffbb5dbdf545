"""examples/Makefile works as docs/workflow.md says: run with the real `make` in a fresh
folder, with an application that includes a shared fragment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

MAKEFILE = ROOT / "examples" / "Makefile"
SAMPLE = (ROOT / "samples" / "href-counter.ship").read_text(encoding="utf-8")
BUILD = SAMPLE[SAMPLE.index("build go") : SAMPLE.index("runtime")]
_OLD = 1_000_000_000_000_000_000  # a modification time no step of the test can give


def _ship() -> str:
    script = Path(sys.executable).parent / "ship"
    if not script.exists():
        pytest.skip("the 'ship' console script is not installed")
    return str(script)


@pytest.fixture
def project(tmp_path) -> Path:
    if shutil.which("make") is None:
        pytest.skip("no 'make' on PATH (scripts/engine.sh installs it)")
    shutil.copy(MAKEFILE, tmp_path / "Makefile")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "go.ship").write_text(BUILD, encoding="utf-8")
    app = SAMPLE.replace(BUILD, 'include "shared/go.ship"\n\n')
    (tmp_path / "app.ship").write_text(app, encoding="utf-8")
    return tmp_path


def make(folder: Path, *targets: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", f"SHIP={_ship()}", *targets],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )


def _ages(folder: Path) -> dict[str, int]:
    """Age every file, so a rewrite shows as a new modification time."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(_OLD, _OLD))
    return {p.name: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_make_compiles_then_does_nothing_then_follows_the_include(project):
    first = make(project)
    assert first.returncode == 0, first.stderr
    dockerfile = project / "app.Dockerfile"
    assert "FROM golang:1.22 AS build" in dockerfile.read_text(encoding="utf-8")
    assert (project / "app.Dockerfile.d").read_text(encoding="utf-8").splitlines()[1:] == [
        "app.Dockerfile: app.ship shared/go.ship",
        "shared/go.ship:",
    ]

    second = make(project)
    assert second.returncode == 0
    assert "ship" not in second.stdout and "Nothing to be done" in second.stdout

    before = _ages(project)
    os.utime(project / "shared" / "go.ship")  # touched, not changed: now newer
    touched = make(project)
    assert touched.returncode == 0 and "compile app.ship" in touched.stdout  # make asked
    assert dockerfile.stat().st_mtime_ns == before["app.Dockerfile"]  # ship left it

    go = project / "shared" / "go.ship"
    go.write_text(BUILD.replace("1.22", "1.23"), encoding="utf-8")
    changed = make(project)
    assert changed.returncode == 0 and "compile app.ship" in changed.stdout
    assert "FROM golang:1.23 AS build" in dockerfile.read_text(encoding="utf-8")
    assert make(project).stdout.count("compile") == 0


def test_make_check_passes_then_fails_on_a_hand_edit(project):
    assert make(project).returncode == 0
    assert make(project, "check").returncode == 0
    dockerfile = project / "app.Dockerfile"
    text = dockerfile.read_text(encoding="utf-8")
    dockerfile.write_text(text.replace("USER 65532:65532", "USER 0:0"), encoding="utf-8")
    check = make(project, "check")
    assert check.returncode != 0
    assert "ship: app.Dockerfile was edited by hand since ship wrote it" in check.stderr
    assert "-USER 0:0\n+USER 65532:65532\n" in check.stderr
    assert make(project).returncode == 0  # nothing to do: make sees a newer file
    assert dockerfile.read_text(encoding="utf-8") != text  # and ship did not overwrite it


def _hooks() -> dict[str, dict[str, str]]:
    """The hooks of .pre-commit-hooks.yaml: a flat YAML list of `key: value` maps."""
    hooks: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("- "):
            current = {}
            line = line[2:]
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.strip().partition(": ")
            current[key] = value
            if key == "id":
                hooks[value] = current
    return hooks


def _hook(folder: Path, hook: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run a hook's entry as pre-commit would, with the ship under test."""
    program, *words = hook["entry"].split()
    assert program == "ship"
    return subprocess.run(
        [_ship(), *words, *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_pre_commit_hooks(project):
    hooks = _hooks()
    assert set(hooks) == {"ship-check", "ship-drift"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["files"] == r"\.ship$"
    assert _hook(project, hooks["ship-check"], "app.ship").returncode == 0
    (project / "bad.ship").write_text("app x\nruntime alpine 3.20 {\n    expose 0\n}\n")
    assert _hook(project, hooks["ship-check"], "app.ship", "bad.ship").returncode == 1

    drift = hooks["ship-drift"]
    assert drift["pass_filenames"] == "false"
    args = ("app.ship", "-o", "Dockerfile")  # as the comment in the file shows
    assert _hook(project, drift, *args).returncode == 1  # no Dockerfile yet
    assert subprocess.run([_ship(), "compile", *args], cwd=project).returncode == 0
    assert _hook(project, drift, *args).returncode == 0
    (project / "shared" / "go.ship").write_text(BUILD.replace("1.22", "1.23"))
    stale = _hook(project, drift, *args)
    assert stale.returncode == 1 and "is out of date with app.ship" in stale.stderr

"""The command line in builds, CI and editors: up-to-date outputs left alone, the drift check
(`--check`), many files at once, machine-readable diagnostics, depfiles. Each runs in-process
and as the installed script (the `ship` fixture of test_cli.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import shipc
from shipc import stamp
from test_cli import BAD, GOOD, WARNS, Ship, unstamped

_OLD = 1_000_000_000_000_000_000  # a modification time no run of the test can give


@pytest.fixture(params=["runner", "script"])
def ship(request, tmp_path, monkeypatch) -> Ship:
    return Ship(request.param, tmp_path, monkeypatch)


@pytest.fixture
def folder(tmp_path) -> Path:
    for name, text in (("good.ship", GOOD), ("bad.ship", BAD), ("warns.ship", WARNS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _age(path: Path) -> os.stat_result:
    os.utime(path, ns=(_OLD, _OLD))
    return path.stat()


# --- safe writes -------------------------------------------------------------------------


def test_an_unchanged_output_keeps_its_file_and_time(ship, folder):
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0
    before = _age(folder / "Dockerfile")
    result = ship("compile", "good.ship", "-o", "Dockerfile")
    assert result.exit_code == 0 and result.stdout == result.stderr == ""
    after = (folder / "Dockerfile").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_changed_output_is_replaced(ship, folder):
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0
    before = _age(folder / "Dockerfile")
    (folder / "good.ship").write_text(GOOD.replace("8080", "8081"), encoding="utf-8")
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0
    assert (folder / "Dockerfile").stat().st_mtime_ns != before.st_mtime_ns
    assert "EXPOSE 8081/tcp" in unstamped(folder / "Dockerfile")


def test_an_output_edited_by_hand_is_refused_without_force(ship, folder):
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0
    edited = (folder / "Dockerfile").read_text(encoding="utf-8") + "RUN echo mine\n"
    (folder / "Dockerfile").write_text(edited, encoding="utf-8")
    result = ship("compile", "good.ship", "-o", "Dockerfile")
    assert result.exit_code == 2
    assert result.stderr == (
        "ship: Dockerfile was edited by hand since ship wrote it (it no longer matches its "
        "stamp); not overwriting it (use --force, or see the edit with --check)\n"
    )
    assert (folder / "Dockerfile").read_text(encoding="utf-8") == edited
    assert ship("compile", "good.ship", "-o", "Dockerfile", "--force").exit_code == 0
    assert unstamped(folder / "Dockerfile") == shipc.compile_source(GOOD, "good.ship").dockerfile


def test_an_unstamped_output_of_ship_is_replaced(ship, folder):
    """A Dockerfile from `ship compile app.ship > Dockerfile` (no stamp) is ship's."""
    plain = shipc.compile_source(GOOD, "good.ship").dockerfile
    (folder / "Dockerfile").write_text(plain, encoding="utf-8")
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0
    assert unstamped(folder / "Dockerfile") == plain


# --- --check -----------------------------------------------------------------------------


def test_check_passes_on_a_current_output_and_writes_nothing(ship, folder):
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0
    before = _age(folder / "Dockerfile")
    result = ship("compile", "--check", "good.ship", "-o", "Dockerfile")
    assert result.exit_code == 0 and result.stdout == result.stderr == ""
    assert (folder / "Dockerfile").stat().st_mtime_ns == before.st_mtime_ns


def test_check_of_a_stale_output_shows_the_diff(ship, folder):
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0
    before = (folder / "Dockerfile").read_bytes()
    (folder / "good.ship").write_text(GOOD.replace("8080", "8081"), encoding="utf-8")
    result = ship("compile", "--check", "good.ship", "-o", "Dockerfile")
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "ship: Dockerfile is out of date with good.ship"
    assert lines[1:3] == ["--- Dockerfile", "+++ Dockerfile (compiled from good.ship)"]
    assert "-EXPOSE 8080/tcp" in lines and "+EXPOSE 8081/tcp" in lines
    assert (folder / "Dockerfile").read_bytes() == before


def test_check_of_a_missing_output(ship, folder):
    result = ship("compile", "--check", "good.ship", "-o", "Dockerfile")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "ship: Dockerfile is missing; `ship compile good.ship -o Dockerfile` writes it"
    )
    assert lines[1:3] == ["--- /dev/null", "+++ Dockerfile"]
    assert not (folder / "Dockerfile").exists()


def test_check_names_a_hand_edit(ship, folder):
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0
    text = (folder / "Dockerfile").read_text(encoding="utf-8")
    (folder / "Dockerfile").write_text(text.replace("USER 65532", "USER 0"), encoding="utf-8")
    result = ship("compile", "--check", "good.ship", "-o", "Dockerfile")
    assert result.exit_code == 1
    assert result.stderr.startswith("ship: Dockerfile was edited by hand since ship wrote it\n")
    assert "-USER 0:65532\n+USER 65532:65532\n" in result.stderr


def test_check_of_a_file_ship_did_not_write(ship, folder):
    (folder / "Dockerfile").write_text("FROM alpine\n", encoding="utf-8")
    result = ship("compile", "--check", "good.ship", "-o", "Dockerfile")
    assert result.exit_code == 1
    assert result.stderr.startswith("ship: Dockerfile was not generated by ship\n")


def test_check_accepts_the_same_text_without_a_stamp(ship, folder):
    """Only the text counts: redirected output, or a stamp from another ship version."""
    plain = shipc.compile_source(GOOD, "good.ship").dockerfile
    (folder / "Dockerfile").write_text(plain, encoding="utf-8")
    assert ship("compile", "--check", "good.ship", "-o", "Dockerfile").exit_code == 0
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0
    other = (folder / "Dockerfile").read_bytes().replace(
        f"ship={shipc.__version__} ".encode(), b"ship=0.0.1 "
    )
    (folder / "Dockerfile").write_bytes(other)
    assert not stamp.edited(other)
    assert ship("compile", "--check", "good.ship", "-o", "Dockerfile").exit_code == 0
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0  # a new stamp
    assert (folder / "Dockerfile").read_bytes() != other


def test_check_of_a_file_with_errors_exits_1_with_the_errors(ship, folder):
    result = ship("compile", "--check", "bad.ship", "-o", "Dockerfile")
    assert result.exit_code == 1
    assert result.stderr.startswith("bad.ship:4:12: error: port 99999 is out of range")


def test_check_needs_an_output_file(ship, folder):
    result = ship("compile", "--check", "good.ship")
    assert result.exit_code == 2
    assert "--check compares with a file" in result.stderr


def test_an_annotated_output_is_checked_as_annotated(ship, folder):
    assert ship("compile", "--annotate", "good.ship", "-o", "Dockerfile").exit_code == 0
    assert "# good.ship:4:1\n" in unstamped(folder / "Dockerfile")
    before = _age(folder / "Dockerfile")
    assert ship("compile", "--annotate", "good.ship", "-o", "Dockerfile").exit_code == 0
    assert (folder / "Dockerfile").stat().st_mtime_ns == before.st_mtime_ns
    assert ship("compile", "--check", "--annotate", "good.ship", "-o", "Dockerfile").exit_code == 0
    assert ship("compile", "--check", "good.ship", "-o", "Dockerfile").exit_code == 1

"""The `ship` command line, run two ways: in-process with click's CliRunner, and as the
installed `ship` console script in a subprocess (skipped, with the reason, if not installed).

Exit codes: 0 success, 1 the .ship file has errors, 2 usage and file errors, 3 internal errors
(those are in test_limits.py, with the other hostile inputs).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import read_terminal
from click.testing import CliRunner

import shipc
from shipc import stamp
from shipc.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "href-counter.ship"
GOOD = SAMPLE.read_text(encoding="utf-8")
BAD = "app demo\n\nruntime alpine 3.20 {\n    expose 99999\n    cmd demo\n}\n"
WARNS = "app demo\narg UNUSED=1\n\nruntime alpine 3.20 {\n    cmd demo\n}\n"
HAND_WRITTEN = "# my own Dockerfile\nFROM alpine:3.20\n"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def _script() -> str | None:
    """The console script of the environment running the tests, else one on PATH."""
    beside = Path(sys.executable).parent / ("ship.exe" if os.name == "nt" else "ship")
    if beside.exists():
        return str(beside)
    return shutil.which("ship")


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        return CliRunner()


class Ship:
    """Runs `ship ARGS…` in a folder, in-process or as a subprocess, with NO_COLOR set."""

    def __init__(self, how: str, cwd: Path, monkeypatch):
        self.how = how
        self.cwd = cwd
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, input: bytes | str | None = None, env: dict | None = None) -> Result:
        env = {"NO_COLOR": "1", **(env or {})}
        if self.how == "runner":
            self.monkeypatch.chdir(self.cwd)
            result = _runner().invoke(main, list(args), input=input, env=env)
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise result.exception
            return Result(result.exit_code, result.stdout, result.stderr)
        script = _script()
        if script is None:
            pytest.skip("the 'ship' console script is not installed")
        data = input.encode("utf-8") if isinstance(input, str) else input
        completed = subprocess.run(
            [script, *args], input=data if data is not None else b"", capture_output=True,
            cwd=self.cwd, env={**os.environ, **env}, timeout=60,
        )
        return Result(
            completed.returncode,
            completed.stdout.decode("utf-8", "replace"),
            completed.stderr.decode("utf-8", "replace"),
        )


@pytest.fixture(params=["runner", "script"])
def ship(request, tmp_path, monkeypatch) -> Ship:
    return Ship(request.param, tmp_path, monkeypatch)


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "good.ship").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.ship").write_text(BAD, encoding="utf-8")
    (tmp_path / "warns.ship").write_text(WARNS, encoding="utf-8")
    return tmp_path


def unstamped(path: Path) -> str:
    """A file `-o` wrote, without its stamp line (which it must have)."""
    body, line = stamp.split(path.read_bytes())
    assert line is not None, "no stamp below the header"
    return body.decode("utf-8")


def _no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stdout + result.stderr


# --- version and help ------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(ship, flag):
    result = ship(flag)
    assert result.exit_code == 0
    assert result.stdout == f"ship {shipc.__version__}\n"


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_commands_and_examples(ship, flag):
    result = ship(flag)
    assert result.exit_code == 0
    assert "compile" in result.stdout and "check" in result.stdout
    assert "Examples:" in result.stdout
    assert "ship compile app.ship -o Dockerfile" in result.stdout
    assert "cat app.ship | ship compile -" in result.stdout


def test_compile_help_mentions_examples_and_options(ship):
    result = ship("compile", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "--output" in result.stdout and "--force" in result.stdout


def test_no_command_is_a_usage_error(ship):
    result = ship()
    assert result.exit_code in (0, 2)  # click prints the help; 2 since click 8.2
    assert "Usage:" in result.stdout + result.stderr


def test_unknown_option_is_a_usage_error(ship, folder):
    result = ship("compile", "good.ship", "--frobnicate")
    assert result.exit_code == 2
    assert "--frobnicate" in result.stderr


# --- compile to standard output --------------------------------------------------------


def test_compile_file_to_stdout(ship, folder):
    result = ship("compile", "good.ship")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == shipc.compile_source(GOOD, "good.ship").dockerfile
    assert result.stdout.startswith("# Generated by ship from good.ship: edit that file")
    assert result.stderr == ""
    assert sorted(p.name for p in folder.iterdir()) == ["bad.ship", "good.ship", "warns.ship"]


def test_compile_dash_o_dash_is_stdout(ship, folder):
    result = ship("compile", "good.ship", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout == shipc.compile_source(GOOD, "good.ship").dockerfile


def test_compile_stdin_to_stdout(ship, folder):
    result = ship("compile", "-", input=GOOD)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == shipc.compile_source(GOOD, "<stdin>").dockerfile
    assert "from <stdin>" in result.stdout.splitlines()[0]


def test_compile_stdin_errors_name_stdin(ship, folder):
    result = ship("compile", "-", input=BAD)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("<stdin>:4:12: error: port 99999 is out of range")
    assert result.stderr.endswith("ship: 1 error in <stdin>\n")


def test_compile_file_in_another_folder_names_it_as_given(ship, folder):
    (folder / "sub").mkdir()
    (folder / "sub" / "app.ship").write_text(BAD, encoding="utf-8")
    result = ship("compile", "sub/app.ship")
    assert result.exit_code == 1
    assert result.stderr.startswith("sub/app.ship:4:12: error: ")


def test_warnings_go_to_stderr_and_compile_succeeds(ship, folder):
    result = ship("compile", "warns.ship")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Generated by ship from warns.ship")
    assert result.stderr.startswith(
        "warns.ship:2:5: warning: arg 'UNUSED' is never used, so the Dockerfile leaves it out\n"
    )
    assert "error" not in result.stderr


def test_errors_exit_1_with_positioned_messages(ship, folder):
    result = ship("compile", "bad.ship")
    _no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "bad.ship:4:12: error: port 99999 is out of range (1-65535)\n"
        "        expose 99999\n"
        "               ^~~~~\n"
        "ship: 1 error in bad.ship\n"
    )


def test_check_succeeds_silently(ship, folder):
    result = ship("check", "good.ship")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_check_reports_errors(ship, folder):
    result = ship("check", "bad.ship")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("bad.ship:4:12: error: ")


def test_check_never_writes(ship, folder):
    before = sorted(p.name for p in folder.iterdir())
    ship("check", "good.ship")
    assert sorted(p.name for p in folder.iterdir()) == before


# --- -o OUT ----------------------------------------------------------------------------


def test_output_file_is_written(ship, folder):
    result = ship("compile", "good.ship", "-o", "Dockerfile")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    written = unstamped(folder / "Dockerfile")
    assert written == shipc.compile_source(GOOD, "good.ship").dockerfile
    assert "\r" not in written
    if os.name == "posix":
        assert (folder / "Dockerfile").stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in folder.iterdir()) == ["Dockerfile", "bad.ship", "good.ship", "warns.ship"]


def test_long_output_option(ship, folder):
    result = ship("compile", "good.ship", "--output", "Dockerfile.gen")
    assert result.exit_code == 0
    assert (folder / "Dockerfile.gen").exists()


def test_output_file_in_a_subfolder(ship, folder):
    (folder / "docker").mkdir()
    result = ship("compile", "good.ship", "-o", "docker/Dockerfile")
    assert result.exit_code == 0
    assert (folder / "docker" / "Dockerfile").read_text(encoding="utf-8").startswith("# Generated by ship")
    assert [p.name for p in (folder / "docker").iterdir()] == ["Dockerfile"]


def test_output_over_a_generated_file_is_replaced(ship, folder):
    (folder / "Dockerfile").write_text("# Generated by ship from old.ship: edit that file, not this one.\nFROM x\n")
    result = ship("compile", "good.ship", "-o", "Dockerfile")
    assert result.exit_code == 0, result.stderr
    assert unstamped(folder / "Dockerfile") == shipc.compile_source(GOOD, "good.ship").dockerfile


def test_output_twice_is_stable(ship, folder):
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0
    first = (folder / "Dockerfile").read_bytes()
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0
    assert (folder / "Dockerfile").read_bytes() == first


def test_output_refuses_to_replace_a_hand_written_file(ship, folder):
    target = folder / "Dockerfile"
    target.write_text(HAND_WRITTEN, encoding="utf-8")
    result = ship("compile", "good.ship", "-o", "Dockerfile")
    _no_traceback(result)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Dockerfile was not generated by ship" in result.stderr
    assert "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == HAND_WRITTEN
    assert sorted(p.name for p in folder.iterdir()) == ["Dockerfile", "bad.ship", "good.ship", "warns.ship"]


def test_output_refuses_an_empty_or_binary_file_too(ship, folder):
    for content in (b"", b"\xff\xfe\x00binary"):
        (folder / "Dockerfile").write_bytes(content)
        result = ship("compile", "good.ship", "-o", "Dockerfile")
        assert result.exit_code == 2
        assert (folder / "Dockerfile").read_bytes() == content


def test_force_overwrites_a_hand_written_file(ship, folder):
    target = folder / "Dockerfile"
    target.write_text(HAND_WRITTEN, encoding="utf-8")
    result = ship("compile", "good.ship", "-o", "Dockerfile", "--force")
    assert result.exit_code == 0, result.stderr
    assert unstamped(target) == shipc.compile_source(GOOD, "good.ship").dockerfile
    assert sorted(p.name for p in folder.iterdir()) == ["Dockerfile", "bad.ship", "good.ship", "warns.ship"]


def test_failing_compile_writes_nothing(ship, folder):
    before = sorted(p.name for p in folder.iterdir())
    result = ship("compile", "bad.ship", "-o", "Dockerfile")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "error" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == before  # no output, no temporary file


def test_failing_compile_keeps_the_previous_output(ship, folder):
    assert ship("compile", "good.ship", "-o", "Dockerfile").exit_code == 0
    previous = (folder / "Dockerfile").read_bytes()
    result = ship("compile", "bad.ship", "-o", "Dockerfile", "--force")
    assert result.exit_code == 1
    assert (folder / "Dockerfile").read_bytes() == previous
    assert sorted(p.name for p in folder.iterdir()) == ["Dockerfile", "bad.ship", "good.ship", "warns.ship"]


def test_output_into_a_missing_folder_is_a_usage_error(ship, folder):
    result = ship("compile", "good.ship", "-o", "nowhere/Dockerfile")
    _no_traceback(result)
    assert result.exit_code == 2
    assert "cannot write nowhere/Dockerfile" in result.stderr
    assert not (folder / "nowhere").exists()


def test_output_onto_a_folder_is_a_usage_error(ship, folder):
    (folder / "out").mkdir()
    result = ship("compile", "good.ship", "-o", "out")
    _no_traceback(result)
    assert result.exit_code == 2
    assert list((folder / "out").iterdir()) == []


# --- bad sources -----------------------------------------------------------------------


def test_missing_file_is_a_usage_error(ship, folder):
    result = ship("compile", "nope.ship")
    _no_traceback(result)
    assert result.exit_code == 2
    assert "no such file: nope.ship" in result.stderr
    assert result.stdout == ""


def test_missing_file_for_check_is_a_usage_error(ship, folder):
    result = ship("check", "nope.ship")
    assert result.exit_code == 2
    assert "no such file: nope.ship" in result.stderr


def test_folder_as_source_is_a_usage_error(ship, folder):
    (folder / "dir.ship").mkdir()
    result = ship("compile", "dir.ship")
    _no_traceback(result)
    assert result.exit_code == 2


def test_missing_source_argument_is_a_usage_error(ship, folder):
    result = ship("compile")
    assert result.exit_code == 2
    assert "SOURCE" in result.stderr


def test_non_utf8_file_is_a_clean_error(ship, folder):
    (folder / "latin1.ship").write_bytes("app café\n".encode("latin-1"))
    result = ship("compile", "latin1.ship", "-o", "Dockerfile")
    _no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "latin1.ship:1:8: error: not UTF-8 text (.ship files are UTF-8)\n"
    assert not (folder / "Dockerfile").exists()


def test_non_utf8_file_for_check(ship, folder):
    (folder / "bin.ship").write_bytes(b"\xff\xfe\x00\x00")
    result = ship("check", "bin.ship")
    _no_traceback(result)
    assert result.exit_code == 1
    assert "not UTF-8" in result.stderr


def test_crlf_file_compiles_like_lf(ship, folder):
    (folder / "crlf.ship").write_bytes(GOOD.replace("\n", "\r\n").encode("utf-8"))
    (folder / "lf.ship").write_bytes(GOOD.encode("utf-8"))
    crlf, lf = ship("compile", "crlf.ship"), ship("compile", "lf.ship")
    assert crlf.exit_code == lf.exit_code == 0
    assert crlf.stdout.replace("crlf.ship", "lf.ship") == lf.stdout


def test_crlf_file_errors_show_clean_source_lines(ship, folder):
    (folder / "crlf.ship").write_bytes(BAD.replace("\n", "\r\n").encode("utf-8"))
    result = ship("check", "crlf.ship")
    assert result.exit_code == 1
    assert "\r" not in result.stderr
    assert result.stderr.startswith("crlf.ship:4:12: error: port 99999")


def test_non_utf8_stdin_is_a_clean_error(ship, folder):
    result = ship("compile", "-", input=b"app caf\xe9\n\nruntime alpine 3.20 {\n    cmd demo\n}\n")
    _no_traceback(result)
    assert result.exit_code == 1
    assert "UTF-8" in result.stderr


def test_byte_order_mark_is_accepted(ship, folder):
    (folder / "bom.ship").write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    result = ship("compile", "bom.ship")
    assert result.exit_code == 0, result.stderr


# --- colour ----------------------------------------------------------------------------


def test_no_color_means_no_escape_codes(ship, folder):
    result = ship("compile", "bad.ship", env={"NO_COLOR": "1"})
    assert result.exit_code == 1
    assert "\033" not in result.stderr + result.stdout


def _run_on_a_terminal(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """Run the script with standard error on a pseudo-terminal; what it wrote there."""
    pty = pytest.importorskip("pty")
    script = _script()
    if script is None:
        pytest.skip("the 'ship' console script is not installed")
    controller, terminal = pty.openpty()
    try:
        completed = subprocess.run(
            [script, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=terminal,
            cwd=cwd, env=env, timeout=60,
        )
        os.close(terminal)
        terminal = -1
        written = read_terminal(controller)
        assert completed.returncode == 1
        return written.decode("utf-8", "replace")
    finally:
        os.close(controller)
        if terminal != -1:
            os.close(terminal)


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color(folder):
    base = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    base["TERM"] = "xterm-256color"
    coloured = _run_on_a_terminal(["check", "bad.ship"], base, folder)
    assert "\033[" in coloured, "a terminal should get colour (else the NO_COLOR test proves nothing)"
    plain = _run_on_a_terminal(["check", "bad.ship"], {**base, "NO_COLOR": "1"}, folder)
    assert "\033" not in plain
    assert "bad.ship:4:12: error: port 99999 is out of range" in plain
    # no-color.org: an empty NO_COLOR does not disable colour.
    empty = _run_on_a_terminal(["check", "bad.ship"], {**base, "NO_COLOR": ""}, folder)
    assert "\033[" in empty
    # A terminal that says it has no colour (TERM=dumb) gets none either.
    dumb = _run_on_a_terminal(["check", "bad.ship"], {**base, "TERM": "dumb"}, folder)
    assert "\033" not in dumb and "bad.ship:4:12: error: port 99999 is out of range" in dumb


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_load_none_of_the_compiler(option):
    """`ship --version` and `--help` import click and the command line only: no pass, no
    parser, no dataclasses (docs/performance.md)."""
    program = (
        "import sys\nsys.argv = ['ship', sys.argv[1]]\nfrom shipc.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(*sorted(m for m in sys.modules if m.startswith('shipc') or m == 'dataclasses'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, option], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "shipc shipc.cli shipc.files"

"""A plain `ship compile` runs without click (compiler/entry.py calls the function the click
command calls): each case here runs both ways, each in a folder of its own set up alike,
and both must print, write and exit alike, byte for byte, and leave alike the files they
do not write (content and modification time). The entry point must also really have
spared click where it says it does, and handed the rest to click."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import read_terminal
from shipc import depfile

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "samples" / "href-counter.ship").read_bytes()
BAD = b"app demo\n\nruntime alpine 3.20 {\n    expose 99999\n    cmd demo\n}\n"
WARNS = b"app demo\narg UNUSED=1\n\nruntime alpine 3.20 {\n    cmd demo\n}\n"
INCLUDES = b'app demo\ninclude "parts/missing.ship"\n\nruntime alpine 3.20 {\n    cmd demo\n}\n'
HAND_WRITTEN = b"# my own Dockerfile\nFROM alpine:3.20\n"
UNICODE = 'app demo\narg UNUSED=1\n\nruntime alpine 3.20 {\n    cmd "héllo"\n}\n'.encode()

# How each way is started: `ship` as the console script starts it (entry.main), or the
# click command group itself. Both name the program `ship`; the entry point's run notes
# whether click was loaded in the file named by $COLDPATH_PROBE, where the command's own
# output cannot see it.
_ENTRY = """
import atexit, os, sys
def loaded():
    with open(os.environ["COLDPATH_PROBE"], "w") as out:
        out.write(" ".join(sorted(m for m in sys.modules if m in ("click", "lark"))))
atexit.register(loaded)
sys.argv[0] = "ship"
from shipc.entry import main
main()
"""
_CLICK = """
import sys
sys.argv[0] = "ship"
from shipc.cli import main
main()
"""


def _setup(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))


def _state(folder: Path) -> dict[str, tuple[bytes, bool, int]]:
    """Every file under `folder`: its bytes, whether it was touched since _setup, its mode."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            touched = info.st_mtime_ns != 1_000_000_000_000_000_000
            found[str(path.relative_to(folder))] = (path.read_bytes(), touched, info.st_mode)
    return found


def _run(program: str, folder: Path, args: list[str], stdin: bytes, env: dict[str, str]):
    probe = folder.parent / (folder.name + ".probe")
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    done = subprocess.run(
        [sys.executable, "-c", program, *args], input=stdin, capture_output=True, cwd=folder,
        env={**environment, "COLDPATH_PROBE": str(probe), **env}, timeout=120,
    )
    loaded = probe.read_text() if probe.exists() else None
    return (done.returncode, done.stdout, done.stderr, _state(folder)), loaded


def _written(name: str, source: bytes, *options: str) -> bytes:
    """What `ship compile NAME -o out OPTIONS` writes (made by the click command)."""
    scratch = Path(os.environ["COLDPATH_SCRATCH"])
    scratch.mkdir(exist_ok=True)
    (scratch / name).write_bytes(source)
    subprocess.run(
        [sys.executable, "-c", _CLICK, "compile", name, "-o", "out", *options],
        cwd=scratch, check=True, capture_output=True, timeout=120,
    )
    return (scratch / "out").read_bytes()


@pytest.fixture(autouse=True)
def _scratch(tmp_path, monkeypatch):
    monkeypatch.setenv("COLDPATH_SCRATCH", str(tmp_path / "scratch"))


def _case(files: dict[str, bytes], *args: str, stdin=b"", env=None, spared=True):
    """Files to set up, `ship ARGS`, standard input, environment, and whether the entry
    point compiles without click."""
    return files, ["compile", *args], stdin, env or {}, spared


APP = {"app.ship": GOOD}
COMPLETION = {"_SHIP_COMPLETE": "bash_complete", "COMP_WORDS": "ship compile -", "COMP_CWORD": "2"}
CASES = {
    "success": _case(APP, "app.ship", "-o", "out"),
    "long output option": _case(APP, "--output=out", "app.ship"),
    "to standard output": _case(APP, "app.ship"),
    "dash o dash": _case(APP, "app.ship", "-o", "-"),
    "into a new folder": _case(APP, "app.ship", "-o", "a/b/out"),
    "warnings": _case({"w.ship": WARNS}, "w.ship", "-o", "out"),
    "warnings, werror": _case({"w.ship": WARNS}, "w.ship", "-o", "out", "--werror"),
    "errors": _case({"bad.ship": BAD}, "bad.ship", "-o", "out"),
    "errors, no colour": _case({"bad.ship": BAD}, "bad.ship", env={"NO_COLOR": "1"}),
    "missing include": _case({"i.ship": INCLUDES}, "i.ship", "-o", "out"),
    "missing source": _case({}, "missing.ship", "-o", "out"),
    "not UTF-8": _case({"x.ship": b"app caf\xe9\n"}, "x.ship"),
    "standard input": _case({}, "-", stdin=GOOD),
    "standard input, named": _case(
        {}, "-", "--stdin-filename", "sub/x.ship", "-o", "out", stdin=WARNS
    ),
    "stale output": _case({**APP, "out": b"placeholder"}, "app.ship", "-o", "out"),
    "hand-written output": _case({**APP, "out": HAND_WRITTEN}, "app.ship", "-o", "out"),
    "hand-written output, force": _case(
        {**APP, "out": HAND_WRITTEN}, "app.ship", "-o", "out", "--force"
    ),
    "check, stale": _case({**APP, "out": b"placeholder"}, "--check", "app.ship", "-o", "out"),
    "annotate, dockerignore, depfile": _case(
        APP, "app.ship", "-o", "out", "--annotate", "--dockerignore", "--depfile", "d.d"
    ),
    "hand-written depfile": _case(
        {**APP, "d.d": b"all: x\n"}, "app.ship", "-o", "out", "--depfile", "d.d"
    ),
    "output is a device": _case(APP, "app.ship", "-o", "/dev/null"),
    "a value that looks like an option": _case(APP, "app.ship", "-o", "--annotate"),
    "flags twice": _case(APP, "--annotate", "app.ship", "--annotate", "-o", "out"),
    "ASCII streams": _case({"u.ship": UNICODE}, "u.ship", env={"PYTHONIOENCODING": "ascii"}),
    # Click's to say: usage errors, values click refuses, other commands and options.
    "check to standard output": _case(APP, "app.ship", "--check", spared=False),
    "depfile of standard output": _case(APP, "app.ship", "--depfile", "d.d", spared=False),
    "source is a folder": _case({"sub/a.ship": GOOD}, "sub", "-o", "out", spared=False),
    "output is a folder": _case({**APP, "sub/a": b""}, "app.ship", "-o", "sub", spared=False),
    "unknown option": _case(APP, "app.ship", "--fast", spared=False),
    "no source": _case({}, spared=False),
    "two sources": _case(APP, "app.ship", "app.ship", spared=False),
    "output twice": _case(APP, "app.ship", "-o", "a", "-o", "b", spared=False),
    "help": _case({}, "--help", spared=False),
    "completion": _case(APP, "app.ship", env=COMPLETION, spared=False),
}


@pytest.mark.parametrize("case", CASES)
def test_the_entry_point_and_the_click_command_agree(tmp_path, case):
    files, args, stdin, env, spared = CASES[case]
    if files.get("out") == b"placeholder":  # a file ship wrote from another source
        files = {**files, "out": _written("old.ship", WARNS)}
    results = {}
    for way, program in (("entry", _ENTRY), ("click", _CLICK)):
        folder = tmp_path / way
        folder.mkdir()
        _setup(folder, files)
        results[way], loaded = _run(program, folder, args, stdin, env)
        if way == "entry":
            assert loaded == ("" if spared else "click"), "click loaded" if spared else "spared"
    assert results["entry"] == results["click"]
    assert b"Traceback" not in results["entry"][2]


def test_streams_that_claim_ascii_get_utf8_as_click_writes_it(tmp_path):
    _setup(tmp_path, {"u.ship": UNICODE})
    (code, stdout, stderr, _), _ = _run(
        _ENTRY, tmp_path, ["compile", "u.ship"], b"", {"PYTHONIOENCODING": "ascii"}
    )
    assert code == 0, stderr
    assert 'CMD ["héllo"]'.encode() in stdout


def test_the_cases_cover_each_outcome(tmp_path):
    """The matrix proves something only if its cases end every way a compile can."""
    codes = set()
    for case, (files, args, stdin, env, _) in CASES.items():
        if case.startswith(("success", "errors", "missing source", "hand-written output")):
            folder = tmp_path / case.replace(" ", "-")
            folder.mkdir()
            _setup(folder, files)
            codes.add(_run(_CLICK, folder, args, stdin, env)[0][0])
    assert codes == {0, 1, 2}


def test_an_up_to_date_output_is_left_alone_both_ways(tmp_path):
    out = _written("app.ship", GOOD)
    for way, program in (("entry", _ENTRY), ("click", _CLICK)):
        folder = tmp_path / way
        folder.mkdir()
        _setup(folder, {"app.ship": GOOD, "out": out})
        (code, stdout, stderr, state), _ = _run(
            program, folder, ["compile", "app.ship", "-o", "out"], b"", {}
        )
        assert (code, stdout, stderr) == (0, b"", b"")
        assert state["out"][:2] == (out, False)


def test_the_depfile_names_every_input(tmp_path):
    """The fast path writes the same depfile rule as `depfile.rules` (not only the same
    as the click command: both could be wrong alike)."""
    _setup(tmp_path / "entry", {"app.ship": GOOD})
    _run(_ENTRY, tmp_path / "entry", ["compile", "app.ship", "-o", "o", "--depfile", "d"], b"", {})
    assert (tmp_path / "entry" / "d").read_bytes() == depfile.rules([("o", ["app.ship"])])


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("no_color", [None, "", "1"])
def test_colour_on_a_terminal_is_the_same_both_ways(tmp_path, no_color):
    """Standard error on a terminal: coloured unless NO_COLOR is set and not empty, and
    the same escape codes from both."""
    pty = pytest.importorskip("pty")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if no_color is not None:
        env["NO_COLOR"] = no_color
    said = {}
    for way, program in (("entry", _ENTRY), ("click", _CLICK)):
        folder = tmp_path / way
        folder.mkdir()
        _setup(folder, {"bad.ship": BAD, "w.ship": WARNS})
        controller, terminal = pty.openpty()
        try:
            done = subprocess.run(
                [sys.executable, "-c", program, "compile", "bad.ship", "-o", "out"],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=terminal, cwd=folder,
                env={**env, "COLDPATH_PROBE": str(tmp_path / f"{way}.probe")}, timeout=120,
            )
            os.close(terminal)
            terminal = -1
            written = read_terminal(controller)
        finally:
            os.close(controller)
            if terminal != -1:
                os.close(terminal)
        said[way] = (done.returncode, done.stdout, written)
    assert said["entry"] == said["click"]
    assert said["entry"][0] == 1
    assert (b"\033[" in said["entry"][2]) == (no_color != "1")


def test_a_cold_compile_loads_neither_click_nor_lark(tmp_path):
    """The modules a cold `ship compile` loads: ship's own and the standard library's, no
    click, no lark (docs/performance.md)."""
    program = _ENTRY.replace('m in ("click", "lark")', "True")
    _setup(tmp_path, APP)
    args = ["compile", "app.ship", "-o", "o"]
    (code, _, stderr, state), loaded = _run(program, tmp_path, args, b"", {})
    assert code == 0, stderr
    assert "o" in state
    names = set(loaded.split())
    assert {"shipc.parse", "shipc.emit", "shipc.compiling"} <= names  # it did compile
    assert not {n for n in names if n.partition(".")[0] in ("click", "lark")}
    # A correct file is read by lalr.items from parse_tables: the standalone parser's
    # runtime, and what it imports, load only for a file with syntax errors.
    assert "shipc.parse_tables" in names
    assert not names & {"shipc.generated_parser", "shipc.recover", "logging", "pickle"}

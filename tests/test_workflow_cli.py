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


_NEVER = "ship never writes over its inputs, not even with --force"


@pytest.mark.parametrize(
    "args",
    [
        ("-o", "good.ship", "--force"),
        ("-o", "./link.ship", "--force"),  # a symbolic link to it: the same file
        ("--out-dir", "out", "--force"),  # out/good.Dockerfile is a hard link to it
        ("-o", "Dockerfile", "--depfile", "good.ship", "--force"),
    ],
)
def test_an_output_over_the_source_is_refused_even_with_force(ship, folder, args):
    (folder / "link.ship").symlink_to("good.ship")
    (folder / "out").mkdir()
    os.link(folder / "good.ship", folder / "out" / "good.Dockerfile")
    result = ship("compile", "good.ship", *args)
    assert result.exit_code == 2
    assert f"is the file being compiled: {_NEVER}" in result.stderr
    assert (folder / "good.ship").read_text(encoding="utf-8") == GOOD


def test_an_output_over_an_included_file_is_refused_even_with_force(ship, folder):
    (folder / "shared").mkdir()
    (folder / "shared" / "args.ship").write_text("arg PORT=8080\n", encoding="utf-8")
    main = 'app demo\ninclude "shared/args.ship"\nruntime alpine 3.20 {\n    expose ${PORT}\n'
    main += "    cmd demo\n}\n"
    (folder / "app.ship").write_text(main, encoding="utf-8")
    result = ship("compile", "app.ship", "-o", "shared/args.ship", "--force")
    assert result.exit_code == 2
    assert result.stderr == f"ship: shared/args.ship is a file app.ship includes: {_NEVER};" \
        " give another output (-o FILE, --out-dir DIR, --depfile FILE)\n"
    assert (folder / "shared" / "args.ship").read_text(encoding="utf-8") == "arg PORT=8080\n"


def test_a_depfile_over_the_dockerfile_is_refused(ship, folder):
    result = ship("compile", "good.ship", "-o", "Dockerfile", "--depfile", "Dockerfile", "--force")
    assert result.exit_code == 2
    assert "Dockerfile is the Dockerfile this compile writes" in result.stderr
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
    other = (
        (folder / "Dockerfile")
        .read_bytes()
        .replace(f"ship={shipc.__version__} ".encode(), b"ship=0.0.1 ")
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


# --- many files ----------------------------------------------------------------------------


def test_compile_many_files_into_a_folder(ship, folder):
    (folder / "build").mkdir()
    result = ship("compile", "good.ship", "warns.ship", "--out-dir", "build")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (folder / "build").iterdir()) == [
        "good.Dockerfile",
        "warns.Dockerfile",
    ]
    assert (
        unstamped(folder / "build" / "good.Dockerfile")
        == shipc.compile_source(GOOD, "good.ship").dockerfile
    )
    assert "warns.ship:2:5: warning" in result.stderr
    check = ship("compile", "--check", "good.ship", "warns.ship", "--out-dir", "build")
    assert check.exit_code == 0


def test_compile_many_files_reports_all_and_the_worst_code_wins(ship, folder):
    (folder / "build").mkdir()
    result = ship("compile", "bad.ship", "missing.ship", "good.ship", "--out-dir", "build")
    assert result.exit_code == 2  # a missing file (2) is worse than errors (1)
    assert "bad.ship:4:12: error: port 99999" in result.stderr
    assert "ship: no such file: missing.ship" in result.stderr
    assert [p.name for p in (folder / "build").iterdir()] == ["good.Dockerfile"]


def test_many_files_without_a_folder_or_with_one_name_are_usage_errors(ship, folder):
    result = ship("compile", "good.ship", "warns.ship")
    assert result.exit_code == 2 and "--out-dir" in result.stderr
    both = ship("compile", "good.ship", "-o", "Dockerfile", "--out-dir", ".")
    assert both.exit_code == 2 and "not both" in both.stderr
    (folder / "sub").mkdir()
    (folder / "sub" / "good.ship").write_text(GOOD, encoding="utf-8")
    clash = ship("compile", "good.ship", "sub/good.ship", "--out-dir", ".")
    assert clash.exit_code == 2 and "would both write" in clash.stderr
    assert "compile each with its own -o (ship compile sub/good.ship -o sub.Dockerfile)" in (
        clash.stderr.replace("\n", " ")
    )
    assert not (folder / "good.Dockerfile").exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("good.ship", "good.ship"), "good.ship is given twice: give it once"),
        (("good.ship", "./good.ship"), "./good.ship is given twice (as good.ship): give it once"),
        (("-", "-"), "standard input ('-') can be read once: give it once"),
        (("--out-dir", "out", "-", "-"), "standard input ('-') can be read once: give it once"),
    ],
)
def test_a_source_given_twice_is_said_so(ship, folder, args, said):
    result = ship("compile", *args, "--out-dir", "out", input=GOOD)
    assert result.exit_code == 2 and said in " ".join(result.stderr.split())


def test_a_clash_in_one_folder_names_no_working_folder_and_tells_stdin_apart(ship, folder):
    (folder / "good").write_text(GOOD, encoding="utf-8")
    clash = ship("compile", "good", "good.ship", "--out-dir", "out")
    said = " ".join(clash.stderr.split())
    assert "(ship compile good.ship -o out/NAME.Dockerfile)" in said
    clash = ship("compile", "-", "good.ship", "--stdin-filename", "good.ship", "--out-dir", "out",
                 input=GOOD)
    said = " ".join(clash.stderr.split())
    assert "standard input (--stdin-filename good.ship) and good.ship would both write" in said


def test_check_many_files_worst_code_wins(ship, folder):
    result = ship("check", "good.ship", "bad.ship", "warns.ship")
    assert result.exit_code == 1
    assert "bad.ship:4:12: error" in result.stderr and "warns.ship:2:5: warning" in result.stderr
    assert ship("check", "good.ship", "warns.ship").exit_code == 0
    assert ship("check", "good.ship", "nope.ship", "bad.ship").exit_code == 2


def test_werror_fails_on_warnings(ship, folder):
    result = ship("check", "--werror", "warns.ship")
    assert result.exit_code == 1
    assert result.stderr.endswith("ship: 1 warning in warns.ship (--werror)\n")
    assert ship("check", "--werror", "good.ship").exit_code == 0
    compiled = ship("compile", "--werror", "warns.ship", "-o", "Dockerfile")
    assert compiled.exit_code == 1 and not (folder / "Dockerfile").exists()


def test_stdin_filename_names_standard_input(ship, folder):
    result = ship("check", "-", "--stdin-filename", "svc/app.ship", input=BAD)
    assert result.exit_code == 1
    assert result.stderr.startswith("svc/app.ship:4:12: error: port 99999")
    compiled = ship("compile", "-", "--stdin-filename", "svc/app.ship", input=GOOD)
    assert compiled.stdout.startswith("# Generated by ship from app.ship:")


def test_stdin_filename_is_where_includes_are_found(ship, folder):
    (folder / "svc").mkdir()
    build = GOOD[GOOD.index("build go") : GOOD.index("runtime")]
    (folder / "svc" / "build.ship").write_text(build, encoding="utf-8")
    text = GOOD.replace(build, 'include "build.ship"\n\n')
    result = ship("compile", "-", "--stdin-filename", "svc/app.ship", input=text)
    assert result.exit_code == 0, result.stderr
    assert "FROM golang:1.22 AS build" in result.stdout


# --- machine-readable diagnostics ------------------------------------------------------


def test_check_format_json(ship, folder):
    import json

    result = ship("check", "--format", "json", "bad.ship", "warns.ship", "nope.ship")
    assert result.exit_code == 2
    found = json.loads(result.stdout)
    assert found[0] == {
        "file": "bad.ship",
        "line": 4,
        "column": 12,
        "end_line": 4,
        "end_column": 17,
        "severity": "error",
        "message": "port 99999 is out of range (1-65535)",
        "hint": None,
        "included_from": [],
    }
    assert found[1]["file"] == "warns.ship" and found[1]["severity"] == "warning"
    assert found[2]["file"] == "nope.ship" and found[2]["line"] is None
    assert "no such file" in found[2]["message"]


def test_check_format_json_of_a_clean_file_is_an_empty_list(ship, folder):
    result = ship("check", "--format", "json", "good.ship")
    assert result.exit_code == 0 and result.stdout == "[]\n"


def test_check_format_json_names_the_included_file(ship, folder):
    import json

    (folder / "lib.ship").write_text("build go 1.22 {\n    expose 99999\n}\n", encoding="utf-8")
    (folder / "app.ship").write_text('app demo\ninclude "lib.ship"\n', encoding="utf-8")
    found = json.loads(ship("check", "--format", "json", "app.ship").stdout)
    assert found[0]["file"] == "lib.ship"
    assert found[0]["included_from"] == [{"file": "app.ship", "line": 2, "column": 9}]


def test_check_format_sarif(ship, folder):
    import json

    result = ship("check", "--format", "sarif", "bad.ship", "warns.ship")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "ship"
    first = run["results"][0]
    assert first["level"] == "error"
    assert first["message"]["text"] == "port 99999 is out of range (1-65535)"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "bad.ship"
    assert location["region"] == {"startLine": 4, "startColumn": 12, "endLine": 4, "endColumn": 17}
    assert run["results"][1]["level"] == "warning"


def test_check_format_json_of_a_file_that_is_not_utf8(ship, folder):
    import json

    (folder / "latin1.ship").write_bytes("app café\n".encode("latin-1"))
    result = ship("check", "--format", "json", "latin1.ship")
    assert result.exit_code == 1
    (found,) = json.loads(result.stdout)
    assert (found["line"], found["column"]) == (1, 8)
    assert found["message"] == "not UTF-8 text (.ship files are UTF-8)"


# --- depfile -----------------------------------------------------------------------------


def _split(folder: Path) -> None:
    (folder / "lib").mkdir()
    build = GOOD[GOOD.index("build go") : GOOD.index("runtime")]
    (folder / "lib" / "go build.ship").write_text(build, encoding="utf-8")
    text = GOOD.replace(build, 'include "lib/go build.ship"\n\n')
    (folder / "app.ship").write_text(text, encoding="utf-8")


def test_depfile_lists_the_source_and_its_includes(ship, folder):
    _split(folder)
    result = ship("compile", "app.ship", "-o", "Dockerfile", "--depfile", "Dockerfile.d")
    assert result.exit_code == 0, result.stderr
    assert (folder / "Dockerfile.d").read_text(encoding="utf-8") == (
        "# Generated by ship: the files each output was compiled from (for make's include).\n"
        "Dockerfile: app.ship lib/go\\ build.ship\n"
        "lib/go\\ build.ship:\n"
    )
    before = _age(folder / "Dockerfile.d")
    assert (
        ship("compile", "app.ship", "-o", "Dockerfile", "--depfile", "Dockerfile.d").exit_code == 0
    )
    assert (folder / "Dockerfile.d").stat().st_mtime_ns == before.st_mtime_ns


def test_depfile_for_many_outputs(ship, folder):
    _split(folder)
    (folder / "out").mkdir()
    args = ("compile", "app.ship", "good.ship", "--out-dir", "out", "--depfile", "deps.d")
    assert ship(*args).exit_code == 0
    lines = (folder / "deps.d").read_text(encoding="utf-8").splitlines()
    assert lines[1:] == [
        "out/app.Dockerfile: app.ship lib/go\\ build.ship",
        "out/good.Dockerfile: good.ship",
        "lib/go\\ build.ship:",
    ]


def test_depfile_never_replaces_another_file(ship, folder):
    (folder / "Makefile").write_text("all:\n", encoding="utf-8")
    result = ship("compile", "good.ship", "-o", "Dockerfile", "--depfile", "Makefile")
    assert result.exit_code == 2
    assert "Makefile was not written by ship as a depfile" in result.stderr
    assert (folder / "Makefile").read_text(encoding="utf-8") == "all:\n"


def test_depfile_needs_an_output_file(ship, folder):
    result = ship("compile", "good.ship", "--depfile", "d")
    assert result.exit_code == 2 and "--depfile names the output" in result.stderr

"""The entrypoint a runtime gets when it names no command: the one program it receives,
and no default wherever that is not clear (compiler/command.py)."""

from __future__ import annotations

import textwrap

import pytest
import shipc

GO = """
app demo
arg NAME=demo
build go 1.22 {
    run go build -o /out/ ./...
    artifact /out/demo
}
"""


def _commands(source: str) -> dict[str, tuple[str | None, str | None]]:
    """Each stage's ENTRYPOINT and CMD lines, by stage name."""
    text = shipc.compile_source(textwrap.dedent(source), "t.ship").dockerfile
    found: dict[str, list[str | None]] = {}
    name = ""
    for line in text.splitlines():
        if line.startswith("FROM "):
            name = line.split()[-1]
            found[name] = [None, None]
        elif line.startswith("ENTRYPOINT "):
            found[name][0] = line.removeprefix("ENTRYPOINT ")
        elif line.startswith("CMD "):
            found[name][1] = line.removeprefix("CMD ")
    return {k: tuple(v) for k, v in found.items()}


@pytest.mark.parametrize(
    "runtime",
    ["scratch", "distroless static", "distroless cc", "alpine 3.20", "debian bookworm-slim"],
)
def test_the_one_program_runs_on_a_plain_base(runtime):
    assert _commands(GO + f"runtime {runtime} {{\n}}\n")["runtime"] == ('["demo"]', None)


def test_a_program_copied_from_the_context_to_its_place_counts():
    source = 'app demo\nruntime distroless static {\n    copy dist/app -> /usr/local/bin/app\n}\n'
    assert _commands(source)["runtime"] == ('["app"]', None)


def test_a_test_of_the_runtime_and_a_runtime_from_it_get_it_too():
    source = GO + (
        "runtime base: alpine 3.20 {\n}\n"
        "test smoke: from base {\n    run demo --version\n}\n"
        "runtime more: from base {\n    env A=1\n}\n"
    )
    found = _commands(source)
    assert found["base"] == found["smoke"] == found["more"] == ('["demo"]', None)


@pytest.mark.parametrize(
    "runtime",
    [
        "runtime python 3.12 slim {\n}\n",  # an interpreter
        "runtime distroless nodejs 20 {\n}\n",  # its own entrypoint
        "runtime nginx 1.28 {\n}\n",  # its own server
        "runtime image registry.example.com/base:1 {\n}\n",  # unknown to ship
        "runtime from build {\n}\n",  # a build's files, nothing received
        "runtime alpine 3.20 {\n    cmd demo --port 80\n}\n",  # a command of its own
        "runtime alpine 3.20 {\n    copy tools/ -> /usr/local/bin/\n}\n",  # maybe programs
        "runtime alpine 3.20 {\n    copy image busybox:1.36 /bin/busybox\n}\n",  # another
    ],
)
def test_no_default_where_it_is_not_clear(runtime):
    assert _commands(GO + runtime)["runtime"][0] is None


def test_no_default_for_two_programs_a_folder_or_another_toolchains_file():
    two = GO.replace("artifact /out/demo", "artifact /out/demo /out/tool")
    assert _commands(two + "runtime alpine 3.20 {\n}\n")["runtime"][0] is None
    folder = GO.replace("artifact /out/demo", "artifact /out/ -> /usr/local/bin/")
    assert _commands(folder + "runtime alpine 3.20 {\n}\n")["runtime"][0] is None
    node = GO + "build web: node 20 {\n    artifact bin/cli -> /usr/local/bin/cli\n}\n"
    assert _commands(node + "runtime alpine 3.20 {\n}\n")["runtime"][0] is None


def test_no_default_for_a_name_holding_a_reference():
    source = GO.replace("artifact /out/demo", "artifact /out/${NAME}")
    assert _commands(source + "runtime alpine 3.20 {\n}\n")["runtime"][0] is None


def test_ships_chooses_the_program():
    two = GO.replace("artifact /out/demo", "artifact /out/demo /out/tool")
    source = two + "runtime a: alpine 3.20 {\n    ships /out/tool\n}\n"
    assert _commands(source)["a"] == ('["tool"]', None)


def test_a_script_written_with_file_into_a_path_folder_is_a_second_program():
    """`file /usr/local/bin/start` beside the artifact is a program too: which one runs is
    not clear (it ran the artifact, though the script was likely meant to start it)."""
    script = '    file /usr/local/bin/start mode=755 "#!/bin/sh" "exec demo"\n'
    assert _commands(GO + "runtime alpine 3.20 {\n" + script + "}\n")["runtime"][0] is None
    alone = "app demo\nruntime distroless static {\n" + script + "}\n"
    assert _commands(alone)["runtime"][0] == '["start"]'


def test_a_file_landing_on_the_artifact_is_refused():
    """Not one program the runtime runs: the file would replace the artifact (landing.py)."""
    over = '    file /usr/local/bin/demo mode=755 "#!/bin/sh"\n'
    copy = "    copy bin/demo -> /usr/local/bin/demo\n"
    for step in (over, copy):
        runtime = "runtime alpine 3.20 {\n" + step + "}\n"
        with pytest.raises(shipc.ShipErrors) as caught:
            _commands(GO + runtime)
        (said,) = [d.message for d in caught.value.diagnostics if d.is_error]
        assert "where '/out/demo' (line 6) landed: the second would replace" in said


@pytest.mark.parametrize(
    "runtime, warned",
    [
        ("distroless static {\n    cmd --verbose\n}\n", True),
        ("alpine 3.20 {\n    cmd -v\n}\n", True),
        ("alpine 3.20 {\n    entrypoint demo\n    cmd --verbose\n}\n", False),
        # node's docker-entrypoint.sh runs node for options; distroless nodejs runs node
        ("node 20 slim {\n    cmd --enable-source-maps dist/server.js\n}\n", False),
        ("distroless nodejs 20 {\n    cmd --enable-source-maps dist/server.js\n}\n", False),
    ],
)
def test_a_cmd_that_is_an_option_without_an_entrypoint_is_warned(runtime, warned):
    compiled = shipc.compile_source(GO + "runtime " + runtime, "t.ship")
    said = [w.message for w in compiled.warnings if "is an option, not a program" in w.message]
    assert bool(said) == warned, compiled.warnings

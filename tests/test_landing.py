"""Two things landing on one path in a stage are an error at the second (landing.py)."""

from __future__ import annotations

import pytest
import shipc

GO = "app demo\nbuild go 1.22 {{\n    run go build -o /out/ ./...\n{build}}}\n"


def _errors(build: str, runtime: str) -> list[tuple[int, str, str | None]]:
    text = GO.format(build=build) + "runtime alpine 3.20 {\n" + runtime + "    cmd a\n}\n"
    try:
        shipc.compile_source(text, "t.ship")
    except shipc.ShipErrors as caught:
        return [(d.span.line, d.message, d.hint) for d in caught.diagnostics if d.is_error]
    return []


def test_a_forgotten_arrow_is_said_at_the_second_path_with_the_arrow_in_the_hint():
    ((line, message, hint),) = _errors("    artifact /out/a /usr/local/bin/a\n", "")
    assert line == 4 and "where '/out/a' (line 4) landed" in message
    assert hint == "is '->' missing? 'artifact /out/a -> /usr/local/bin/a'"


def test_two_programs_of_one_name_clash_among_the_programs():
    ((line, message, _),) = _errors("    artifact /out/rel/app /out/dbg/app\n", "")
    assert "'/out/dbg/app' lands at /usr/local/bin/app" in message


@pytest.mark.parametrize(
    "runtime",
    [
        "    copy a.conf -> /etc/app.conf\n    run true\n    copy b.conf -> /etc/app.conf\n",
        "    copy conf/ -> /etc/app/\n    copy more/ -> /etc/app/\n",
        "    copy conf/*.conf -> /etc/app/\n    copy more/*.conf -> /etc/app/\n",
        "    copy a.conf -> /etc/a.conf\n    copy b.conf -> /etc/b.conf\n",
    ],
)
def test_what_is_not_counted(runtime):
    assert _errors("    artifact /out/a\n", runtime) == []


def test_a_copy_onto_an_artifact_and_a_file_onto_a_copy_are_refused():
    found = _errors(
        "    artifact /out/a\n",
        "    copy a -> /usr/local/bin/\n    file /etc/motd \"hi\"\n    copy motd -> /etc/motd\n",
    )
    assert [(line, message.split(" where ")[0]) for line, message, _ in found] == [
        (7, "'a' lands at /usr/local/bin/a,"),
        (9, "'motd' lands at /etc/motd,"),
    ]


def test_artifacts_of_two_builds_clash_in_a_runtime_that_receives_both():
    build = "    artifact /out/a\n}\nbuild b: go 1.22 {\n    run go build -o /out/ ./...\n"
    build += "    artifact /out/a\n"
    ((_, message, hint),) = _errors(build, "")
    assert "'/out/a' of build 'b' lands at /usr/local/bin/a in runtime 'runtime'" in message
    assert "('ships b')" in hint
    assert _errors(build, "    ships build\n") == []


def test_a_test_of_the_runtime_does_not_say_it_again():
    text = (
        GO.format(build="    artifact /out/a\n")
        + "runtime alpine 3.20 {\n    copy x -> /etc/x\n    copy y -> /etc/x\n    cmd a\n}\n"
        + "test t: from runtime {\n    run true\n}\n"
    )
    with pytest.raises(shipc.ShipErrors) as caught:
        shipc.compile_source(text, "t.ship")
    assert len([d for d in caught.value.diagnostics if d.is_error]) == 1


def test_programs_of_binary_lines_in_two_builds_are_given_to_a_runtime_each():
    text = (
        "app demo\nbuild go 1.22 {\n    binary ./cmd/api\n}\n"
        "build b: go 1.22 {\n    binary ./cmd/api\n}\nruntime alpine 3.20 {\n    cmd api\n}\n"
    )
    with pytest.raises(shipc.ShipErrors) as caught:
        shipc.compile_source(text, "t.ship")
    (said,) = [d for d in caught.value.diagnostics if d.is_error]
    assert said.span.line == 6
    assert said.hint == "let each runtime receive one of the builds ('ships b')"


def _diagnostics(text: str) -> list[tuple[int, str, str | None]]:
    try:
        shipc.compile_source(text, "t.ship")
    except shipc.ShipErrors as caught:
        return [(d.span.line, d.message, d.hint) for d in caught.diagnostics if d.is_error]
    return []


PY = "app w\n{builds}runtime python 3.12 {{\n{runtime}    cmd python -m w\n}}\n"
TWO_VENVS = (
    "build python 3.12 {\n    artifact src\n}\nbuild worker: python 3.12 {\n    artifact lib\n}\n"
)


def test_two_builds_whose_managers_ship_one_folder_are_an_error_at_the_second():
    """Two Python builds' venvs (two Ruby builds' bundles) both landed in /opt/venv of the
    runtime: the second merged into the first, silently."""
    ((line, message, hint),) = _diagnostics(PY.format(builds=TWO_VENVS, runtime=""))
    assert line == 5 and message.startswith(
        "the manager's /opt/venv of build 'worker' lands at /opt/venv in runtime 'runtime',"
        " where the manager's /opt/venv of build 'build' (line 2) landed"
    )
    assert hint == "let each runtime receive one of the builds ('ships worker')"
    assert _diagnostics(PY.format(builds=TWO_VENVS, runtime="    ships build\n")) == []
    ruby = TWO_VENVS.replace("python 3.12", "ruby 3.3")
    text = PY.format(builds=ruby, runtime="").replace("python 3.12 {", "ruby 3.3 slim {")
    ((_, message, _),) = _diagnostics(text)
    assert message.startswith("the manager's /usr/local/bundle of build 'worker'")


def test_an_artifact_where_another_builds_venv_lands_is_an_error():
    builds = "build python 3.12 {\n    artifact src\n}\nbuild tool: go 1.22 {\n" \
        "    run go build -o /out/x .\n    artifact /out/x -> /opt/venv\n}\n"
    ((line, message, hint),) = _diagnostics(PY.format(builds=builds, runtime=""))
    assert line == 7 and "'/out/x' of build 'tool' lands at /opt/venv" in message
    assert hint.startswith("give '/out/x' a destination of its own, or let each runtime")


def test_an_artifact_that_is_the_venv_is_copied_once():
    text = PY.format(builds="build python 3.12 {\n    artifact /opt/venv\n}\n", runtime="")
    out = shipc.compile_source(text, "t.ship").dockerfile
    assert out.count("COPY --from=build /opt/venv /opt/venv\n") == 1


def test_a_file_that_lands_on_a_program_says_where_and_names_the_binary_line():
    text = (
        "app api\nbuild go 1.22 {\n    binary api\n}\n"
        'runtime alpine 3.20 {\n    file /usr/local/bin/api "x"\n    cmd api\n}\n'
    )
    ((line, message, _),) = _diagnostics(text)
    assert line == 6 and message.startswith(
        "'file /usr/local/bin/api' lands at /usr/local/bin/api, where 'binary api' (line 3)"
        " landed"
    )

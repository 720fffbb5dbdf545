"""The warning for a runtime whose command names, relative to its own work directory, an
artifact that lands where the build made it (compiler/lost_artifacts.py)."""

from __future__ import annotations

import pytest

import shipc

BUILD = "app demo\nbuild node 22 {\n    run npm run build\n    artifact dist\n}\n"
RUNTIME = "runtime node 22 slim {\n    workdir /srv/app\n    cmd node dist/index.js\n}\n"


def _warnings(source: str) -> list[str]:
    return [d.message for d in shipc.compile_source(source, "case.ship").warnings]


def test_a_relative_command_path_under_an_artifact_elsewhere_is_warned():
    (said,) = _warnings(BUILD + RUNTIME)
    assert "'dist/index.js'" in said and "lands at /app/dist" in said


@pytest.mark.parametrize(
    "source",
    [
        # the hint's two ways
        BUILD + RUNTIME.replace("node dist/", "node /app/dist/"),
        BUILD.replace("artifact dist", "artifact dist -> dist") + RUNTIME,
        # no workdir of its own: the node runtime works in /app, where the artifact lands
        BUILD + RUNTIME.replace("    workdir /srv/app\n", ""),
        # something the runtime copies lands at it
        BUILD + RUNTIME.replace("    cmd", "    copy dist\n    cmd"),
        # a path under no artifact
        BUILD + RUNTIME.replace("dist/index.js", "lib/index.js"),
        # the program, without a '/', is looked up in PATH
        "app demo\nbuild go 1.22 {\n    run go build -o /src/demo .\n    artifact /src/demo\n}\n"
        "runtime debian bookworm-slim {\n    cmd demo\n}\n",
    ],
)
def test_no_warning_when_the_path_is_found(source):
    assert _warnings(source) == []


def test_an_artifact_shipped_into_the_work_directory_lands_there():
    source = BUILD.replace("artifact dist", "artifact dist -> dist") + RUNTIME
    assert "COPY --from=build /app/dist /srv/app/dist" in shipc.compile_source(source).dockerfile


def test_a_runtime_from_a_runtime_is_warned_for_its_own_command_only():
    base = "runtime base: node 22 slim {\n    cmd node dist/index.js\n}\n"
    own = "runtime r: from base {\n    workdir /srv/app\n    cmd node dist/main.js\n}\n"
    (said,) = _warnings(BUILD + base + own)
    assert "'dist/main.js'" in said and "lands at /app/dist" in said
    # the same workdir as the runtime it is from: the artifacts are where the command looks
    assert _warnings(BUILD + base + "runtime r: from base {\n    cmd node dist/main.js\n}\n") == []

"""Lowering rules for stages, dependencies, artifacts and paths, one behaviour each,
asserted on the generated Dockerfile text (their engine counterparts are in
test_engine_lowering.py)."""

from __future__ import annotations

import itertools
import re
import textwrap

import pytest

import shipc
from test_lower import GO, compile_text, stage


def diagnostics(source: str) -> list[str]:
    """`LINE:COLUMN: severity: message` of every diagnostic, errors or warnings."""
    try:
        found = shipc.compile_source(textwrap.dedent(source), "t.ship").warnings
    except shipc.ShipErrors as errors:
        found = errors.diagnostics
    return [f"{d.span.line}:{d.span.column}: {d.severity}: {d.message}" for d in found]


def test_install_gets_the_blocks_cache_mounts_and_secrets():
    text = compile_text(
        """
        app demo
        build image mcr.microsoft.com/dotnet/sdk:8.0 {
            cache /root/.nuget/packages
            secret nuget_config -> /root/.nuget/NuGet/NuGet.Config
            deps app.csproj
            install dotnet restore
            run dotnet publish --no-restore -o /out
            artifact /out -> /app
        }
        runtime image mcr.microsoft.com/dotnet/aspnet:8.0 {
        }
        """
    )
    runs = [line for line in stage(text, "build") if line.startswith("RUN")]
    mounts = (
        "--mount=type=cache,target=/root/.nuget/packages"
        " --mount=type=secret,id=nuget_config,target=/root/.nuget/NuGet/NuGet.Config"
    )
    assert runs == [
        f"RUN {mounts} dotnet restore",
        f"RUN {mounts} dotnet publish --no-restore -o /out",
    ]


def test_preset_install_gets_the_toolchain_caches_too():
    text = compile_text(
        """
        app demo
        build node 20 {
            cache /root/.cache/extra
            run npm run build
            artifact dist
        }
        runtime node 20 slim {
        }
        """
    )
    runs = [line for line in stage(text, "build") if line.startswith("RUN")]
    assert runs[0].endswith(" npm ci")
    assert runs[0].removesuffix(" npm ci") == runs[1].removesuffix(" npm run build")
    assert "--mount=type=cache,target=/root/.cache/extra" in runs[0]


def _build_lines(block: str, runtime: str = "runtime scratch {\n}") -> list[str]:
    return stage(compile_text(f"app demo\n{block}\n{runtime}\n"), "build")


def test_deps_land_at_their_relative_paths_file_or_folder():
    lines = _build_lines(
        "build image maven:3.9 {\n    deps pom.xml mvnw .mvn/ sub/x.txt conf/*.xml *.lock\n"
        "    install ./mvnw dependency:go-offline\n}"
    )
    copies = [line for line in lines if line.startswith("COPY")]
    assert copies[:6] == [
        "COPY pom.xml ./pom.xml",
        "COPY mvnw ./mvnw",
        "COPY .mvn/ ./.mvn",
        "COPY sub/x.txt ./sub/x.txt",
        "COPY conf/*.xml ./conf/",
        "COPY *.lock ./",
    ]


def test_preset_manifests_are_known_files_and_share_one_copy():
    lines = _build_lines("build go 1.22 {\n    run go build .\n    artifact demo\n}")
    assert "COPY go.mod go.sum* ./" in lines


def test_copy_without_destination_keeps_places_and_dot_copies_everything():
    lines = _build_lines("build image gcc:14 {\n    copy . src/ conf/*.h\n    run make\n}")
    assert [line for line in lines if line.startswith("COPY")] == [
        "COPY . ./",
        "COPY src/ ./src",
        "COPY conf/*.h ./conf/",
    ]


def test_runtime_copy_to_root_is_written_once():
    text = compile_text(GO + "runtime alpine 3.20 {\n    copy a -> /\n    copy b c -> /etc/\n}\n")
    lines = stage(text, "runtime")
    assert "COPY a /" in lines
    assert "COPY b c /etc/" in lines


@pytest.mark.parametrize("line", ["deps */go.mod", "copy src/*/x.h", "copy a/b*/c"])
def test_a_glob_in_a_folder_name_cannot_keep_its_place(line):
    source = f"app demo\nbuild image gcc:14 {{\n    {line}\n}}\nruntime scratch {{\n}}\n"
    found = [f for f in diagnostics(source) if ": error: " in f]
    assert len(found) == 1 and found[0].startswith("3:"), found
    assert "glob" in found[0]


def test_packages_in_a_runtime_from_a_build_is_a_positioned_error():
    found = diagnostics(GO + "runtime from build {\n    packages curl=8.11.1-r0\n}\n")
    assert len(found) == 1 and found[0].startswith("8:14: error: "), found
    assert "package manager" in found[0]


BUILD_FROM_RUNTIME = """
app demo
build b: from base {
    run make
    artifact app
}
runtime base: debian bookworm-slim {
}
"""


def test_a_build_from_a_runtime_is_refused():
    found = diagnostics(BUILD_FROM_RUNTIME)
    assert found[0].startswith("3:15: error: a build cannot start from runtime 'base'"), found
    assert len(found) == 1


def test_a_build_from_a_test_from_a_runtime_is_refused():
    source = BUILD_FROM_RUNTIME.replace("from base", "from smoke") + "test smoke: from base {\n}\n"
    found = diagnostics(source)
    assert found[0].startswith("3:15: error: a build cannot start from test 'smoke'"), found


_API = "build api: go 1.22 {\n    run go build -o /out/api .\n    artifact /out/api\n}"
_RELEASE = "runtime release: alpine 3.20 {\n    cmd api\n}"
_DEBUG = "runtime debug: from release {\n    packages curl=8.11.1-r0\n}"
_BLOCK_SETS = {
    "tests-of-runtimes": {
        "api": _API,
        "release": _RELEASE,
        "debug": _DEBUG,
        "smoke": "test smoke: from debug {\n    run api --version\n}",
        "unit": "test unit: from api {\n    run go test ./...\n}",
    },
    "stages-of-builds": {
        "api": _API,
        "tools": "build tools: from api {\n    run go build -o /out/tool ./tool\n}",
        "shell": "runtime shell: from tools {\n}",
        "release": _RELEASE,
        "debug": _DEBUG,
    },
}


@pytest.mark.parametrize("blocks", _BLOCK_SETS.values(), ids=_BLOCK_SETS)
def test_the_last_runtime_written_is_the_last_stage_in_every_order(blocks):
    """Every order of the blocks: each stage comes after those it is built from or copies
    from, and the last runtime written is the last stage (the default target)."""
    for order in itertools.permutations(blocks):
        text = shipc.compile_source("app demo\n" + "\n".join(blocks[n] for n in order)).dockerfile
        written: list[str] = []
        for line in text.splitlines():
            if line.startswith("FROM "):
                base, name = line.split()[1], line.split()[3]
                assert base in written or base not in blocks, (order, line)
                written.append(name)
            for used in re.findall(r"--from=([a-z]+)", line):
                assert used in written[:-1], (order, line)
        runtimes = [n for n in order if blocks[n].startswith("runtime")]
        assert written[-1] == runtimes[-1], order


def test_apt_packages_move_the_clean_up_hook_aside_and_back_in_the_same_run():
    text = compile_text(GO + "runtime debian bookworm-slim {\n    packages curl=7.88.1-10\n}\n")
    (install,) = [line for line in stage(text, "runtime") if line.startswith("RUN")]
    clean, aside = "/etc/apt/apt.conf.d/docker-clean", "/etc/apt/docker-clean.off"
    commands = [c.strip(" ()") for c in install.split(" && ")]
    assert commands[0].endswith(f" if [ -e {clean} ]; then mv {clean} {aside}; fi")
    assert commands[1:] == [
        "apt-get update",
        "apt-get install -y --no-install-recommends curl=7.88.1-10",
        f"if [ -e {aside} ]; then mv {aside} {clean}; fi",
    ]
    assert "rm -f" not in install


def _runtime_lines(runtime_body: str, top: str = "") -> list[str]:
    text = compile_text(f"app demo\n{top}\n{GO.split(chr(10), 2)[2]}runtime alpine 3.20 {{\n"
                        f"{runtime_body}\n}}\n")
    return stage(text, "runtime")


def test_a_destination_starting_with_an_absolute_arg_is_absolute():
    lines = _runtime_lines("    copy config.toml -> ${APP}/config.toml", "arg APP=/srv/app")
    assert "COPY config.toml ${APP}/config.toml" in lines


def test_a_destination_starting_with_an_absolute_env_is_absolute():
    lines = _runtime_lines("    env APP=/srv/app\n    copy config.toml -> $APP/config.toml")
    assert "COPY config.toml $APP/config.toml" in lines


def test_an_artifact_destination_starting_with_an_absolute_arg_is_absolute():
    text = compile_text(
        GO.replace("artifact /out/demo", "artifact /out/demo -> ${BIN}/demo")
        .replace("app demo", "app demo\narg BIN=/opt/bin")
        + "runtime alpine 3.20 {\n}\n"
    )
    assert "COPY --from=build /out/demo ${BIN}/demo" in stage(text, "runtime")


@pytest.mark.parametrize(
    "top, body, column",
    [
        ("arg APP=srv", "    copy config.toml -> ${APP}/config.toml", 25),
        ("arg APP", "    copy config.toml -> ${APP}/config.toml", 25),
        ("", "    copy config.toml -> $PATH/config.toml", 25),
    ],
)
def test_a_path_starting_with_a_reference_of_unknown_or_relative_value_is_refused(
    top, body, column
):
    source = f"app demo\n{top}\nruntime alpine 3.20 {{\n{body}\n}}\n"
    found = diagnostics(source)
    errors = [f for f in found if ": error: " in f]
    line = 3 + body.count("\n") + 1
    assert len(errors) == 1 and errors[0].startswith(f"{line}:{column}: error: "), found
    assert "absolute" in errors[0]


def test_an_artifact_path_cannot_start_with_an_arg_of_unknown_value():
    source = GO.replace("artifact /out/demo", "artifact /out/demo -> ${BIN}/demo")
    source = source.replace("app demo", "app demo\narg BIN") + "runtime alpine 3.20 {\n}\n"
    errors = [f for f in diagnostics(source) if ": error: " in f]
    assert len(errors) == 1 and errors[0].startswith("6:27: error: "), errors


@pytest.mark.parametrize(
    "workdir",
    ['"/x rm -rf / #"', '"/src,from=attacker/img:1,source=/"', "/src=x", '"/s\\"q"', "/café"],
)
def test_a_workdir_under_a_derived_cache_mount_is_a_strict_mount_path(workdir):
    source = (
        f"app demo\nbuild rust 1.79 {{\n    workdir {workdir}\n    run cargo build --release\n"
        "    artifact /src/target/release/demo -> /usr/local/bin/demo\n}\n"
        "runtime distroless cc {\n}\n"
    )
    found = diagnostics(source)
    assert len(found) == 1 and found[0].startswith("3:13: error: "), found
    assert "cache mount" in found[0]


def test_a_workdir_with_a_reference_cannot_feed_a_relative_cache_mount():
    source = (
        "app demo\narg SRC=/src\nbuild rust 1.79 {\n    workdir ${SRC}\n"
        "    run cargo build --release\n    artifact /src/target/release/demo\n}\n"
        "runtime distroless cc {\n}\n"
    )
    found = diagnostics(source)
    assert len(found) == 1 and found[0].startswith("4:13: error: "), found
    assert "does not expand" in found[0]


def test_a_test_inherits_the_workdir_of_the_build_it_is_from():
    text = compile_text(
        "app demo\nbuild rust 1.79 {\n    workdir /w\n    run cargo build --release\n"
        "    artifact target/release/demo\n}\ntest from build {\n    run cargo test\n}\n"
        "runtime distroless cc {\n}\n"
    )
    (run,) = [line for line in stage(text, "test") if line.startswith("RUN")]
    assert "--mount=type=cache,target=/w/target" in run


def _go(artifacts: str, runtime: str = "runtime distroless static {\n}") -> str:
    build = f"build go 1.22 {{\n    run go build -o /out/ ./...\n{artifacts}\n}}"
    return f"app demo\n{build}\n{runtime}\n"


@pytest.mark.parametrize(
    "artifact, dest",
    [
        ("/out/demo", "/usr/local/bin/demo"),
        ("/out/demo-1.2", "/usr/local/bin/demo-1.2"),
        ("/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt"),
        ("/usr/share/zoneinfo", "/usr/share/zoneinfo"),
        ("/out/ -> /usr/local/bin/", "/usr/local/bin/"),
        ("/out/app.json -> /etc/app/app.json", "/etc/app/app.json"),
    ],
)
def test_where_an_artifact_of_a_program_toolchain_lands(artifact, dest):
    text = compile_text(_go(f"    artifact {artifact}"))
    (copy,) = [line for line in stage(text, "runtime") if line.startswith("COPY --from")]
    assert copy.endswith(f" {dest}"), copy


@pytest.mark.parametrize(
    "artifact, column, words",
    [
        ("/out/", 14, "folder"),
        ("/out/*", 14, "folder"),
        ("/out/ca.crt", 14, "program"),
        ("/out/config.json", 14, "program"),
        ("/out/x->/y", 14, "with spaces"),
    ],
)
def test_an_artifact_ship_cannot_place_needs_a_destination(artifact, column, words):
    found = diagnostics(_go(f"    artifact {artifact}"))
    errors = [f for f in found if ": error: " in f]
    assert len(errors) == 1 and errors[0].startswith(f"4:{column}: error: "), found
    assert words in errors[0]


def test_a_glued_arrow_in_copy_is_an_error():
    found = diagnostics(_go("    artifact /out/demo", "runtime alpine 3.20 {\n    copy a->/b\n}"))
    assert found == ["7:10: error: 'a->/b' reads as one path: write 'a -> /b', with spaces"]


def test_a_same_path_artifact_may_be_a_folder():
    text = compile_text(
        "app demo\nbuild node 20 {\n    run npm run build\n    artifact dist/\n}\n"
        "runtime node 20 slim {\n}\n"
    )
    assert "COPY --from=build /app/dist /app/dist" in stage(text, "runtime")


def test_a_runtime_that_gets_nothing_from_the_builds_is_warned_about():
    found = diagnostics(_go("", "runtime distroless static {\n    cmd demo\n}"))
    warned = ": warning: runtime 'runtime' gets nothing from the builds"
    assert any(warned in f for f in found), found


@pytest.mark.parametrize(
    "runtime, warned",
    [
        ("runtime scratch {\n    cmd demo\n}", False),
        ("runtime scratch {\n    cmd demo2\n}", True),
        ("runtime scratch {\n    entrypoint /usr/local/bin/demo\n}", False),
        ("runtime scratch {\n    entrypoint /app/demo\n}", True),
        ("runtime distroless cc {\n    cmd tool -c demo\n}", True),
        ("runtime alpine 3.20 {\n    cmd sh -c demo\n}", False),
        ("runtime distroless nodejs 20 {\n    cmd server.js\n}", False),
        ("runtime scratch {\n    copy tools/\n    cmd tool\n}", False),
    ],
)
def test_a_program_that_nothing_puts_in_the_image_is_warned_about(runtime, warned):
    found = diagnostics(_go("    artifact /out/demo", runtime))
    assert any("is not in the image" in f for f in found) == warned, found


def test_a_runtime_workdir_under_a_tests_relative_cache_is_a_strict_mount_path():
    source = (
        "app demo\nbuild go 1.22 {\n    run go build -o /out/demo .\n    artifact /out/demo\n}\n"
        'runtime alpine 3.20 {\n    workdir "/srv/my app"\n    cmd demo\n}\n'
        "test from runtime {\n    cache .cache\n    run demo --selftest\n}\n"
    )
    found = diagnostics(source)
    assert len(found) == 1 and found[0].startswith("7:13: error: "), found
    assert "--mount" in found[0]

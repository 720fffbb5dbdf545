"""Lowering rules for stages, dependencies, artifacts and paths, one behaviour each,
asserted on the generated Dockerfile text (their engine counterparts are in
test_engine_lowering.py)."""

from __future__ import annotations

import pytest

import shipc
from test_lower import GO, compile_text, stage


def diagnostics(source: str) -> list[str]:
    """`LINE:COLUMN: severity: message` of every diagnostic, errors or warnings."""
    import textwrap

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
    found = diagnostics(source)
    assert len(found) == 1 and found[0].startswith("3:"), found
    assert "glob" in found[0]

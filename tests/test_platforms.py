"""Platforms: which build stages cross-compile (their toolchain's `cross` entry says so)
and which stay on the target platform, and where BuildKit's platform args are declared."""

from __future__ import annotations

import pytest
import shipc

# An image runtime: what the artifacts need is not checked against it.
RUNTIME = "runtime image registry.example.com/base:1.0 {\n    cmd demo\n}\n"


def _compile(body: str, platforms: str = "platforms linux/amd64 linux/arm64\n") -> str:
    return shipc.compile_source(f"app demo\n{platforms}{body}{RUNTIME}").dockerfile


def _from_line(dockerfile: str, name: str) -> str:
    return next(line for line in dockerfile.splitlines() if line.endswith(f" AS {name}"))


@pytest.mark.parametrize(
    "head, artifact, cross",
    [
        ("go 1.22", "/out/demo", True),
        ("node 20", "dist", True),
        ("node 20", "node_modules", False),  # native add-ons: built on the target platform
        ("rust 1.79", "/out/demo", True),
        ("rust 1.79 alpine", "/out/demo", False),  # no cross linker for musl: emulated
        ("c 14", "/out/demo", False),
        ("python 3.12", "/opt/venv -> /opt/venv", False),
    ],
)
def test_only_toolchains_that_cross_compile_run_on_the_build_platform(head, artifact, cross):
    body = f"build {head} {{\n    run make\n    artifact {artifact}\n}}\n"
    line = _from_line(_compile(body), "build")
    assert line.startswith("FROM --platform=$BUILDPLATFORM ") == cross


def test_without_platforms_nothing_changes():
    body = "build go 1.22 {\n    run go build -o /out/demo .\n    artifact /out/demo\n}\n"
    dockerfile = _compile(body, platforms="")
    assert "--platform" not in dockerfile and "GOARCH" not in dockerfile
    assert "Platforms:" not in dockerfile


def test_tests_and_runtimes_stay_on_the_target_platform():
    body = (
        "build go 1.22 {\n    run go build -o /out/demo .\n    artifact /out/demo\n}\n"
        "test from build {\n    run go vet ./...\n}\n"
    )
    dockerfile = _compile(body)
    assert _from_line(dockerfile, "test") == "FROM build AS test"
    assert _from_line(dockerfile, "runtime").startswith("FROM registry.example.com/base:1.0")


def test_goarm_only_when_a_declared_platform_has_a_variant():
    body = "build go 1.22 {\n    run go build -o /out/demo .\n    artifact /out/demo\n}\n"
    assert "GOARM" not in _compile(body)
    assert "GOARM" in _compile(body, "platforms linux/arm/v7\n")


def test_a_platform_arg_is_declared_bare_in_each_stage_that_reads_it():
    body = (
        'build go 1.22 {\n    run echo "$TARGETARCH"\n    run go build -o /out/demo .\n'
        "    artifact /out/demo\n}\n"
    )
    dockerfile = _compile(body, platforms="")
    head, _, build = dockerfile.partition("FROM ")
    assert "ARG TARGETARCH" not in head  # never global, never with a default
    assert "ARG TARGETARCH\nRUN" in build


def test_a_cross_build_without_target_settings_gets_no_empty_env():
    body = "build node 20 {\n    run npm run build\n    artifact dist\n}\n"
    dockerfile = _compile(body)
    assert "FROM --platform=$BUILDPLATFORM node:20 AS build" in dockerfile
    assert "ENV \n" not in dockerfile and not dockerfile.count("\nENV\n")


def test_a_test_of_a_cross_build_is_told_the_build_machine():
    body = (
        "build go 1.22 {\n    run go build -o /out/demo .\n    artifact /out/demo\n}\n"
        "test from build {\n    run go test ./...\n}\n"
    )
    test = _compile(body).partition(" AS test\n")[2].partition("\n\n")[0]
    assert "ENV GOOS=${BUILDOS} GOARCH=${BUILDARCH}" in test
    assert "GOARCH=${BUILDARCH}" not in _compile(body, platforms="")


RUST = "build rust 1.79 {\n    run cargo build --release\n    artifact target/release/demo\n}\n"


def _stage(dockerfile: str, name: str) -> str:
    return dockerfile.partition(f" AS {name}\n")[2].partition("\n\n")[0]


def test_a_rust_build_is_told_each_declared_platform_and_nothing_else():
    build = _stage(_compile(RUST), "build")
    # One layer for every platform: their standard libraries and linkers.
    assert "rustup target add aarch64-unknown-linux-gnu x86_64-unknown-linux-gnu" in build
    assert "aarch64-unknown-linux-gnu aarch64-linux-gnu-gcc" in build
    # One per platform: the target cargo builds, chosen by TARGETPLATFORM, declared bare.
    assert "ARG TARGETPLATFORM\nRUN" in build
    assert "linux/arm64) target=aarch64-unknown-linux-gnu;" in build
    assert "linux/amd64) target=x86_64-unknown-linux-gnu;" in build
    assert "armv7" not in build  # not declared
    assert '*) echo "no target for $TARGETPLATFORM' in build and "exit 1" in build


def test_a_rust_artifact_is_taken_from_the_target_folder_of_the_platform_built():
    build = _stage(_compile(RUST), "build")
    assert 'cp -a /src/target/"$(cat /usr/local/cargo/target-triple)"/release/demo /out/src/target/release/' in build
    assert "cp -a /src/target/release/demo /out/src/target/release/" in _compile(RUST, platforms="")


def test_cross_packages_are_installed_per_platform_with_the_pins_of_packages():
    body = RUST.replace("    run", "    packages gcc-aarch64-linux-gnu=4:12.2.0-3\n    run", 1)
    dockerfile = _compile(body)
    build = _stage(dockerfile, "build")
    # Not in the build's own package layer: the build machine's platform has none.
    assert "apt-get install -y --no-install-recommends gcc-aarch64-linux-gnu=4:12.2.0-3" \
        " libc6-dev-arm64-cross;" in build
    assert "command -v aarch64-linux-gnu-gcc >/dev/null ||" in build
    assert build.count("apt-get install") == 2  # one per declared platform's branch


def test_a_test_of_a_rust_cross_build_builds_for_the_build_machine():
    body = RUST + "test from build {\n    run cargo test\n}\n"
    test = _stage(_compile(body), "test")
    assert "sed -i '/^target = /d' /usr/local/cargo/config.toml" in test


@pytest.mark.parametrize(
    "line, message",
    [
        ("    artifact target/aarch64-unknown-linux-gnu/release/demo\n", "output of one platform"),
        ("    run cargo build --target x86_64-unknown-linux-musl\n", "'--target' in a build"),
    ],
)
def test_one_platform_in_a_rust_cross_build_is_refused(line, message):
    body = RUST.replace("    artifact target/release/demo\n", line + "    artifact /out/x\n")
    with pytest.raises(shipc.ShipErrors) as info:
        _compile(body)
    assert [message in d.message for d in info.value.diagnostics if d.is_error] == [True]
    _compile(body, platforms="")  # one platform is what the file says without `platforms`


def test_rust_stays_on_the_target_platform_for_a_platform_without_a_target():
    dockerfile = _compile(RUST, "platforms linux/arm64 linux/mips64le\n")
    assert _from_line(dockerfile, "build") == "FROM rust:1.79 AS build"
    assert "TARGETPLATFORM" not in dockerfile



CMAKE = (
    "build cmake bookworm-slim {\n"
    "    packages cmake=3.25.1-1 g++=4:12.2.0-3 make=4.3-4.1\n"
    "    run cmake -S . -B build && cmake --build build\n"
    "    artifact build/demo\n"
    "}\n"
)


def test_a_cmake_build_is_told_each_platform_compilers_in_a_toolchain_file():
    build = _stage(_compile(CMAKE), "build")
    assert "FROM --platform=$BUILDPLATFORM debian:bookworm-slim" in _compile(CMAKE)
    assert "ENV CMAKE_TOOLCHAIN_FILE=/usr/local/share/cmake-cross/toolchain.cmake" in build
    assert "linux/arm64) target=aarch64-linux-gnu; command -v aarch64-linux-gnu-g++" in build
    assert "g++-aarch64-linux-gnu libc6-dev-arm64-cross" in build
    assert "set(CMAKE_CXX_COMPILER %s-g++)" in build


@pytest.mark.parametrize("version", ["bullseye-slim", "bullseye"])
def test_a_cmake_too_old_for_the_toolchain_variable_stays_on_the_target_platform(version):
    dockerfile = _compile(CMAKE.replace("bookworm-slim", version))
    assert _from_line(dockerfile, "build") == f"FROM debian:{version} AS build"
    assert "CMAKE_TOOLCHAIN_FILE" not in dockerfile


@pytest.mark.parametrize(
    "platforms, key",
    [
        ("platforms linux/amd64 linux/arm64\n", "cross $BUILDPLATFORM $TARGETPLATFORM"),
        ("", "$TARGETPLATFORM"),  # `docker build --platform` may still build several
    ],
)
def test_a_cmake_build_folder_is_emptied_when_another_kind_of_build_filled_it(platforms, key):
    dockerfile = _compile(CMAKE, platforms)
    guarded = f'if [ "$(cat /src/build/.ship-platform 2>/dev/null)" != "{key}" ]'
    assert guarded in dockerfile
    assert f'echo "{key}" > /src/build/.ship-platform; fi' in dockerfile
    assert "id=demo:build:/src/build,sharing=locked" in dockerfile


def test_an_emulated_cmake_build_is_guarded_too():
    dockerfile = _compile(CMAKE.replace("bookworm-slim", "bullseye-slim"))
    build = _stage(dockerfile, "build")
    assert "ARG TARGETPLATFORM\nRUN" in build and "rm -rf /src/build/*" in build


def test_rust_output_is_not_guarded():
    assert ".ship-platform" not in _compile(RUST)
    assert ".ship-platform" not in _compile(RUST.replace("rust 1.79", "rust 1.79 alpine"))


def test_a_test_of_a_cmake_cross_build_compiles_for_the_build_machine_from_scratch():
    body = CMAKE + "test from build {\n    run cmake -S . -B build && cmake --build build\n}\n"
    test = _stage(_compile(body), "test")
    native = "printf 'set(CMAKE_C_COMPILER gcc)\\nset(CMAKE_CXX_COMPILER g++)\\n'"
    assert native in test
    # The build left the target's objects in the shared folder: the test's mark differs.
    assert '!= "cross $BUILDPLATFORM" ]; then rm -rf /src/build/*' in test


def _diagnostics(source: str) -> list[tuple[bool, str]]:
    try:
        compiled = shipc.compile_source(source, "t.ship")
    except shipc.ShipErrors as refused:
        return [(d.is_error, d.message) for d in refused.diagnostics]
    return [(d.is_error, d.message) for d in compiled.warnings]


GO_BUILD = "app demo\n{platforms}build go 1.22 {{\n    env {env}\n    binary ./cmd/api\n}}\n"
ALPINE = "runtime alpine 3.20 {\n}\n"


@pytest.mark.parametrize(
    ("platforms", "env", "found"),
    [
        # New-user trial: a Mach-O program shipped into alpine as its entrypoint, silently.
        ("", "GOOS=darwin", [(True, "'GOOS=darwin' builds the programs for darwin")]),
        ("", "GOARCH=arm64", [(False, "'GOARCH=arm64' builds the programs for arm64")]),
        ("", "GOOS=linux", []),
        # With platforms ship's ENV GOARCH=${TARGETARCH} silently overrode the user's.
        ("platforms linux/amd64 linux/arm64\n", "GOARCH=arm64",
         [(True, "'env GOARCH=arm64' in a build for the declared platforms")]),
        ("platforms linux/amd64 linux/arm64\n", "GOOS=darwin",
         [(True, "'env GOOS=darwin' in a build for the declared platforms")]),
        ("platforms linux/amd64 linux/arm64\n", "GOOS=linux GOARCH=${TARGETARCH}", []),
        ("platforms linux/arm64\n", "GOARCH=arm64", []),
    ],
)
def test_a_builds_env_that_sets_the_target_is_checked(platforms, env, found):
    source = GO_BUILD.format(platforms=platforms, env=env) + ALPINE
    said = [(e, m) for e, m in _diagnostics(source) if "is never used" not in m]
    assert len(said) == len(found), said
    assert [(e, m[: len(f)]) for (e, m), (_, f) in zip(said, found, strict=True)] == found

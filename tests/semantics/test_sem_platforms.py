"""Platforms, executed: a file that declares `platforms` builds its Go stage on the build
machine with the target handed to the toolchain, and its runtime for the target platform,
without emulation (the engine has none: a RUN on another platform would fail)."""

from __future__ import annotations

import pytest

from semantics.harness import build, calls, case, inspect, tree

pytestmark = pytest.mark.engine

FILES = {"go.mod": "module demo\n", "main.go": "package main\n"}
CROSS = (
    "app demo\n"
    "platforms linux/amd64 linux/arm64 linux/arm/v7\n"
    "build go semsuite {\n"
    '    run echo "$GOOS $GOARCH $(uname -m) $TARGETPLATFORM" > /seen\n'
    "    run go build -o /out/demo .\n"
    "    artifact /out/demo\n"
    "}\n"
    "runtime scratch {\n"
    "    cmd demo\n"
    "}\n"
)


def _seen(image: str) -> str:
    return tree(image)["/seen"].data.decode().strip()


@case("platforms", "toolchain.go")
@pytest.mark.parametrize(
    "platform, goos_goarch",
    [
        ("linux/arm64", "linux arm64"),
        ("linux/arm/v7", "linux arm"),
        ("linux/amd64", "linux amd64"),
    ],
)
def test_a_go_build_runs_on_the_build_machine_for_the_target(platform, goos_goarch):
    image = build(CROSS, FILES, target="build", platform=platform)
    # The stage ran on this (amd64) machine, with GOOS/GOARCH of the target.
    assert _seen(image) == f"{goos_goarch} x86_64 {platform}"
    goarm = [c for c in calls(image) if c.startswith("go env")]
    assert goarm == (["go env -w GOARM=7"] if platform == "linux/arm/v7" else [])


@case("platforms")
def test_the_runtime_is_an_image_of_the_target_platform():
    image = build(CROSS, FILES, platform="linux/arm64")
    found = inspect(image)
    assert (found["Os"], found["Architecture"]) == ("linux", "arm64")
    assert tree(image)["/usr/local/bin/demo"].kind == "file"


@case("arg")
def test_a_platform_arg_is_declared_where_it_is_read():
    # Without `platforms` too: ${TARGETARCH} reads BuildKit's value, not an empty string.
    source = (
        "app demo\n"
        "build go semsuite {\n"
        '    run echo "$TARGETOS/$TARGETARCH" > /arch\n'
        "}\n"
        "runtime scratch {\n"
        "    env ARCH=${TARGETARCH}\n"
        "    cmd demo\n"
        "}\n"
    )
    image = build(source, FILES, target="build")
    assert tree(image)["/arch"].data.decode().strip() == "linux/amd64"


@case("platforms", "toolchain.node")
def test_a_node_build_of_assets_runs_on_the_build_machine():
    source = (
        "app demo\n"
        "platforms linux/arm64\n"
        "build node semsuite {\n"
        '    run echo "$(uname -m) $TARGETPLATFORM" > /seen\n'
        "    run npm run build\n"
        "    artifact dist\n"
        "}\n"
        "runtime scratch {\n"
        "    cmd demo\n"
        "}\n"
    )
    files = {"package.json": "{}\n", "package-lock.json": "{}\n"}
    image = build(source, files, target="build", platform="linux/arm64")
    assert _seen(image) == "x86_64 linux/arm64"


@case("platforms", "test")
def test_a_test_of_a_cross_build_builds_for_the_machine_it_runs_on():
    source = CROSS.replace(
        "runtime scratch",
        'test from build {\n    run echo "$GOOS $GOARCH" > /test-seen\n}\nruntime scratch',
    )
    image = build(source, FILES, target="test", platform="linux/arm64")
    assert tree(image)["/test-seen"].data.decode().strip() == "linux amd64"
    assert _seen(image) == "linux arm64 x86_64 linux/arm64"  # the build's own, unchanged


RUST = (
    "app demo\n"
    "platforms linux/amd64 linux/arm64\n"
    "build rust semsuite {\n"
    "    links static\n"
    '    run echo "$(uname -m) $TARGETPLATFORM" > /seen\n'
    "    run cargo build --release\n"
    "    artifact target/release/demo\n"
    "}\n"
    "runtime scratch {\n"
    "    cmd demo\n"
    "}\n"
)
RUST_FILES = {"Cargo.toml": '[package]\nname = "demo"\n', "src/main.rs": "fn main() {}\n"}


@case("platforms", "toolchain.rust")
@pytest.mark.parametrize(
    "platform, triple, cross",
    [
        ("linux/arm64", "aarch64-unknown-linux-gnu", "gcc-aarch64-linux-gnu libc6-dev-arm64-cross"),
        ("linux/amd64", "x86_64-unknown-linux-gnu", "gcc-x86-64-linux-gnu libc6-dev-amd64-cross"),
    ],
)
def test_a_rust_build_runs_on_the_build_machine_for_the_target(platform, triple, cross):
    build_image = build(RUST, RUST_FILES, target="build", platform=platform)
    assert _seen(build_image) == f"x86_64 {platform}"  # on this machine, no emulator
    ran = calls(build_image)
    # Every declared platform's standard library, and this platform's cross linker (the
    # stand-in has no gcc of any platform, so each platform installs its own).
    assert "rustup target add aarch64-unknown-linux-gnu x86_64-unknown-linux-gnu" in ran
    assert f"apt-get install -y --no-install-recommends {cross}" in ran
    assert not [c for c in ran if c.startswith("apt-get install") and cross not in c]
    config = tree(build_image)["/usr/local/cargo/config.toml"].data.decode()
    assert f'[build]\ntarget = "{triple}"\n' in config
    assert '[target.aarch64-unknown-linux-gnu]\nlinker = "aarch64-linux-gnu-gcc"\n' in config
    # The runtime gets what cargo built for the platform, from target/<triple>/release.
    image = build(RUST, RUST_FILES, platform=platform)
    shipped = tree(image)["/usr/local/bin/demo"].data.decode()
    assert f"made by cargo --profile release --target {triple}" in shipped


@case("platforms", "test")
def test_a_test_of_a_rust_cross_build_builds_for_the_build_machine():
    test = "test from build {\n    run cargo build\n}\n"
    source = RUST.replace("runtime scratch", test + "runtime scratch")
    image = build(source, RUST_FILES, target="test", platform="linux/arm64")
    config = tree(image)["/usr/local/cargo/config.toml"].data.decode()
    assert "target = " not in config and "linker = " in config  # cargo's default: this machine
    assert _seen(image) == "x86_64 linux/arm64"  # the build's own, unchanged


CMAKE = (
    "app cmakecross\n"
    "platforms linux/amd64 linux/arm64\n"
    "build cmake bookworm-semsuite {\n"
    "    links static\n"
    '    run echo "$(uname -m) $TARGETPLATFORM" > /seen\n'
    "    run cmake -S . -B build && cmake --build build\n"
    "    artifact build/tiles\n"
    "}\n"
    "runtime scratch {\n"
    "    cmd tiles\n"
    "}\n"
)
CMAKE_FILES = {"CMakeLists.txt": "project(tiles CXX)\n", "main.cpp": "// 1\n"}


@case("platforms", "toolchain.cmake")
def test_a_cmake_build_runs_on_the_build_machine_with_the_target_compilers():
    built = build(CMAKE, CMAKE_FILES, target="build", platform="linux/arm64")
    assert _seen(built) == "x86_64 linux/arm64"  # on this machine, no emulator
    assert "apt-get install -y --no-install-recommends g++-aarch64-linux-gnu" \
        " libc6-dev-arm64-cross" in calls(built)
    toolchain = tree(built)["/usr/local/share/cmake-cross/toolchain.cmake"].data.decode()
    assert "set(CMAKE_SYSTEM_PROCESSOR aarch64)" in toolchain
    assert "set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)" in toolchain
    # The build machine's own platform is not cross-compiling (its compiler by the
    # triplet's name; the stand-in, which has none, installs it).
    native = build(CMAKE, CMAKE_FILES, target="build", platform="linux/amd64")
    toolchain = tree(native)["/usr/local/share/cmake-cross/toolchain.cmake"].data.decode()
    assert "CMAKE_SYSTEM_NAME" not in toolchain
    assert "set(CMAKE_CXX_COMPILER x86_64-linux-gnu-g++)" in toolchain


@case("platforms", "cache")
def test_a_build_folder_another_platform_filled_is_emptied_first():
    # One cache for both platforms (a mount's id cannot name one): CMake keeps the
    # compiler of its first configure, so the second platform must start from scratch.
    for platform, compiler in (
        ("linux/amd64", "x86_64-linux-gnu-g++"),
        ("linux/arm64", "aarch64-linux-gnu-g++"),
        ("linux/amd64", "x86_64-linux-gnu-g++"),
    ):
        image = build(CMAKE, CMAKE_FILES, platform=platform)
        shipped = tree(image)["/usr/local/bin/tiles"].data.decode()
        assert f"made by cmake {compiler}" in shipped, platform


@case("platforms", "test")
def test_go_test_in_a_cross_build_is_warned_and_a_test_of_it_builds_for_the_machine():
    """`go test` in a cross build builds for the target (GOARCH=arm64) and runs that on the
    build machine (x86_64): "exec format error" with the real toolchain. ship warns, and a
    test of the build runs it for the build machine's own platform."""
    import shipc

    source = (
        "app demo\n"
        "platforms linux/amd64 linux/arm64\n"
        "build go semsuite {\n"
        '    run go test ./... && echo "$GOARCH $(uname -m)" > /seen\n'
        "    run go build -o /out/demo .\n"
        "    artifact /out/demo\n"
        "}\n"
        "test from build {\n"
        '    run go test ./... && echo "$GOARCH $(uname -m)" > /seen\n'
        "}\n"
        "runtime scratch {\n"
        "    cmd demo\n"
        "}\n"
    )
    warned = [d for d in shipc.compile_source(source, "case.ship").warnings]
    assert [d.span.line for d in warned if "'go test' in a build that cross" in d.message] == [4]
    built = build(source, FILES, target="build", platform="linux/arm64")
    assert _seen(built) == "arm64 x86_64"  # what go test would build, and where it runs
    tested = build(source, FILES, target="test", platform="linux/arm64")
    assert _seen(tested) == "amd64 x86_64"

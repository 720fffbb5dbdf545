"""`binary`, executed: the fake `go` and `cargo` record the argument vector they were given
(each word apart), and the programs they make land in the runtime as `artifact` lines'
would: among the programs, the one received run by the implied entrypoint, a cross build's
taken from the target's folder."""

from __future__ import annotations

import pytest

from semantics.harness import build, calls, case, config, sh, tree

pytestmark = pytest.mark.engine

ARGV = "/var/lib/ship-sem/argv"
GO_FILES = {"go.mod": "module demo\n", "main.go": "package main\n"}
RUST_FILES = {"Cargo.toml": '[package]\nname = "demo"\n', "src/main.rs": "fn main() {}\n"}


def _argv(image: str) -> list[str]:
    found = tree(image).get(ARGV)
    return found.data.decode().splitlines() if found else []


@case("binary", "toolchain.go")
def test_a_go_package_is_built_with_the_presets_flags_and_run_by_the_runtime():
    source = (
        "app demo\n"
        "build go semsuite { binary ./cmd/api }\n"
        "runtime debian semsuite { }\n"
    )
    files = {**GO_FILES, "cmd/api/main.go": "package main\n"}
    image = build(source, files)
    # One word each: -ldflags takes "-s -w" whole, the output and the package follow.
    assert _argv(build(source, files, target="build")) == [
        "GOOS= GOARCH= go [build] [-trimpath] [-ldflags=-s -w] [-o] [/out/api] [./cmd/api]"
    ]
    assert config(image)["Entrypoint"] == ["api"]  # the one program received
    assert sh(image, "stat -c '%u %a' /usr/local/bin/api; api") == (
        "0 755\napi made by go CGO_ENABLED=0\n"
    )


@case("binary", "arg")
def test_go_packages_options_and_run_lines_run_in_the_order_written():
    source = (
        "app shop\n"
        "arg VERSION=dev\n"
        "build go semsuite {\n"
        "    run echo before >> /var/lib/ship-sem/calls\n"
        '    binary . ./cmd/api ./cmd/worker ldflags="-X main.version=${VERSION}"'
        " tags=netgo,osusergo\n"
        "    run echo after >> /var/lib/ship-sem/calls && echo own > /own\n"
        "    artifact /own -> /etc/own\n"
        "}\n"
        "runtime debian semsuite { ships api worker shop /own }\n"
    )
    files = {**GO_FILES, "cmd/api/main.go": "", "cmd/worker/main.go": ""}
    image = build(source, files, build_args={"VERSION": "1.2.3"})
    built = build(source, files, build_args={"VERSION": "1.2.3"}, target="build")
    flags = "[-trimpath] [-ldflags=-s -w -X main.version=1.2.3] [-tags=netgo,osusergo]"
    assert _argv(built) == [
        f"GOOS= GOARCH= go [build] {flags} [-o] [/out/] [./cmd/api] [./cmd/worker]",
        f"GOOS= GOARCH= go [build] {flags} [-o] [/out/shop] [.]",
    ]
    ran = [c for c in calls(built) if c.split()[0] in ("before", "after", "go")]
    assert ran[-4:] == ["before", f"go build {flags.replace('[', '').replace(']', '')}"
                        " -o /out/ ./cmd/api ./cmd/worker",
                        f"go build {flags.replace('[', '').replace(']', '')} -o /out/shop .",
                        "after"]
    # Every program, and the build's own artifact line beside them.
    out = sh(image, "api; worker; shop; cat /etc/own")
    assert out.split("\n")[:4] == [
        "api made by go CGO_ENABLED=0",
        "worker made by go CGO_ENABLED=0",
        "shop made by go CGO_ENABLED=0",
        "own",
    ]


@case("binary", "platforms")
def test_a_go_cross_build_builds_after_the_target_is_set():
    source = (
        "app demo\n"
        "platforms linux/amd64 linux/arm64\n"
        "build go semsuite { binary . }\n"
        "runtime scratch { }\n"
    )
    built = build(source, GO_FILES, target="build", platform="linux/arm64")
    assert _argv(built) == [
        "GOOS=linux GOARCH=arm64 go [build] [-trimpath] [-ldflags=-s -w] [-o] [/out/demo] [.]"
    ]
    image = build(source, GO_FILES, platform="linux/arm64")
    assert config(image)["Entrypoint"] == ["demo"]
    assert tree(image)["/usr/local/bin/demo"].kind == "file"


@case("binary", "toolchain.rust", "manager.cargo")
def test_cargo_bins_are_lifted_out_of_the_target_cache():
    source = (
        "app demo\n"
        "build rust semsuite { binary demo tool }\n"
        "runtime debian semsuite { ships demo }\n"
    )
    image = build(source, RUST_FILES)
    build_image = build(source, RUST_FILES, target="build")
    assert "cargo build --release --locked --bin demo --bin tool" in calls(build_image)
    assert sh(image, "demo; ls /usr/local/bin") == (
        "demo made by cargo --profile release\ndemo\n"  # `ships demo`: not the tool
    )
    assert config(image)["Entrypoint"] == ["demo"]
    built = tree(build_image)
    assert "/src/target/release/demo" not in built  # the target folder is a cache mount
    assert built["/out/src/target/release/tool"].kind == "file"  # copied out in the RUN


@case("binary", "platforms", "toolchain.rust")
def test_a_rust_cross_build_ships_the_targets_program():
    source = (
        "app demo\n"
        "platforms linux/amd64 linux/arm64\n"
        "build rust semsuite {\n"
        "    links static\n"
        "    binary demo\n"
        "}\n"
        "runtime scratch { }\n"
    )
    image = build(source, RUST_FILES, platform="linux/arm64")
    shipped = tree(image)["/usr/local/bin/demo"].data.decode()
    assert "made by cargo --profile release --target aarch64-unknown-linux-gnu" in shipped
    assert config(image)["Entrypoint"] == ["demo"]

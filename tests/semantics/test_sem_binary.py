"""`binary`, executed: the fake `go` and `cargo` record the argument vector they were given
(each word apart), and the programs they make land in the runtime as `artifact` lines'
would: among the programs, the one received run by the implied entrypoint, a cross build's
taken from the target's folder."""

from __future__ import annotations

import pytest
from e2e.engine import docker

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


@case("binary", "toolchain.go", "entrypoint")
def test_a_go_program_lands_under_the_name_its_destination_gives_and_runs():
    """`-> /usr/local/bin/status-page`: Go builds the program under that name (the fake
    program says the name it was built as), it lands there, and `docker run` runs it."""
    source = (
        "app status-page\n"
        "build go semsuite {\n"
        '    binary ./cmd/server ldflags="-X main.v=1" -> /usr/local/bin/status-page\n'
        "}\n"
        "runtime debian semsuite { ships status-page }\n"
    )
    files = {**GO_FILES, "cmd/server/main.go": "package main\n"}
    built = build(source, files, target="build")
    assert _argv(built) == [
        "GOOS= GOARCH= go [build] [-trimpath] [-ldflags=-s -w -X main.v=1] [-o]"
        " [/out/status-page] [./cmd/server]"
    ]
    image = build(source, files)
    assert config(image)["Entrypoint"] == ["status-page"]
    assert sh(image, "ls /usr/local/bin; stat -c '%u %a' /usr/local/bin/status-page") == (
        "status-page\n0 755\n"  # the one program, root's, under the name given
    )
    ran = docker("run", "--rm", image, check=True)
    assert ran.stdout == "status-page made by go CGO_ENABLED=0\n"


@case("binary", "toolchain.rust", "manager.cargo")
def test_a_rust_program_is_renamed_by_the_copy_and_run_by_that_name():
    """Cargo names the program after its target: `binary demo -> /usr/bin/rs` ships
    target/release/demo as /usr/bin/rs, the runtime's entrypoint."""
    source = (
        "app demo\n"
        "build rust semsuite { binary demo -> /usr/bin/rs }\n"
        "runtime debian semsuite { }\n"
    )
    image = build(source, RUST_FILES)
    assert config(image)["Entrypoint"] == ["rs"]
    assert sh(image, "test ! -e /usr/bin/demo && ls /usr/local/bin; rs") == (
        "demo made by cargo --profile release\n"  # nothing in /usr/local/bin: it is rs
    )
    ran = docker("run", "--rm", image, check=True)
    assert ran.stdout == "demo made by cargo --profile release\n"


@case("binary", "toolchain.go")
def test_programs_into_a_folder_keep_their_names_and_one_received_alone_runs():
    """`-> /usr/bin/`: each program lands there by its own name; a runtime that receives
    one runs it, one that receives both names none (the base's own command stays)."""
    source = (
        "app shop\n"
        "build go semsuite { binary ./cmd/api ./cmd/worker -> /usr/bin/ }\n"
        "runtime api: debian semsuite { ships api }\n"
        "runtime all: debian semsuite { }\n"
    )
    files = {**GO_FILES, "cmd/api/main.go": "", "cmd/worker/main.go": ""}
    api = build(source, files, target="api")
    assert config(api)["Entrypoint"] == ["api"]
    assert sh(api, "test ! -e /usr/bin/worker && ls /usr/local/bin; api") == (
        "api made by go CGO_ENABLED=0\n"
    )
    assert docker("run", "--rm", api, check=True).stdout == "api made by go CGO_ENABLED=0\n"
    both = build(source, files, target="all")
    assert config(both)["Entrypoint"] is None
    assert sh(both, "api; worker") == (
        "api made by go CGO_ENABLED=0\nworker made by go CGO_ENABLED=0\n"
    )

"""Cross-compilation on the real engine, without emulation: the Go app of apps/go and the
Rust app of apps/rust, with `platforms` declared, built with Debian's Go (golang:1.19) and
Rust (rust:1.63-bookworm, with the arm64 standard library), and the C++ app of
apps/cmake with Debian's CMake and g++, on this machine for other platforms; the ELF header
of the shipped binary names the target's architecture. The Rust and CMake builds install
Debian's cross compilers for arm64 themselves (their generated `case`). The Go and Rust
builds say their program with `binary`: the preset's `go build` runs after GOOS/GOARCH are
set, and cargo's program is taken from the target's own folder of its cache.

The runtime is `scratch`: it runs nothing, so the target platform's image needs no
emulator and no registry (a base image of another platform would have to be pulled).
"""
from __future__ import annotations

import io
import shutil
import tarfile
import uuid
from pathlib import Path

import pytest
import shipc
from e2e.engine import docker
from e2e.images import ensure_images

pytestmark = pytest.mark.engine

APPS = Path(__file__).resolve().parent / "apps"
APP = APPS / "go"
SHIP = """\
app hello-go
platforms linux/amd64 linux/arm64 linux/arm/v7

build go 1.19 { binary . }

runtime scratch {
    cmd hello-go
}
"""
# ELF: e_ident[EI_CLASS] (1: 32-bit, 2: 64-bit) and e_machine (little-endian, at 18).
MACHINES = {"linux/arm64": (2, 183), "linux/arm/v7": (1, 40), "linux/amd64": (2, 62)}


# Static (glibc's libc.a of the cross C library), so that scratch runs it.
RUST_SHIP = """\
app hello-rust
platforms linux/amd64 linux/arm64

build rust 1.63 bookworm {
    links static
    env RUSTFLAGS="-C target-feature=+crt-static"
    packages gcc-aarch64-linux-gnu=4:12.2.0-3 libc6-dev-arm64-cross=2.36-8cross1
    binary hello-rust
}

runtime scratch {
    cmd hello-rust
}
"""


# Static (-static through LDFLAGS, which CMake reads at the first configure), for scratch.
CMAKE_SHIP = """\
app hello-cmake
platforms linux/amd64 linux/arm64

build cmake bookworm-slim {
    links static
    env LDFLAGS=-static
    packages cmake=3.25.1-1 g++=4:12.2.0-3 make=4.3-4.1
    packages g++-aarch64-linux-gnu=4:12.2.0-3 libc6-dev-arm64-cross=2.36-8cross1
    run cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build
    artifact build/hello-cmake
}

runtime scratch {
    cmd hello-cmake
}
"""


def _context(tmp_path_factory, app: Path, source: str) -> Path:
    try:
        ensure_images()
    except RuntimeError as e:
        pytest.fail(f"could not make the base images: {e}", pytrace=False)
    root = tmp_path_factory.mktemp("cross")
    shutil.copytree(app, root, dirs_exist_ok=True)
    (root / "Dockerfile").write_text(shipc.compile_source(source, "app.ship").dockerfile)
    return root


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    return _context(tmp_path_factory, APP, SHIP)


@pytest.fixture(scope="module")
def rust_context(tmp_path_factory):
    return _context(tmp_path_factory, APPS / "rust", RUST_SHIP)


@pytest.fixture(scope="module")
def cmake_context(tmp_path_factory):
    return _context(tmp_path_factory, APPS / "cmake", CMAKE_SHIP)


def _binary(image: str, name: str = "hello-go") -> bytes:
    created = docker("create", image, "/none", check=True).stdout.strip()
    try:
        p = docker("export", created, capture_output=True, text=False, check=True)
    finally:
        docker("rm", created)
    with tarfile.open(fileobj=io.BytesIO(p.stdout)) as tar:
        return tar.extractfile(f"usr/local/bin/{name}").read()


@pytest.mark.parametrize("platform", list(MACHINES))
def test_go_app_is_cross_compiled_for_the_target(context, platform):
    tag = f"ship-e2e-lang-platform-cross:{uuid.uuid4().hex[:10]}"
    p = docker("build", "--progress=plain", "--platform", platform, "-t", tag, str(context))
    assert p.returncode == 0, p.stderr[-4000:]
    try:
        arch = docker("image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", tag).stdout
        assert arch.strip() == "/".join(platform.split("/")[:2])
        elf = _binary(tag)
        assert elf[:4] == b"\x7fELF"
        assert (elf[4], int.from_bytes(elf[18:20], "little")) == MACHINES[platform]
        if platform == "linux/arm/v7":  # Go records its build settings in the binary
            assert b"GOARM=7" in elf
    finally:
        docker("rmi", "-f", tag)


@pytest.mark.parametrize("app", ["rust", "cmake"])
@pytest.mark.parametrize("platform", ["linux/arm64", "linux/amd64"])
def test_rust_and_cmake_apps_are_cross_compiled_for_the_target(request, app, platform):
    context = request.getfixturevalue(f"{app}_context")
    tag = f"ship-e2e-crossrust-{app}:{uuid.uuid4().hex[:10]}"
    p = docker("build", "--progress=plain", "--platform", platform, "-t", tag, str(context))
    assert p.returncode == 0, p.stderr[-4000:]
    try:
        arch = docker("image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", tag).stdout
        assert arch.strip() == platform
        elf = _binary(tag, f"hello-{app}")
        assert elf[:4] == b"\x7fELF"
        assert (elf[4], int.from_bytes(elf[18:20], "little")) == MACHINES[platform]
        if platform == "linux/amd64":  # this machine's own: it runs, on scratch
            run = docker("run", "--rm", tag)
            assert run.stdout.startswith(f"hello from {app}"), run.stderr
    finally:
        docker("rmi", "-f", tag)

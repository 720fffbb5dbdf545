"""Preset tags: combined variants, distro releases, distroless per release and language,
node and python on Alpine, nginx for static files, digest pins. Asserted on the FROM lines
and the fit checks they feed."""

from __future__ import annotations

import pytest
import shipc
from shipc.presets import version_parts

DIGEST = "sha256:" + "ab" * 32


def _froms(source: str) -> list[str]:
    text = shipc.compile_source(source, "t.ship").dockerfile
    return [line.split()[1] for line in text.splitlines() if line.startswith("FROM ")]


def _errors(source: str) -> list[str]:
    try:
        shipc.compile_source(source, "t.ship")
    except shipc.ShipErrors as e:
        return [f"{d.span.line}:{d.span.column}: {d.message}" for d in e.diagnostics if d.is_error]
    return []


def _hints(source: str) -> list[str]:
    with pytest.raises(shipc.ShipErrors) as caught:
        shipc.compile_source(source, "t.ship")
    return [d.hint or "" for d in caught.value.diagnostics if d.is_error]


def _build(head: str, runtime: str = "scratch") -> str:
    return (
        f"app a\nbuild {head} {{\n    links static\n    run make\n"
        "    artifact /out/a -> /usr/local/bin/a\n}\n"
        f"runtime {runtime} {{\n    cmd a\n}}\n"
    )


@pytest.mark.parametrize(
    "head, image",
    [
        ("rust 1.89 alpine 3.22", "rust:1.89-alpine3.22"),
        ("rust 1.89 alpine", "rust:1.89-alpine"),
        ("rust 1.89 slim bookworm", "rust:1.89-slim-bookworm"),
        ("rust 1.89 bookworm slim", "rust:1.89-slim-bookworm"),  # the tag's order, not the words'
        ("go 1.25 trixie", "golang:1.25-trixie"),
        ("go 1.22 alpine 3.20", "golang:1.22-alpine3.20"),
        ("python 3.12 slim bookworm", "python:3.12-slim-bookworm"),
        ("node 22 slim bookworm", "node:22-bookworm-slim"),
        (f"go 1.22 alpine 3.20 @{DIGEST}", f"golang:1.22-alpine3.20@{DIGEST}"),
    ],
)
def test_toolchain_tags(head, image):
    runtime = "python 3.12 slim" if head.startswith("python") else "scratch"
    assert _froms(_build(head, runtime))[0] == image


@pytest.mark.parametrize(
    "head, image",
    [
        ("distroless static", "gcr.io/distroless/static-debian12:nonroot"),
        ("distroless static debian13", "gcr.io/distroless/static-debian13:nonroot"),
        ("distroless cc debian11", "gcr.io/distroless/cc-debian11:nonroot"),
        ("distroless base debian12", "gcr.io/distroless/base-debian12:nonroot"),
        ("distroless nodejs 22 debian13", "gcr.io/distroless/nodejs22-debian13:nonroot"),
        ("distroless java 17 debian12", "gcr.io/distroless/java17-debian12:nonroot"),
        ("distroless python3 debian13", "gcr.io/distroless/python3-debian13:nonroot"),
        (f"distroless cc @{DIGEST}", f"gcr.io/distroless/cc-debian12:nonroot@{DIGEST}"),
        ("node 22 alpine 3.22", "node:22-alpine3.22"),
        ("python 3.13 slim trixie", "python:3.13-slim-trixie"),
        ("nginx 1.28 alpine", "nginxinc/nginx-unprivileged:1.28-alpine"),
        ("nginx 1.28", "nginxinc/nginx-unprivileged:1.28"),
    ],
)
def test_runtime_tags(head, image):
    source = "app a\nbuild c 14 {\n    links static\n    run make\n    artifact /out/a\n}\n"
    assert _froms(source + f"runtime {head} {{\n    cmd a\n}}\n")[-1] == image


def test_the_version_a_fit_check_compares_is_the_leading_numeric_part():
    assert version_parts("3.12-slim-bookworm") == {
        "version": "3.12-slim-bookworm",
        "major": "3",
        "minor": "3.12",
    }
    assert version_parts("22-alpine")["major"] == "22"
    # A version given by an arg is compared by its numeric part too.
    source = (
        "app a\narg PY=3.12-slim\nbuild python ${PY} {\n    run make\n}\n"
        "runtime python 3.12 slim {\n    cmd python a.py\n}\n"
    )
    assert _errors(source) == []


def test_a_distroless_python3_has_its_releases_python():
    source = (
        "app a\nbuild python 3.11 {\n    run make\n}\n"
        "runtime distroless python3 debian13 {\n    cmd a.py\n}\n"
    )
    (found,) = _errors(source)
    assert "need Python 3.11, but runtime 'runtime' has Python 3.13" in found
    # debian12 has Python 3.11: what differs is where it is installed.
    (found,) = _errors(source.replace("debian13", "debian12"))
    assert "need Python installed under /usr/local, but runtime 'runtime' has Python" in found


@pytest.mark.parametrize(
    "head, expected",
    [
        ("rust alpine 3.22", "3:19: '3.22' after 'alpine' could be the version of 'rust'"),
        ("rust 1.89 alpine 3.22 3.21", "3:29: unexpected '3.21' after the version"),
        ("rust 1.89 slim alpine", "3:22: 'slim' and 'alpine' are both flavours of 'rust'"),
        ("rust 1.89 bookworm trixie", "3:26: 'bookworm' and 'trixie' are both releases"),
        ("rust 1.89 @sha256:abc", "3:17: invalid digest '@sha256:abc'"),
        (f"rust 1.89 @{DIGEST} @{DIGEST}", "3:90: a preset takes one digest"),
    ],
)
def test_tags_ship_refuses(head, expected):
    found = _errors("app a\n\n" + _build(head).removeprefix("app a\n"))
    assert any(f.startswith(expected) for f in found), found


def test_scratch_has_no_digest():
    found = _errors(_build("go 1.22", f"scratch @{DIGEST}"))
    assert found == ["7:17: 'scratch' is no image, so it has no digest"], found


def test_a_variant_brings_its_package_manager_and_shell():
    source = (
        "app a\nruntime node 22 alpine {\n    packages tini=0.19\n"
        "    run echo a | cat\n    cmd node a.js\n}\n"
    )
    text = shipc.compile_source(source, "t.ship").dockerfile
    assert 'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]' in text
    assert "apk add --no-cache tini=0.19" in text and "apt-get" not in text


def test_an_image_that_runs_as_its_own_user_gets_root_for_installing_only():
    source = "app a\nruntime nginx 1.28 {\n    packages curl=8\n}\n"
    lines = shipc.compile_source(source, "t.ship").dockerfile.splitlines()
    users = [line for line in lines if line.startswith("USER ")]
    assert users == ["USER 0:0", "USER 101:101"]
    assert lines.index("USER 0:0") < next(i for i, x in enumerate(lines) if "apt-get" in x)
    plain = shipc.compile_source("app a\nruntime nginx 1.28 {\n}\n", "t.ship").dockerfile
    assert [x for x in plain.splitlines() if x.startswith("USER ")] == ["USER 101:101"]


def _image_runtime(family: str, build: str = "go 1.22", body: str = "") -> str:
    return (
        f"app a\nbuild {build} {{\n    run make\n    artifact /out/a\n}}\n"
        f"runtime image example.com/base:1 {{\n    family {family}\n{body}    cmd a\n}}\n"
    )


@pytest.mark.parametrize(
    "family, installs, shell",
    [
        ("debian", "apt-get install -y --no-install-recommends curl=8", "/bin/bash"),
        ("alpine", "apk add --no-cache curl=8", "/bin/ash"),
    ],
)
def test_an_image_of_a_declared_family_installs_packages_and_knows_its_shell(
    family, installs, shell
):
    source = _image_runtime(family, body="    packages curl=8\n    run echo a | cat\n")
    text = shipc.compile_source(source, "t.ship").dockerfile
    assert installs in text and f'SHELL ["{shell}"' in text


def test_a_family_tells_the_fit_checks_its_c_library_only():
    dynamic = "    env RUSTFLAGS=\"-C target-feature=-crt-static\"\n"  # else static on musl
    musl = _image_runtime("debian", "rust 1.89 alpine").replace("    run make\n", dynamic)
    (found,) = _errors(musl)
    assert "need musl libc, but runtime 'runtime' has glibc" in found
    alpine = _image_runtime("alpine", "rust 1.89 alpine").replace("    run make\n", dynamic)
    assert _errors(alpine) == []
    # What else the image has is unknown: no error for Python, none claimed.
    venv = _image_runtime("debian", "python 3.12").replace("artifact /out/a", "artifact app.py")
    assert _errors(venv) == []


def test_base_env_names_what_the_image_sets():
    source = (
        "app a\nruntime image example.com/dotnet/aspnet:8.0 {\n    base-env TOOL_UID\n"
        "    user ${TOOL_UID}\n    cmd dotnet a.dll\n}\n"
    )
    assert "USER ${TOOL_UID}" in shipc.compile_source(source, "t.ship").dockerfile
    (found,) = _errors(source.replace("    base-env TOOL_UID\n", ""))
    assert found.startswith("3:10: undefined variable 'TOOL_UID'")
    # Stages built from it read it too.
    child = source + "runtime debug: from runtime {\n    env UID_COPY=${TOOL_UID}\n}\n"
    assert _errors(child) == []


@pytest.mark.parametrize(
    "build, runtime, message",
    [
        (
            "python 3.12 alpine",
            "python 3.12 slim",
            "need musl libc, but runtime 'runtime' has glibc",
        ),
        (
            "python 3.12 slim",
            "python 3.12 alpine",
            "need glibc, but runtime 'runtime' has musl libc",
        ),
        ("python 3.12 alpine 3.22", "python 3.12 alpine 3.22", None),
    ],
)
def test_python_wheels_need_the_c_library_they_were_built_for(build, runtime, message):
    source = f"app a\nbuild {build} {{\n    run make\n}}\n"
    source += f"runtime {runtime} {{\n    cmd python a.py\n}}\n"
    found = _errors(source)
    assert [message in f for f in found] == ([True] if message else []), found


@pytest.mark.parametrize("runtime", ["scratch", "distroless static", "alpine 3.20", "debian 12"])
def test_rust_on_alpine_links_statically_and_runs_anywhere(runtime):
    """Rust's musl targets (rust:alpine's default) link the C library in (crt-static)."""
    source = f"app a\nbuild rust 1.89 alpine {{\n    binary a\n}}\nruntime {runtime} {{\n}}\n"
    assert _errors(source) == []


@pytest.mark.parametrize(
    "turned_off",
    [
        '    env RUSTFLAGS="-C target-feature=-crt-static"\n',
        '    run RUSTFLAGS="-C target-feature=-crt-static" cargo build --release\n',
        "    links dynamic\n",
    ],
)
def test_rust_on_alpine_without_crt_static_needs_musl(turned_off):
    source = (
        f"app a\nbuild rust 1.89 alpine {{\n{turned_off}    run cargo build --release\n"
        "    artifact target/release/a\n}\nruntime scratch {\n    cmd a\n}\n"
    )
    (found,) = _errors(source)
    assert "need musl libc, but runtime 'runtime' has no C library" in found
    (hint,) = _hints(source)
    assert "alpine" in hint


def test_rust_on_debian_needs_glibc_and_the_hint_names_alpine():
    source = "app a\nbuild rust 1.89 {\n    binary a\n}\nruntime scratch {\n}\n"
    (found,) = _errors(source)
    assert "need glibc, but runtime 'runtime' has no C library" in found
    (hint,) = _hints(source)
    assert "'build rust VERSION alpine'" in hint


def test_a_release_may_come_from_an_arg_and_is_checked_like_a_version():
    source = (
        "app a\narg ALPINE=3.22\nbuild rust 1.89 alpine ${ALPINE} {\n    links static\n"
        "    run make\n    artifact /out/a -> /usr/local/bin/a\n}\n"
        "runtime scratch {\n    cmd a\n}\n"
    )
    compiled = shipc.compile_source(source, "t.ship")
    assert "FROM rust:1.89-alpine${ALPINE} AS build" in compiled.dockerfile
    assert compiled.warnings == ()  # the arg counts as used
    (found,) = _errors(source.replace("${ALPINE}", "${ALPINEE}"))
    assert found.startswith("3:24: undefined variable 'ALPINEE'"), found

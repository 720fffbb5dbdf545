"""Cache mounts that hold a project's build output get an id of the app's own, and a stage
built from a build or test stage runs with that stage's caches (their engine counterparts
are in tests/semantics/test_sem_mounts.py)."""

from __future__ import annotations

import pytest
from test_lower import compile_text, stage


def _runs(text: str, name: str) -> list[str]:
    return [line for line in stage(text, name) if line.startswith("RUN")]


def _mounts(line: str) -> list[str]:
    return [w for w in line.split() if w.startswith("--mount=type=cache,")]


RUST = """
app {app}
build rust 1.79 {{
    {cache}
    run cargo build --release && cp target/release/demo /out/demo
    artifact /out/demo
}}
runtime distroless cc {{
}}
"""


def _rust(app: str = "demo", cache: str = "") -> list[str]:
    return _mounts(_runs(compile_text(RUST.format(app=app, cache=cache)), "build")[-1])


def test_a_build_output_cache_gets_an_id_of_the_app_and_stage():
    assert "--mount=type=cache,target=/src/target,id=demo:build:/src/target" in _rust()
    # Two apps on one builder: two target folders. Downloads stay shared (content-addressed).
    assert "--mount=type=cache,target=/src/target,id=other:build:/src/target" in _rust("other")
    assert "--mount=type=cache,target=/usr/local/cargo/registry" in _rust()


def test_an_id_given_on_the_cache_line_wins_and_sharing_keeps_the_default_id():
    assert "--mount=type=cache,target=/src/target,id=mine" in _rust(cache="cache target id=mine")
    locked = _rust(cache="cache target sharing=locked")
    default = "--mount=type=cache,target=/src/target,id=demo:build:/src/target"
    assert default + ",sharing=locked" in locked


def test_an_app_name_keeps_only_the_characters_of_a_mount_option():
    assert "--mount=type=cache,target=/src/target,id=my-shop-:build:/src/target" in _rust(
        '"my shop!"'
    )


CMAKE = """
app projb
build cmake {
    cache build id=projb-build
    run cmake -S . -B build && cmake --build build
}
test unit: from build {
    run cd build && ctest
}
test again: from unit {
    run cd build && ctest
}
runtime debian {
}
"""


@pytest.mark.parametrize("name", ["unit", "again"])
def test_a_test_of_a_build_runs_with_the_builds_cache_options(name):
    text = compile_text(CMAKE)
    build = "--mount=type=cache,target=/src/build,id=projb-build,sharing=locked"
    assert _mounts(_runs(text, "build")[-1]) == [build]
    assert _mounts(_runs(text, name)[-1]) == [build]


def test_a_test_of_a_build_mounts_the_builds_output_cache_by_the_builds_id():
    text = compile_text(CMAKE.replace(" id=projb-build", ""))
    build = "--mount=type=cache,target=/src/build,id=projb:build:/src/build,sharing=locked"
    assert _mounts(_runs(text, "build")[-1]) == [build]
    assert _mounts(_runs(text, "unit")[-1]) == [build]


GO = """
app demo
build go 1.22 {
    cache /go/pkg/mod sharing=locked
    cache /root/.cache/extra
    secret token
    run go build -o /out/demo .
    artifact /out/demo
}
test unit: from build {
    cache /tmp/own
    run go test ./...
}
runtime distroless static {
}
"""


def test_a_test_of_a_go_build_gets_the_builds_sharing_and_extra_caches():
    text = compile_text(GO)
    build, unit = _runs(text, "build")[-1], _runs(text, "unit")[-1]
    assert _mounts(unit) == _mounts(build) + ["--mount=type=cache,target=/tmp/own"]
    assert "--mount=type=cache,target=/go/pkg/mod,sharing=locked" in _mounts(unit)
    assert "--mount=type=cache,target=/root/.cache/extra" in _mounts(unit)
    # Only caches: a secret reaches a test only if the test names it.
    assert "type=secret" in build and "type=secret" not in unit

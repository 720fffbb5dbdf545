"""The warning for an artifact that holds a toolchain's output cache: the cache mount is
not among the stage's files, so the artifact ships that folder empty
(compiler/artifacts.py, _holding_output_caches)."""

from __future__ import annotations

import pytest

import shipc

RUST = (
    "app demo\nbuild rust 1.79 {\n    run cargo build --release --locked\n"
    "    artifact ARTIFACT\n}\nruntime debian bookworm-slim {\n    cmd /app/demo\n}\n"
)


def _holding(source: str) -> list[str]:
    warnings = shipc.compile_source(source, "case.ship").warnings
    return [d.message for d in warnings if "holds the cache mount" in d.message]


@pytest.mark.parametrize("artifact", [". -> /app/", "/src -> /app/", "./ -> /app/"])
def test_an_artifact_holding_the_output_cache_is_warned(artifact):
    (said,) = _holding(RUST.replace("ARTIFACT", artifact))
    assert "holds the cache mount /src/target" in said


@pytest.mark.parametrize(
    "source",
    [
        # what is in the cache, by name: copied out of it
        RUST.replace("ARTIFACT", "target/release/demo -> /app/demo"),
        # the cache itself: copied out of it whole
        RUST.replace("ARTIFACT", "target -> /app/target/"),
        # a cache the user declares holds what a later build reuses, and ships empty as meant
        "app web\nbuild node 20 {\n    cache .next/cache\n    run npm run build\n"
        "    artifact .\n}\nruntime node 20 slim {\n    cmd node server.js\n}\n",
    ],
)
def test_no_warning_for_what_the_cache_copy_out_handles(source):
    assert _holding(source) == []

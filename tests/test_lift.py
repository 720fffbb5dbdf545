"""Artifacts in a cache mount, copied out of it (compiler/lift.py): each to /out followed
by its own path, globs left to the shell with the rest of the path quoted."""

from __future__ import annotations

import pytest
import shipc
from shipc import places, shell


def _compile(artifacts: str, run: str = "cargo build --release") -> str:
    text = (
        "app demo\narg P=release\n"
        f"build rust 1.82 {{\n    run {run}\n{artifacts}}}\n"
        "runtime debian bookworm-slim {\n    cmd app\n}\n"
    )
    return shipc.compile_source(text, "t.ship").dockerfile


def test_two_artifacts_of_one_name_are_copied_to_two_places():
    out = _compile(
        "    artifact target/release/app -> /usr/local/bin/app\n"
        "    artifact target/debug/app -> /usr/local/bin/app-debug\n"
    )
    assert (
        "    && mkdir -p /out/src/target/release /out/src/target/debug \\\n"
        "    && cp -a /src/target/release/app /out/src/target/release/ \\\n"
        "    && cp -a /src/target/debug/app /out/src/target/debug/\n"
    ) in out
    assert "COPY --from=build /out/src/target/release/app /usr/local/bin/app\n" in out
    assert "COPY --from=build /out/src/target/debug/app /usr/local/bin/app-debug\n" in out


def test_the_artifacts_of_one_folder_are_copied_by_one_cp():
    out = _compile(
        "    artifact target/release/a -> /usr/local/bin/a\n"
        "    artifact target/release/b -> /usr/local/bin/b\n"
    )
    assert "cp -a /src/target/release/a /src/target/release/b /out/src/target/release/\n" in out


def test_a_glob_is_left_to_the_shell_and_the_rest_of_the_path_quoted():
    out = _compile('    artifact "target/${P}/my dir/lib?.[ab].so" -> /usr/local/lib/\n')
    assert 'cp -a "/src/target/${P}/my dir/lib"?.[ab].so "/out/src/target/${P}/my dir/"' in out
    copy = 'COPY --from=build ["/out/src/target/${P}/my dir/lib?.[ab].so", "/usr/local/lib/"]'
    assert copy in out


def test_a_folder_artifact_is_copied_into_its_parent_under_out():
    out = _compile("    artifact target/release/ -> /opt/demo/\n")
    assert "cp -a /src/target/release /out/src/target/\n" in out
    assert "COPY --from=build /out/src/target/release /opt/demo/\n" in out


@pytest.mark.parametrize(
    "path, why",
    [
        ("target/*/app", "a glob in a folder name"),
        ("target/release/[!a].so", "a glob other than '*', '?' or '[abc]'"),
        ("target/release/x]", "a glob other than '*', '?' or '[abc]'"),
        ("target/release/*/", "a glob of folders"),
    ],
)
def test_a_glob_the_shell_cannot_copy_out_as_written_is_refused(path, why):
    with pytest.raises(shipc.ShipErrors) as caught:
        _compile(f"    artifact {path} -> /usr/local/lib/\n")
    (diagnostic,) = [d for d in caught.value.diagnostics if d.is_error]
    assert why in diagnostic.message and "/src/target" in diagnostic.message
    assert (diagnostic.span.line, diagnostic.span.column) == (5, 14)


def test_a_glob_outside_a_cache_mount_is_left_to_copy():
    out = _compile("    artifact /build/*/lib/ -> /usr/local/lib/\n")
    assert "COPY --from=build /build/*/lib /usr/local/lib/" in out


@pytest.mark.parametrize(
    "value, word",
    [
        ("/a/b", "/a/b"),
        ("/a b/*.so", '"/a b/"*.so'),
        ("/a/*", "/a/*"),
        ("/a/x[y", '"/a/x[y"'),
        ("/a/${P}/?", '"/a/${P}/"?'),
        ("/a/$$x*", '"/a/\\$x"*'),
    ],
)
def test_shell_glob_quotes_all_but_the_glob(value, word):
    assert shell.glob(value) == word


@pytest.mark.parametrize(
    "path, parent",
    [
        ("/src/target/${P}/app", "/src/target/${P}"),
        ("/x", "/"),
        ("${D:-/q}/data", "${D:-/q}"),
        ("${D:-/q}", None),
        ("/a/${D:-b/c}", "/a"),
    ],
)
def test_the_folder_of_a_path_is_cut_outside_its_references(path, parent):
    assert places.folder(path) == parent


def test_a_volume_whose_every_slash_is_in_a_reference_is_made_without_its_parent():
    """`volume ${D:-/q}`: the parent of '${D:-' reached the Dockerfile (internal error)."""
    text = "app demo\narg D=/d\nruntime alpine 3.20 {\n    volume ${D:-/q}\n    cmd a\n}\n"
    out = shipc.compile_source(text, "t.ship").dockerfile
    made = 'RUN mkdir -p "${D:-/q}" && chown -R 65532:65532 "${D:-/q}"\n'
    assert made in out and 'VOLUME ["${D:-/q}"]\n' in out


def test_a_reference_holding_a_folder_is_not_cut_in_two():
    """`posixpath` cut `/out/${X:-a/b}` at the `/` of the reference's word: the artifact
    landed at /usr/local/bin/b}, and a copy of an image's glob crashed (internal error)."""
    head = "app demo\narg X=a\n"
    artifact = "build go 1.22 {\n    run go build\n    artifact /out/${X:-a/b}\n}\n"
    with pytest.raises(shipc.ShipErrors) as caught:
        shipc.compile_source(head + artifact + "runtime alpine 3.20 {\n}\n", "t.ship")
    (said,) = [d.message for d in caught.value.diagnostics if d.is_error]
    assert said.startswith("'/out/${X:-a/b}' is a folder or several files")
    copy = "runtime alpine 3.20 {\n    copy image alpine:3.20 /etc/${X:-a/b*}\n    cmd a\n}\n"
    out = shipc.compile_source(head + copy, "t.ship").dockerfile
    assert 'COPY --from=alpine ["/etc/${X:-a/b*}", "/etc/"]' in out


@pytest.mark.parametrize(
    "workdir, path, joined",
    [
        ("${D:-/q}", "..", "${D:-/q}/.."),  # normpath made it '${D:-' (internal error)
        ("/src", "a/../${X}/./b/..", "/src/${X}"),
        ("/src", "${X}/../y", "${X}/../y"),  # a reference's value may be several folders
        ("/src", "../..", "/"),
        ("/src", "a//b/", "/src/a/b"),
    ],
)
def test_a_path_is_joined_to_the_work_directory_without_cutting_a_reference(workdir, path, joined):
    assert places.absolute(path, workdir) == joined


@pytest.mark.parametrize("written", ["target", "target/", "/src/target"])
def test_an_artifact_that_is_the_cache_mount_itself_is_copied_out(written):
    """The mount's own path: copied out whole, like a path inside it (it was shipped from
    the stage, where the mount had left an empty folder)."""
    out = _compile(f"    artifact {written} -> /opt/t/\n")
    assert "    && mkdir -p /out/src \\\n    && cp -a /src/target /out/src/\n" in out
    assert "COPY --from=build /out/src/target /opt/t/\n" in out
    assert "COPY --from=build /src/target" not in out

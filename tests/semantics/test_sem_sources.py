"""Where files come from, executed: `copy image REF …`, `image NAME: REF` with `copy from
NAME …` and `from NAME`, `copy from BUILD …`, and `copy none` (a build that reads nothing
from the context). Each case builds on the engine and reads the image's files."""

from __future__ import annotations

import pytest

from semantics.harness import build, case, compile_ship, tree
from semantics.standins import BUSYBOX

pytestmark = pytest.mark.engine

SOURCE = "alpine:semsuite"  # a stand-in image whose /sbin/apk is a script of its own
FILES = {"marker.txt": "from the context\n", "go.mod": "module demo\n"}


@case("copy", "image")
def test_files_of_an_image_land_in_a_runtime_and_a_build_root_owned():
    source = (
        f"app demo\nimage tools: {SOURCE}\n\n"
        "build go semsuite {\n"
        f"    copy image {SOURCE} /sbin/apk -> /usr/local/bin/apk-copy\n"
        "    run test -x /usr/local/bin/apk-copy\n"
        "    run go build -o /out/demo .\n"
        "    artifact /out/demo\n}\n\n"
        f"runtime image {BUSYBOX} {{\n"
        "    copy from tools /sbin/apk\n"
        f"    copy image {SOURCE} /sbin/apk -> /opt/tools/\n"
        "    cmd demo\n}\n"
    )
    dockerfile = compile_ship(source)
    # One stage holds the image, used by both copies (named at the top, so by its name).
    assert dockerfile.count(f"FROM {SOURCE} AS tools") == 1
    assert f"FROM {SOURCE} AS" not in dockerfile.replace(f"FROM {SOURCE} AS tools", "")
    original = tree(SOURCE)["/sbin/apk"]
    image = tree(build(source, FILES))
    for path in ("/sbin/apk", "/opt/tools/apk"):
        copied = image[path]
        assert (copied.uid, copied.gid, copied.mode, copied.data) == (
            0, 0, original.mode, original.data
        ), path
    built = tree(build(source, FILES, target="build"))
    assert built["/usr/local/bin/apk-copy"].data == original.data


@case("image")
def test_a_stage_from_a_named_image_is_built_on_it():
    source = (
        f"app demo\nimage base: {SOURCE}\n\n"
        "runtime from base {\n    cmd /sbin/apk\n}\n"
    )
    assert f"FROM {SOURCE} AS runtime" in compile_ship(source)
    image = tree(build(source))
    assert image["/sbin/apk"].data == tree(SOURCE)["/sbin/apk"].data


@case("copy")
def test_a_build_copies_from_another_build_which_is_built_first():
    source = (
        "app demo\n\n"
        "build app: go semsuite {\n"
        "    copy from assets /out/ -> ./static/\n"
        "    copy from assets page.html -> /srv/page.html\n"
        "    run cat static/page.html /srv/page.html > /out.txt\n"
        "    run go build -o /out/demo .\n"
        "    artifact /out/demo\n}\n\n"
        f"build assets: image {BUSYBOX} {{\n"
        "    copy none\n"
        "    workdir /work\n"
        "    run mkdir -p /out && echo page > /out/page.html && echo work > page.html\n}\n\n"
        f"runtime image {BUSYBOX} {{\n    cmd demo\n}}\n"
    )
    dockerfile = compile_ship(source)
    assert dockerfile.index("AS assets") < dockerfile.index("AS app")  # written after it
    built = tree(build(source, FILES, target="app"))
    assert built["/out.txt"].data == b"page\nwork\n"


@case("copy")
def test_copy_none_reads_nothing_from_the_context():
    source = (
        "app demo\n\n"
        "build go semsuite {\n"
        "    copy none\n"
        "    run ls -A > /listing; go build -o /out/demo .\n"
        "    artifact /out/demo\n}\n\n"
        f"runtime image {BUSYBOX} {{\n    cmd demo\n}}\n"
    )
    dockerfile = compile_ship(source)
    assert "COPY . ." not in dockerfile and "go.mod" not in dockerfile  # nor the manifests
    built = tree(build(source, FILES, target="build"))
    assert built["/listing"].data == b""  # the work directory is empty

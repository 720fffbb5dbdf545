"""Preset tags, executed: a runtime whose image runs as its own user (nginx-unprivileged),
a node runtime on Alpine, a distroless release other than debian12. Each case builds on
the engine with the stand-ins (standins.py) and inspects the image."""

from __future__ import annotations

import pytest

from semantics.harness import build, calls, case, config, sh, tree
from semantics.standins import PACKAGES

pytestmark = pytest.mark.engine

SPA_FILES = {"package.json": "{}", "package-lock.json": "{}", "site.conf": "server {}\n"}
SPA_BUILD = (
    "app spa\nbuild node semsuite {\n    run npm run build\n"
    "    artifact dist/ -> /usr/share/nginx/html/\n}\n"
)


@case("runtime.nginx", "toolchain.node", "packages", "copy")
def test_nginx_serves_root_owned_files_as_its_own_user():
    source = SPA_BUILD + (
        "runtime nginx semsuite {\n    packages curl=8\n"
        "    copy site.conf -> /etc/nginx/conf.d/default.conf\n"
        "    run id -u > /etc/nginx/installed-as\n    expose 8080\n}\n"
    )
    image = build(source, SPA_FILES)
    found = tree(image)
    # The image runs as 101: ship switches to root for the packages and the runs, then back.
    assert found["/etc/nginx/installed-as"].data == b"0\n"
    assert found[PACKAGES].data == b"curl=8\n"
    assert config(image)["User"] == "101:101"
    assert sh(image, "id -u; cat /usr/share/nginx/html/index.js").split() == ["101", "built"]
    # The site's files and its config are root's: the server cannot change them.
    for path in ("/usr/share/nginx/html/index.js", "/etc/nginx/conf.d/default.conf"):
        assert (found[path].uid, found[path].mode & 0o022) == (0, 0), path
    assert sh(image, "touch /usr/share/nginx/html/x 2>/dev/null || echo refused") == "refused\n"


@case("runtime.nginx")
def test_nginx_without_packages_or_runs_keeps_the_images_user_throughout():
    image = build(SPA_BUILD + "runtime nginx semsuite {\n}\n", SPA_FILES)
    assert config(image)["User"] == "101:101"
    assert tree(image)["/usr/share/nginx/html/index.js"].uid == 0


@case("runtime.node", "packages")
def test_node_runtime_on_alpine_uses_apk_and_ash():
    source = (
        "app demo\nbuild node semsuite alpine {\n    run npm run build\n    artifact dist\n}\n"
        "runtime node semsuite alpine {\n    packages tini=0.19\n"
        "    run echo piped | cat > /etc/piped\n    cmd node dist/index.js\n}\n"
    )
    image = build(source, {"package.json": "{}", "package-lock.json": "{}"})
    assert calls(image) == ["apk add --no-cache tini=0.19"]
    assert tree(image)["/etc/piped"].data == b"piped\n"
    assert config(image)["Shell"] == ["/bin/ash", "-eo", "pipefail", "-c"]
    assert sh(image, "id -u; cat /app/dist/index.js").split() == ["1000", "built"]


@case("runtime.distroless")
def test_distroless_on_another_debian_release():
    source = (
        "app demo\nbuild go semsuite {\n    run go build -o /out/demo .\n"
        "    artifact /out/demo\n}\nruntime distroless static debian13 {\n    cmd demo\n}\n"
    )
    image = build(source, {"go.mod": "module demo\n", "main.go": ""})
    found = tree(image)
    assert "/bin/sh" not in found
    assert found["/usr/local/bin/demo"].uid == 0
    assert config(image)["User"] == "65532:65532"


@case("family", "base-env", "packages", "user")
def test_an_image_of_a_declared_family_installs_packages_and_reads_its_own_variables():
    from semantics.standins import APT_IMAGE

    source = (
        f"app demo\nruntime image {APT_IMAGE} {{\n    family debian\n    base-env TOOL_UID\n"
        "    packages tzdata=2024a\n    run echo a | cat > /etc/piped\n"
        "    user ${TOOL_UID}\n    cmd true\n}\n"
    )
    image = build(source)
    found = tree(image)
    assert found[PACKAGES].data == b"tzdata=2024a\n"
    assert found["/etc/piped"].data == b"a\n"
    assert config(image)["Shell"] == ["/bin/bash", "-o", "pipefail", "-c"]
    assert config(image)["User"] == "1654"  # Docker expands it with the image's own ENV
    assert sh(image, "id -u").strip() == "1654"


@case("family")
def test_a_build_on_an_alpine_image_pipes_with_pipefail():
    source = (
        "app demo\nbuild image alpine:semsuite {\n    family alpine\n"
        "    run false | cat\n}\nruntime image alpine:semsuite {\n    family alpine\n"
        "    cmd true\n}\n"
    )
    from semantics.harness import build_fails

    build_fails(source, target="build")  # `false | cat` fails only with pipefail
    build(source.replace("family alpine\n    run", "run"), target="build")


@case("runtime.nginx", "writable")
def test_nginx_writable_folders_under_the_root_work_directory():
    """nginx works in `/`: its writable folders are made as its user, the container still
    works in `/`, and `WORKDIR /` is written once, after them (it was written before too)."""
    source = SPA_BUILD + "runtime nginx semsuite {\n    writable cache /tmp/nginx-x\n}\n"
    image = build(source, SPA_FILES)
    found = tree(image)
    assert (found["/cache"].uid, found["/tmp/nginx-x"].uid, found["/tmp"].uid) == (101, 101, 0)
    assert config(image)["WorkingDir"] == "/"
    assert sh(image, "pwd; touch /cache/x /tmp/nginx-x/y && echo wrote") == "/\nwrote\n"

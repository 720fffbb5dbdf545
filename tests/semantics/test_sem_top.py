"""Top level and blocks, executed: app, arg (defaults, --build-arg, which steps see it),
build/test/runtime blocks, stage names, `from STAGE`, `image REF` and the presets."""

from __future__ import annotations

import pytest

from semantics.harness import build, build_fails, case, config, env, run_build, sh, tree
from semantics.standins import BUSYBOX, CALLS

pytestmark = pytest.mark.engine

GO_FILES = {"go.mod": "module demo\n", "main.go": "package main\n"}
GO_BUILD = "build go semsuite {\n    run go build -o /out/demo .\n    artifact /out/demo\n}\n"


# --- app and arg -------------------------------------------------------------------------


@case("app")
def test_app_names_every_runtime():
    source = (f"app my-app\nruntime one: image {BUSYBOX} {{\n    cmd true\n}}\n"
              f"runtime two: image {BUSYBOX} {{\n    cmd true\n}}\n")
    for target in ("one", "two"):
        labels = config(build(source, target=target))["Labels"]
        assert labels["org.opencontainers.image.title"] == "my-app"


ARG_SHIP = (
    "app demo\narg VERSION=1.0 \"GREETING=hello world\" UNUSED_LATER=x\n"
    f"build image {BUSYBOX} {{\n"
    "    run env > /env-before\n"
    "    copy a.txt\n"
    "    run echo \"$VERSION|$GREETING\" > /seen\n"
    "}\n"
    f"runtime image {BUSYBOX} {{\n"
    "    env V=${VERSION}\n"
    "    label version=${VERSION}\n"
    "    cmd true\n"
    "}\n"
)


@case("arg")
def test_arg_defaults_reach_the_steps_and_values_that_use_them():
    found = tree(build(ARG_SHIP, {"a.txt": ""}, target="build"))
    assert found["/seen"].data == b"1.0|hello world\n"
    image = build(ARG_SHIP, {"a.txt": ""})
    assert env(image)["V"] == "1.0"
    assert config(image)["Labels"]["version"] == "1.0"


@case("arg")
def test_arg_overridden_with_build_arg():
    args = {"VERSION": "2.5 beta", "GREETING": "hi \"there\" $x"}
    found = tree(build(ARG_SHIP, {"a.txt": ""}, target="build", build_args=args))
    assert found["/seen"].data == b'2.5 beta|hi "there" $x\n'
    image = build(ARG_SHIP, {"a.txt": ""}, build_args=args)
    assert env(image)["V"] == "2.5 beta"
    assert config(image)["Labels"]["version"] == "2.5 beta"


@case("arg")
def test_arg_reaches_only_the_steps_that_use_it():
    found = tree(build(ARG_SHIP, {"a.txt": ""}, target="build",
                       build_args={"VERSION": "9"}))
    before = found["/env-before"].data.decode()
    assert "VERSION" not in before and "GREETING" not in before
    image = build(ARG_SHIP, {"a.txt": ""})
    assert not {"VERSION", "GREETING"} & set(env(image))  # an ARG is not an ENV


@case("arg", "env", "install")
def test_an_arg_reaches_a_tools_environment_only_through_env():
    """Docker hands a stage's ARGs to RUN as environment; ship declares an arg only in the
    stages that name it, so `arg GOPROXY=…` alone is not seen by `go` (and is warned of),
    while `env GOPROXY=${GOPROXY}` is, in the dependency step too, --build-arg included."""
    head = "app demo\narg GOPROXY=https://proxy.example\n"
    body = "    run mkdir -p /out && env > /out/env\n    artifact /out/env\n}\n"
    body += f"runtime image {BUSYBOX} {{\n}}\n"
    alone = tree(build(head + "build go semsuite {\n" + body, GO_FILES, target="build"))
    assert b"GOPROXY" not in alone["/out/env"].data
    named = "build go semsuite {\n    env GOPROXY=${GOPROXY}\n    install env > /install-env\n"
    found = tree(build(head + named + body, GO_FILES, target="build",
                       build_args={"GOPROXY": "off"}))
    assert b"GOPROXY=off\n" in found["/out/env"].data
    assert b"GOPROXY=off\n" in found["/install-env"].data  # the dependency step's

@case("arg", "build", "runtime", "workdir", "user", "expose", "volume")
def test_arg_in_preset_versions_image_references_and_values():
    source = (
        "app demo\narg GO=semsuite TAG=1 HOME_DIR=/srv/home UID=4242 PORT=8081\n"
        "build go ${GO} {\n    run go build -o /out/demo .\n    artifact /out/demo\n}\n"
        f"runtime image ship-sem/busybox:${{TAG}} {{\n"
        "    family alpine\n    workdir ${HOME_DIR}\n    user ${UID}\n    expose ${PORT}\n"
        "    volume ${HOME_DIR}/data\n    cmd demo\n}\n"
    )
    image = build(source, GO_FILES, build_args={"UID": "4343"})
    cfg = config(image)
    assert (cfg["WorkingDir"], cfg["User"]) == ("/srv/home", "4343")
    assert cfg["Volumes"] == {"/srv/home/data": {}}
    assert list(cfg["ExposedPorts"]) in (["8081/tcp"], ["8081"])
    found = tree(image)
    assert found["/srv/home/data"].uid == 4343
    assert b"made by go" in found["/usr/local/bin/demo"].data


@case("arg", "copy")
def test_arg_in_copy_paths():
    source = (
        "app demo\narg CONF=app.conf\n"
        f"runtime image {BUSYBOX} {{\n    copy ${{CONF}} -> /etc/${{CONF}}\n    cmd true\n}}\n"
    )
    found = tree(build(source, {"app.conf": "a", "other.conf": "o"},
                       build_args={"CONF": "other.conf"}))
    assert found["/etc/other.conf"].data == b"o" and "/etc/app.conf" not in found


# --- blocks ------------------------------------------------------------------------------


@case("test")
def test_a_test_is_built_only_when_targeted():
    source = (
        f"app demo\n{GO_BUILD}"
        "test from build {\n    run pwd > /pwd && ls > /ls && test -x /out/demo && false\n}\n"
        "runtime alpine semsuite {\n    cmd demo\n}\n"
    )
    build(source, GO_FILES)  # the default target does not run the failing test
    build_fails(source, GO_FILES, target="test")


@case("test", "build")
def test_a_test_from_a_build_runs_in_its_tree():
    source = (
        f"app demo\n{GO_BUILD}"
        "test from build {\n    env T=1\n    run pwd > /pwd && ls > /ls && /out/demo > /ran"
        " && echo $T $CGO_ENABLED > /env\n}\n"
        "runtime alpine semsuite {\n    cmd demo\n}\n"
    )
    found = tree(build(source, GO_FILES, target="test"))
    assert found["/pwd"].data == b"/src\n"
    assert found["/ls"].data.split() == [b"go.mod", b"main.go"]
    assert found["/ran"].data == b"demo made by go CGO_ENABLED=0\n"
    assert found["/env"].data == b"1 0\n"  # the build's env, then the test's


@case("test", "runtime")
def test_a_test_from_a_runtime_is_a_smoke_test_as_the_runtime_user():
    source = (
        f"app demo\n{GO_BUILD}"
        "runtime alpine semsuite {\n    packages tzdata=1\n    user 4000\n    cmd demo\n}\n"
        "test smoke: from runtime {\n    run demo > /tmp/out && id -u >> /tmp/out"
        " && cat /var/lib/ship-sem/packages >> /tmp/out\n}\n"
    )
    found = tree(build(source, GO_FILES, target="smoke"))
    assert found["/tmp/out"].data == b"demo made by go CGO_ENABLED=0\n4000\ntzdata=1\n"


@case("runtime")
def test_the_last_runtime_is_the_default_target_others_by_name():
    source = (
        f"app demo\n{GO_BUILD}"
        "runtime debug: alpine semsuite {\n    cmd sh\n}\n"
        "runtime release: distroless static {\n    cmd demo\n}\n"
    )
    default = config(build(source, GO_FILES))
    assert default["Cmd"] == ["demo"]
    assert config(build(source, GO_FILES, target="debug"))["Cmd"] == ["sh"]


@case("runtime")
def test_a_runtime_from_a_runtime_adds_to_it():
    source = (
        f"app demo\n{GO_BUILD}"
        "runtime base: alpine semsuite {\n    packages a=1\n    env A=1\n    expose 80\n"
        "    label l1=x\n    user 10\n    cmd demo\n}\n"
        "runtime more: from base {\n    packages b=2\n    env B=2\n    expose 81\n"
        "    label l2=y\n    cmd demo --more\n}\n"
    )
    image = build(source, GO_FILES)
    cfg = config(image)
    assert (cfg["User"], cfg["Cmd"]) == ("10", ["demo", "--more"])
    assert set(cfg["ExposedPorts"]) == {"80/tcp", "81/tcp"}
    assert {k: cfg["Labels"][k] for k in ("l1", "l2")} == {"l1": "x", "l2": "y"}
    assert (env(image)["A"], env(image)["B"]) == ("1", "2")
    found = tree(image)
    assert found["/var/lib/ship-sem/packages"].data.split() == [b"a=1", b"b=2"]
    assert b"made by go" in found["/usr/local/bin/demo"].data


@case("build")
def test_a_named_build_and_a_build_from_it():
    source = (
        "app demo\n"
        "build api: go semsuite {\n    env FROM_API=1\n    run go build -o /out/api .\n}\n"
        "build extra: from api {\n    workdir /extra\n"
        "    run pwd > /pwd && echo $FROM_API > /env && test -x /out/api\n"
        "    artifact /pwd\n}\n"
        "runtime alpine semsuite {\n    cmd cat /usr/local/bin/pwd\n}\n"
    )
    found = tree(build(source, GO_FILES, target="extra"))
    assert (found["/pwd"].data, found["/env"].data) == (b"/extra\n", b"1\n")
    assert "/src/go.mod" in found  # inherited files
    calls = found[CALLS].data.decode().splitlines()
    assert calls == ["go mod download", "go build -o /out/api ."]  # no second dependency layer
    runtime = tree(build(source, GO_FILES))
    assert runtime["/usr/local/bin/pwd"].data == b"/extra\n"


@case("build", "runtime")
def test_image_bases_for_build_and_runtime():
    source = (
        "app demo\n"
        f"build image {BUSYBOX} {{\n    run pwd > /pwd && ls -A > /ls\n    artifact /pwd\n}}\n"
        f"runtime image {BUSYBOX} {{\n    copy a.txt\n}}\n"
    )
    found = tree(build(source, {"a.txt": "a"}, target="build"))
    assert (found["/pwd"].data, found["/ls"].data) == (b"/src\n", b"a.txt\n")
    assert CALLS not in found  # no dependency layer, no preset commands
    runtime = build(source, {"a.txt": "a"})
    assert tree(runtime)["/app/a.txt"].data == b"a"
    assert config(runtime)["User"] == "65532:65532"


# --- presets not covered elsewhere -------------------------------------------------------


@case("runtime.scratch")
def test_scratch_runtime_holds_only_the_artifact():
    image = build(f"app demo\n{GO_BUILD}runtime scratch {{\n    cmd demo\n}}\n", GO_FILES)
    files = {p for p, e in tree(image).items() if e.kind != "dir"}
    assert files == {"/usr/local/bin/demo"}
    assert config(image)["User"] == "65532:65532"


@case("runtime.distroless", "toolchain.go", "manager.go")
def test_go_on_distroless_static():
    source = f"app demo\n{GO_BUILD}runtime distroless static {{\n    cmd demo\n}}\n"
    found = tree(build(source, GO_FILES))
    assert (found["/usr/local/bin/demo"].uid, found["/usr/local/bin/demo"].mode) == (0, 0o755)
    calls = tree(build(source, GO_FILES, target="build"))[CALLS].data.decode().splitlines()
    assert calls == ["go mod download", "go build -o /out/demo ."]


def test_run_build_reports_the_log_of_a_failure():
    """The harness itself: a failed build gives its log (so failures can be read)."""
    result = run_build(f"app demo\nruntime image {BUSYBOX} {{\n    run exit 42\n}}\n")
    assert not result.ok and "exit code: 42" in result.output
    assert sh(BUSYBOX, "echo ok") == "ok\n"


@case("artifact", "runtime", "test")
def test_every_build_ships_to_every_runtime_and_its_tests():
    source = (
        "app demo\n"
        "build web: node semsuite {\n    run npm run build\n    artifact dist\n}\n"
        f"{GO_BUILD}"
        "runtime base: node semsuite {\n    cmd node dist/index.js\n}\n"
        "runtime kid: from base {\n    env K=1\n}\n"
        "test smoke: from kid {\n    run test -f /app/dist/index.js && test -x"
        " /usr/local/bin/demo && echo $K $(id -u) > /tmp/ran\n}\n"
    )
    files = {"package.json": "{}", "package-lock.json": "{}", **GO_FILES}
    found = tree(build(source, files))  # kid, the last runtime
    assert (found["/app/dist/index.js"].uid, found["/usr/local/bin/demo"].uid) == (0, 0)
    assert tree(build(source, files, target="smoke"))["/tmp/ran"].data == b"1 1000\n"

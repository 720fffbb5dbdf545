"""The rest of the Dockerfile's surface, executed: a stage's shell, a runtime's stop
signal."""

from __future__ import annotations

import pytest
import shipc

from semantics.harness import build, build_fails, case, config, tree
from semantics.standins import BUSYBOX

pytestmark = pytest.mark.engine


@case("shell", "build", "runtime")
def test_a_stages_shell_runs_its_run_lines():
    source = (
        "app demo\n"
        f"build image {BUSYBOX} {{\n"
        "    shell /bin/sh -euc\n"
        '    run echo "$0 $-" > /flags\n'
        "}\n"
        "runtime debian semsuite {\n"
        "    shell /bin/sh -xc\n"
        '    run echo "$-" > /flags\n'
        "    cmd true\n"
        "}\n"
    )
    built = tree(build(source, target="build"))["/flags"].data.decode().split()
    assert built[0] == "/bin/sh" and {"e", "u"} <= set(built[1])
    runtime = build(source)
    assert "x" in tree(runtime)["/flags"].data.decode()
    assert config(runtime)["Shell"] == ["/bin/sh", "-xc"]


@case("stopsignal")
def test_stopsignal_is_the_images():
    source = f"app demo\nruntime image {BUSYBOX} {{\n    stopsignal SIGINT\n    cmd true\n}}\n"
    assert config(build(source))["StopSignal"] == "SIGINT"
    source = source.replace("SIGINT", "3")
    assert config(build(source))["StopSignal"] == "3"


@case("stopsignal")
@pytest.mark.parametrize("signal", ["SIGRTMIN+3", "SIGRTMAX-14", "SIGRTMIN", "SIGRTMAX"])
def test_a_real_time_stopsignal_is_the_images(signal):
    """Docker knows the real-time signals by these names (new-user trial: SIGRTMIN+3,
    systemd's, was refused)."""
    source = f"app demo\nruntime image {BUSYBOX} {{\n    stopsignal {signal}\n    cmd true\n}}\n"
    assert config(build(source))["StopSignal"] == signal


@case("user")
def test_a_user_by_name_is_the_uid_the_base_defines():
    source = "app demo\nruntime debian semsuite {\n    user nobody\n    cmd true\n}\n"
    image = build(source)
    assert config(image)["User"] == "65534:65534"


@case("shell", "test")
def test_a_stage_from_one_with_the_pipefail_shell_keeps_it_without_a_shell_line():
    """A test `from` a build that already runs ship's pipefail shell gets no SHELL line of
    its own (Docker keeps SHELL in the image), and a failure before its pipe still fails."""
    source = (
        "app demo\n"
        "build go semsuite {\n"
        "    run go build -o /out/demo . | cat\n"
        "}\n"
        "test from build {\n"
        "    run false | cat\n"
        "}\n"
        f"runtime image {BUSYBOX} {{\n    cmd true\n}}\n"
    )
    dockerfile = shipc.compile_source(source, "demo.ship").dockerfile
    assert dockerfile.count("SHELL ") == 1
    build_fails(source, {"go.mod": "module demo\n"}, target="test")
    passing = source.replace("run false | cat", "run true | cat")
    image = build(passing, {"go.mod": "module demo\n"}, target="test")
    assert config(image)["Shell"] == ["/bin/bash", "-o", "pipefail", "-c"]

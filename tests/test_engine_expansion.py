"""What Docker 20.10's built-in Dockerfile frontend does with `$` in the values it expands,
proved on the engine: the claims behind expansion.py and the checks in variables.py.

Each case builds a tiny Dockerfile FROM a busybox image made here (`docker import` of the
host's /bin/busybox, reused when present) and reads the result from the image's config.
"""

from __future__ import annotations

import io
import json
import tarfile
import textwrap
import uuid
from pathlib import Path

import pytest

import shipc
from e2e.engine import docker
from shipc import expansion

pytestmark = pytest.mark.engine

BUSYBOX = "ship-test/busybox:expansion"
BUSYBOX_BIN = Path("/bin/busybox")


def _busybox_tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        data = BUSYBOX_BIN.read_bytes()
        info = tarfile.TarInfo("bin/busybox")
        info.size, info.mode = len(data), 0o755
        tar.addfile(info, io.BytesIO(data))
        for applet in ("sh", "cat", "echo"):
            link = tarfile.TarInfo(f"bin/{applet}")
            link.type, link.linkname = tarfile.SYMTYPE, "busybox"
            tar.addfile(link)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def busybox() -> str:
    if docker("image", "inspect", BUSYBOX).returncode != 0:
        if not BUSYBOX_BIN.exists():
            pytest.skip(f"{BUSYBOX_BIN} is needed to make a base image")
        made = docker(
            "import", "-c", "ENV PATH=/bin", "-", BUSYBOX, input=_busybox_tar(), text=False
        )
        assert made.returncode == 0, made.stderr
    return BUSYBOX


@pytest.fixture
def build(busybox, tmp_path):
    """Build a Dockerfile (its `FROM BASE` made the busybox image); the image's config, or
    the build's error output when it fails."""
    tags: list[str] = []

    def run(text: str, *build_args: str) -> tuple[dict | None, str]:
        (tmp_path / "Dockerfile").write_text(text.replace("BASE", busybox))
        tag = f"ship-test/expansion-case:{uuid.uuid4().hex[:12]}"
        flags = [f for a in build_args for f in ("--build-arg", a)]
        result = docker("build", "-q", "-t", tag, *flags, str(tmp_path))
        if result.returncode != 0:
            return None, result.stderr
        tags.append(tag)
        config = json.loads(docker("image", "inspect", tag).stdout)[0]["Config"]
        return config, ""

    yield run
    for tag in tags:
        docker("image", "rm", "-f", tag)


def _env(config: dict) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in config["Env"])


@pytest.mark.parametrize("form", ["${HOME#/r}", "${HOME%t}", "${HOME/o/0}", "${X:=y}", "${X-y}"])
def test_other_modifiers_fail_the_build(build, form):
    """So expansion.py reports them as problems rather than add them to OPERATORS."""
    config, output = build(f"FROM BASE\nENV HOME=/root\nENV A={form}\n")
    assert config is None
    assert "substitution" in output or "modifier" in output
    assert expansion.problems(form)


def test_the_supported_forms(build):
    config, _ = build(
        "FROM BASE\nENV HOME=/root\n"
        "ENV A=${HOME} B=$HOME.x C=${NOPE:-d} D=${HOME:+set} E=${NOPE:+set} F=${NOPE:-${HOME}}\n"
    )
    assert config is not None
    env = _env(config)
    assert [env[k] for k in "ABCDEF"] == ["/root", "/root.x", "d", "set", "", "/root"]


def test_names_take_letters_beyond_ascii(build):
    """`$HOMEé` is the unset variable `HOMEé`, not HOME then é: expansion.py refuses it,
    and `${HOME}é` is the way to write HOME then é."""
    config, _ = build("FROM BASE\nENV HOME=/root\nENV A=$HOMEé B=${HOME}é\n")
    assert config is not None
    assert (_env(config)["A"], _env(config)["B"]) == ("", "/rooté")
    assert expansion.problems("$HOMEé") and not expansion.problems("${HOME}é")


@pytest.mark.parametrize(("value", "docker_gives"), [("cost$1.99", "cost.99"), ("$@", "")])
def test_a_dollar_that_is_not_a_reference_is_mangled(build, value, docker_gives):
    """Why ship refuses them: Docker does not keep them as written."""
    config, _ = build(f"FROM BASE\nENV A={value}\n")
    assert config is not None
    assert _env(config)["A"] == docker_gives
    assert expansion.problems(value)


def test_arg_defaults_read_earlier_args_globally_and_in_stages(build):
    text = textwrap.dedent(
        """\
        ARG A=1
        ARG B=${A}.0
        FROM BASE
        ARG B
        ARG C=${B}-x
        ENV GB=$B GC=$C
        """
    )
    config, _ = build(text)
    assert config is not None
    assert (_env(config)["GB"], _env(config)["GC"]) == ("1.0", "1.0-x")
    config, _ = build(text, "A=2")
    assert config is not None
    assert (_env(config)["GB"], _env(config)["GC"]) == ("2.0", "2.0-x")


SHIP = """\
app demo
arg A=1 B=${A}.0 X
runtime image BASE {
    env VB=${B} VX=${X:-none} VY=${X:+given}
    user ${A}
}
"""


def test_compiled_references_reach_the_build_args(build, busybox):
    """Through ship: `arg B=${A}.0` is declared with A before it, and `${X:-…}`/`${X:+…}`
    are uses of X, so --build-arg reaches them."""
    dockerfile = shipc.compile_source(SHIP.replace("BASE", busybox), "t.ship").dockerfile
    config, output = build(dockerfile)
    assert config is not None, output
    env = _env(config)
    assert (env["VB"], env["VX"], env["VY"], config["User"]) == ("1.0", "none", "", "1")
    config, output = build(dockerfile, "A=2", "X=x")
    assert config is not None, output
    env = _env(config)
    assert (env["VB"], env["VX"], env["VY"], config["User"]) == ("2.0", "x", "given", "2")


def test_a_double_dollar_is_a_literal_dollar(build, busybox):
    """`$$` is how a .ship value says `$`; the emitter escapes it for Docker's lexer (a
    bare `$$` in a Dockerfile would expand to nothing)."""
    source = (
        f"app demo\narg X\nruntime image {busybox} {{\n"
        '    env A=cost$$1.99 B="a $$HOME b" C=${X:-$$} D=$$${X:-y} E=$$$${X}\n'
        "    label l=$$x\n}\n"
    )
    config, output = build(shipc.compile_source(source, "t.ship").dockerfile)
    assert config is not None, output
    env = _env(config)
    assert [env[k] for k in "ABCDE"] == ["cost$1.99", "a $HOME b", "$", "$y", "$${X}"]
    assert config["Labels"]["l"] == "$x"
    config, _ = build("FROM BASE\nENV A=$$\n")
    assert config is not None and _env(config)["A"] == ""  # why the emitter must escape


def test_an_env_value_is_expanded_with_what_was_set_before_the_instruction(build):
    """Why `env A=$B B=1` is refused: A is empty, not 1."""
    config, _ = build("FROM BASE\nENV A=x$B B=1\nENV C=$B\n")
    assert config is not None
    env = _env(config)
    assert (env["A"], env["C"]) == ("x", "1")


@pytest.mark.parametrize("base", ["BASE", "scratch"])
def test_home_and_hostname_are_empty_where_docker_expands(build, base):
    """Docker expands with the image's config, which has PATH (BuildKit gives `scratch` a
    default one) but not HOME or HOSTNAME, which a running shell sets: variables.py
    refuses them outside run lines (new-user trial: `env MYHOME=$HOME/data` was `/data`)."""
    config, output = build(
        f"FROM {base}\nENV A=$PATH B=$HOME/data C=${{HOSTNAME}}\nLABEL h=x$HOME\n"
        "WORKDIR /w$HOME/app\n"
    )
    assert config is not None, output
    env = _env(config)
    assert env["A"].startswith("/") and env["A"] == env["PATH"]
    assert (env["B"], env["C"]) == ("/data", "")
    assert (config["Labels"]["h"], config["WorkingDir"]) == ("x", "/w/app")
    assert "HOME" not in env and "HOSTNAME" not in env

"""`ship build` without the engine: which instruction docker's output names, which secrets
a target needs and where they come from, the command line docker gets. The builds
themselves are tests/semantics/test_sem_ship_build.py."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import shipc
from shipc import build, build_output

SHIP = """app demo
build api: go 1.22 {
    secret token
    run one
    run two
    artifact /out/api
}
build tool: go 1.22 {
    secret other
    run make
}
test from api {
    run check
}
runtime alpine 3.20 {
    cmd api
}
"""


def _read(lines: list[str]) -> build_output.Failure:
    reader = build_output.OutputReader()
    for line in lines:
        reader.feed(line.encode() + b"\n")
    return reader.failure


def _compiled():
    return shipc.compile_source(SHIP, "demo.ship")


def test_a_step_named_by_stage_and_index_is_found():
    failure = _read(
        [
            "#9 [api 5/6] COPY . .",
            "#9 DONE 0.1s",
            "#12 [api 6/6] RUN --mount=type=secret,id=token one     && two",
            "#12 ERROR: executor failed running [/bin/sh -c one && two]: exit code: 3",
            " > [api 6/6] RUN one && two:",
        ]
    )
    assert (failure.stage, failure.index) == ("api", 6)
    compiled = _compiled()
    mapped = build_output.failed_instruction(failure, compiled.lines, len(compiled.image.stages))
    assert mapped.keyword == "RUN" and [s.line for s in mapped.spans] == [4, 5]
    diagnostic = build_output.diagnostic(mapped, failure.message)
    assert diagnostic.message == (
        f"docker build failed in the RUN of this line and line 5 (Dockerfile line"
        f" {mapped.first}): exit code: 3"
    )
    assert diagnostic.span.line == 4


def test_a_newer_clients_dockerfile_line_is_used():
    compiled = _compiled()
    run = next(
        m
        for m in compiled.lines
        if m.stage == "tool" and m.keyword == "RUN" and m.spans[0].line == 10
    )
    failure = _read(
        [
            "#7 [tool 6/6] RUN make",
            '#7 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
            f"Dockerfile:{run.first + 1}",
        ]
    )
    assert failure.line == run.first + 1
    assert build_output.failed_instruction(failure, compiled.lines, 4) == run
    assert build_output._said(failure.message) == "exit code: 2"


def test_a_single_stage_dockerfile_names_no_stage():
    compiled = shipc.compile_source("app a\nruntime alpine 3.20 {\n    run false\n}\n", "a.ship")
    steps = [m.keyword for m in compiled.lines if m.keyword in ("FROM", "RUN", "COPY", "WORKDIR")]
    index = steps.index("RUN") + 1  # BuildKit's I of [I/N]
    failure = _read(
        [
            f"#5 [{index}/{len(steps)}] RUN false",
            "#5 ERROR: executor failed running [/bin/sh -c false]: exit code: 1",
        ]
    )
    assert failure.stage is None
    mapped = build_output.failed_instruction(failure, compiled.lines, 1)
    assert mapped.keyword == "RUN" and [s.line for s in mapped.spans] == [3]


@pytest.mark.parametrize("stage", ["api ", ""])
def test_a_padded_step_number_is_read(stage):
    """BuildKit pads I to the width of N: `[api  4/12]`, `[ 2/10]` (as docker 20.10 and
    later print it)."""
    failure = _read(
        [
            f"#5 [{stage} 4/12] RUN false",
            "#5 ERROR: executor failed running [/bin/sh -c false]: exit code: 1",
            f" > [{stage} 4/12] RUN false:",
        ]
    )
    assert (failure.stage, failure.index) == (stage.strip() or None, 4)
    failure = _read([f" > [{stage} 4/12] RUN false:"])
    assert (failure.stage, failure.index) == (stage.strip() or None, 4)

def test_no_step_no_position():
    failure = _read(["ERROR: failed to solve: golang:nope: not found"])
    assert build_output.failed_instruction(failure, _compiled().lines, 4) is None


def test_the_secrets_a_target_needs():
    image = _compiled().image
    assert build.needed_secrets(image, None) == ["token"]  # the runtime copies from api
    assert build.needed_secrets(image, "tool") == ["other"]
    assert build.needed_secrets(image, "test") == ["token"]


def test_where_secrets_come_from(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIP_SECRET_NPM_TOKEN_2", "from env")
    assert build.environment_name("npm-token.2") == "SHIP_SECRET_NPM_TOKEN_2"
    assert build._sources(["npm-token.2"], ()) == {"npm-token.2": ("env", "from env")}
    (tmp_path / "f").write_text("x")
    given = (f"npm-token.2={tmp_path / 'f'}",)
    assert build._sources(["npm-token.2"], given) == {"npm-token.2": ("file", str(tmp_path / "f"))}
    with pytest.raises(build.BuildProblem, match="no such file"):
        build._sources(["npm-token.2"], ("npm-token.2=/nonexistent",))
    with pytest.raises(build.BuildProblem, match=r"takes ID=FILE or ID=env:VAR, not 'x'"):
        build._sources(["x"], ("x",))


def test_secret_values_from_the_environment_go_through_private_files(monkeypatch):
    monkeypatch.setenv("SHIP_SECRET_TOKEN", "v")
    with build._secret_files(["token"], ()) as files:
        path = files["token"]
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert Path(path).read_text() == "v"
    assert not os.path.exists(path)


def test_the_docker_command_line(monkeypatch):
    monkeypatch.setenv("SHIP_DOCKER", "/usr/bin/docker")
    request = build.Request(
        "ctx",
        target="api",
        platform="linux/arm64",
        build_args=("V=1",),
        tags=("a:1", "b"),
        no_cache=True,
    )
    assert build._argv(request, {"token": "/s"}, "/tmp/x/Dockerfile") == [
        "/usr/bin/docker", "build", "-f", "/tmp/x/Dockerfile", "--target", "api",
        "--platform", "linux/arm64", "--build-arg", "V=1", "-t", "a:1", "-t", "b",
        "--secret", "id=token,src=/s",
        "--no-cache", "--", "ctx",
    ]  # fmt: skip


def test_the_dockerfile_and_its_ignore_file_go_through_a_private_folder(tmp_path, monkeypatch):
    """A stand-in docker records what `-f` names while it runs: the Dockerfile, and beside
    it `Dockerfile.dockerignore` with ship's list then the context's own .dockerignore; the
    folder is private and gone afterwards."""
    seen = tmp_path / "seen"
    fake = tmp_path / "docker"
    fake.write_text(
        "#!/bin/sh\n"
        'while [ "$1" != -f ]; do shift; done\n'
        f'd=$(dirname "$2"); stat -c %a "$d" > {seen}.mode; echo "$2" > {seen}.path\n'
        f'cat "$2" > {seen}.dockerfile; cat "$2.dockerignore" > {seen}.ignore\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("SHIP_DOCKER", str(fake))
    context = tmp_path / "ctx"
    context.mkdir()
    (context / ".dockerignore").write_text("notes.md\n!vendor/keep")
    source = (
        "ignore *.log\napp web\nbuild node 22 {\n    run npm run build\n    artifact dist\n}\n"
        "runtime node 22 {\n    cmd node dist/index.js\n}\n"
    )
    compiled = shipc.compile_source(source, "web.ship")
    request = build.Request(str(context), target="build")
    assert build.build(compiled, request, lambda d: None) == 0
    assert Path(f"{seen}.mode").read_text() == "700\n"
    assert Path(f"{seen}.dockerfile").read_text() == compiled.dockerfile
    lines = Path(f"{seen}.ignore").read_text().splitlines()
    assert lines[1:] == [
        ".git", "**/node_modules", "*.log",
        "# the context's own .dockerignore", "notes.md", "!vendor/keep",
    ]  # fmt: skip
    assert not Path(Path(f"{seen}.path").read_text().strip()).parent.exists()


def test_an_ignore_pattern_a_copy_needs_is_reported_and_left_out(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIP_DOCKER", "true")
    source = "ignore conf\napp demo\nruntime alpine 3.20 {\n    copy conf -> /etc/\n}\n"
    said = []
    compiled = shipc.compile_source(source, "a.ship")
    assert build.build(compiled, build.Request(str(tmp_path)), said.append) == 0
    assert [d.message for d in said] == ["'conf' would leave out 'conf', which a COPY reads"]


CROSS = """app demo
platforms linux/amd64 linux/arm64
build go 1.22 {
    run go build -o /out/demo .
    artifact /out/demo
}
runtime scratch {
    cmd demo
}
"""


@pytest.mark.parametrize("asked", ["linux/arm64", "linux/arm64/v8", "linux/amd64,linux/arm64"])
def test_a_declared_platform_is_built(asked, monkeypatch):
    monkeypatch.setenv("SHIP_DOCKER", "true")
    compiled = shipc.compile_source(CROSS, "demo.ship")
    assert build.build(compiled, build.Request(".", platform=asked), lambda d: None) == 0


@pytest.mark.parametrize("asked", ["linux/s390x", "linux/amd64,linux/arm/v7"])
def test_a_platform_the_file_does_not_declare_is_refused_at_its_platforms_line(
    asked, monkeypatch
):
    monkeypatch.setenv("SHIP_DOCKER", "false")  # never reached
    compiled = shipc.compile_source(CROSS, "demo.ship")
    with pytest.raises(build.BuildProblem) as caught:
        build.build(compiled, build.Request(".", platform=asked), lambda d: None)
    found = caught.value.diagnostic
    assert found is not None and found.is_error
    assert (found.span.line, found.span.column, found.span.end_column) == (2, 11, 34)
    assert "the file builds for linux/amd64 linux/arm64 only" in found.message
    assert found.hint.startswith("add '")


def test_without_platforms_any_platform_is_built(monkeypatch):
    monkeypatch.setenv("SHIP_DOCKER", "true")
    compiled = shipc.compile_source(CROSS.replace("platforms linux/amd64 linux/arm64\n", ""))
    assert build.build(compiled, build.Request(".", platform="linux/s390x"), lambda d: None) == 0


def test_the_refusal_is_printed_like_a_diagnostic(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from shipc.cli import main

    (tmp_path / "demo.ship").write_text(CROSS)
    monkeypatch.setenv("SHIP_DOCKER", "false")
    result = CliRunner().invoke(
        main, ["build", str(tmp_path / "demo.ship"), "--platform", "linux/s390x"],
        env={"NO_COLOR": "1"},
    )
    assert result.exit_code == 2
    out = result.output + (getattr(result, "stderr", "") or "")
    assert "demo.ship:2:11: error: --platform linux/s390x:" in out
    assert "^~~~" in out and "Traceback" not in out


def _fake_docker(tmp_path, platform: str) -> str:
    """A docker client that says its engine's platform and builds nothing."""
    fake = tmp_path / "docker"
    fake.write_text(f'#!/bin/sh\n[ "$1" = version ] && echo {platform}\nexit 0\n')
    fake.chmod(0o755)
    return str(fake)


def test_without_platform_the_engines_own_must_be_declared(tmp_path, monkeypatch):
    monkeypatch.delenv("DOCKER_DEFAULT_PLATFORM", raising=False)
    compiled = shipc.compile_source(CROSS.replace("linux/amd64 ", ""), "demo.ship")
    monkeypatch.setenv("SHIP_DOCKER", _fake_docker(tmp_path, "linux/amd64"))
    with pytest.raises(build.BuildProblem) as caught:
        build.build(compiled, build.Request("."), lambda d: None)
    found = caught.value.diagnostic
    assert found is not None and "docker builds for linux/amd64 (the engine's own)" in found.message
    assert found.hint == "pass --platform with one of: linux/arm64"
    monkeypatch.setenv("SHIP_DOCKER", _fake_docker(tmp_path, "linux/arm64"))
    assert build.build(compiled, build.Request("."), lambda d: None) == 0
    monkeypatch.setenv("DOCKER_DEFAULT_PLATFORM", "linux/arm64/v8")
    monkeypatch.setenv("SHIP_DOCKER", _fake_docker(tmp_path, "linux/amd64"))
    assert build.build(compiled, build.Request("."), lambda d: None) == 0


def _cli(args: list[str]):
    from click.testing import CliRunner
    from shipc.cli import main

    result = CliRunner().invoke(main, args, env={"NO_COLOR": "1"})
    return result.exit_code, result.stderr


def test_a_context_that_does_not_exist_is_a_usage_error(tmp_path, monkeypatch):
    (tmp_path / "demo.ship").write_text(SHIP)
    monkeypatch.setenv("SHIP_DOCKER", "true")
    code, out = _cli(["build", str(tmp_path / "demo.ship"), str(tmp_path / "nonexistent")])
    assert code == 2, out
    assert "Invalid value for '[CONTEXT]'" in out and "does not exist" in out


def test_a_build_arg_the_file_does_not_declare_is_refused(tmp_path, monkeypatch):
    (tmp_path / "demo.ship").write_text("arg VERSION=1\n" + SHIP.replace("go 1.22", "go ${VERSION}"))
    monkeypatch.setenv("SHIP_DOCKER", "true")
    monkeypatch.setenv("SHIP_SECRET_TOKEN", "t")
    source = str(tmp_path / "demo.ship")
    code, out = _cli(["build", source, "--build-arg", "VERSON=2"])
    assert code == 2, out
    assert out == (
        "ship: --build-arg VERSON: the file declares no such arg (did you mean 'VERSION'?);"
        " its args: VERSION\n"
    )
    for given in ("VERSION=2", "VERSION", "HTTPS_PROXY=http://p:3128", "BUILDKIT_INLINE_CACHE=1"):
        code, out = _cli(["build", source, "--build-arg", given])
        assert code == 0, out


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ("bogus", "--platform bogus: 'bogus' is not a platform"),
        ("linux/mips", "--platform linux/mips: unknown architecture 'mips'"),
    ],
)
def test_a_platform_that_is_no_platform_is_said_so_not_to_be_declared(asked, said, monkeypatch):
    monkeypatch.setenv("SHIP_DOCKER", "false")  # never reached
    compiled = shipc.compile_source(CROSS, "demo.ship")
    with pytest.raises(build.BuildProblem) as caught:
        build.build(compiled, build.Request(".", platform=asked), lambda d: None)
    found = caught.value.diagnostic
    assert found.message.startswith(said)
    assert "to 'platforms'" not in found.hint
    assert found.hint.endswith("the file builds for: linux/amd64 linux/arm64")


def test_dockers_secret_form_is_read_as_docker_means_it(tmp_path, monkeypatch):
    (tmp_path / "f").write_text("x")
    monkeypatch.setenv("NPM_TOKEN", "from env")
    found = ("file", str(tmp_path / "f"))
    for given in (f"id=npm_token,src={tmp_path / 'f'}", f"source={tmp_path / 'f'},id=npm_token"):
        assert build._sources(["npm_token"], (given,)) == {"npm_token": found}
    from_env = {"npm_token": ("env", "from env")}
    assert build._sources(["npm_token"], ("id=npm_token,env=NPM_TOKEN",)) == from_env
    assert build._sources(["npm_token"], ("npm_token=env:NPM_TOKEN",)) == from_env


def test_a_secret_named_id_keeps_ships_form(tmp_path):
    (tmp_path / "f").write_text("x")
    given = (f"id={tmp_path / 'f'}",)
    assert build._sources(["id"], given) == {"id": ("file", str(tmp_path / "f"))}


@pytest.mark.parametrize("given", ["id=npm_token", "id=npm_token,type=ssh,src=f"])
def test_dockers_form_without_a_source_says_both_forms(given):
    with pytest.raises(build.BuildProblem) as caught:
        build._sources(["npm_token"], (given,))
    assert str(caught.value) == (
        f"--secret {given}: give the secret's file or variable, docker's way"
        " (id=npm_token,src=FILE or id=npm_token,env=VAR) or ship's (npm_token=FILE or"
        " npm_token=env:VAR)"
    )


def test_a_copy_out_of_a_cache_maps_its_artifact_lines_and_the_reason_is_kept():
    source = (
        "app demo\nbuild rust 1.79 {\n    run touch target/release/libx.so\n"
        "    artifact target/release/*.so -> /usr/local/lib/\n"
        "    artifact target/release/missing -> /usr/local/bin/x\n}\n"
        "runtime debian 12 {\n    cmd x\n}\n"
    )
    compiled = shipc.compile_source(source, "demo.ship")
    failure = _read(
        [
            "#10 [build 4/4] RUN --mount=type=cache,target=/src/target cp -a …",
            "#10 0.356 cp: can't stat '/src/target/release/missing': No such file or directory",
            "#10 ERROR: process \"/bin/sh -c …\" did not complete successfully: exit code: 1",
        ]
    )
    stages = [m for m in compiled.lines if m.keyword == "FROM"]
    mapped = build_output.failed_instruction(failure, compiled.lines, len(stages))
    assert [s.line for s in mapped.spans] == [3, 4, 5]
    assert [s.line for s in mapped.copied_out] == [4, 5]
    found = build_output.diagnostic(mapped, failure.message, failure.output)
    assert found.message.startswith("docker build failed in the RUN of this line and lines 4, 5")
    assert found.message.endswith(
        ": exit code: 1; its last output: cp: can't stat '/src/target/release/missing':"
        " No such file or directory"
    )
    assert found.hint == (
        "the RUN ends by copying the artifacts of lines 4, 5 out of the cache it builds in:"
        " an artifact that the run lines did not make fails it"
    )

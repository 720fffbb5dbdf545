"""`ship build`, executed: the command compiles, builds on the engine through
`docker build -f -`, passes the secrets the file mounts, and when a step fails names the
.ship file, line and column it came from (exit code 4).

Run as a real process (SHIP_DOCKER=/usr/bin/docker, BuildKit on), so docker's output is
streamed as a user sees it. Images are tagged `workflow-lang-shipbuild:N` and removed."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from e2e.engine import DOCKER, docker

from semantics.harness import case
from semantics.standins import BUSYBOX

pytestmark = pytest.mark.engine

_TAG = "workflow-lang-shipbuild"
_counter = itertools.count(1)
RUNTIME = f"runtime image {BUSYBOX} {{\n}}\n"
GO_FILES = {"go.mod": "module demo\n", "main.go": "package main\n"}


@pytest.fixture
def project(tmp_path: Path):
    """A folder to write a .ship file and its context in; the images tagged there are
    removed afterwards."""
    tags: list[str] = []

    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text)
        return tmp_path

    write.tags = tags
    yield write
    for tag in tags:
        docker("rmi", "--force", tag)


def ship_build(folder: Path, *args: str, env: dict[str, str] | None = None, tag=None):
    argv = [sys.executable, "-c", "from shipc.cli import main; main()", "build", *args]
    if tag is not None:
        argv += ["-t", tag]
    environment = {**os.environ, "SHIP_DOCKER": DOCKER, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(argv, cwd=folder, env=environment, capture_output=True, text=True)


def _tag(project) -> str:
    tag = f"{_TAG}:{os.getpid()}-{next(_counter)}"
    project.tags.append(tag)
    return tag


FAILING = f"""# one step fails
app demo

build go semsuite {{
    run go build -o /out/demo .
    artifact /out/demo
}}

runtime image {BUSYBOX} {{
    run test -d /etc
    copy config.txt -> /etc/demo/
    run test -f /etc/demo/missing.txt
    cmd demo
}}
"""


def test_a_failing_step_is_reported_at_its_ship_line(project):
    folder = project({"app.ship": FAILING, "config.txt": "x\n", **GO_FILES})
    result = ship_build(folder, "app.ship", tag=_tag(project))
    assert result.returncode == 4, result.stderr
    assert "#" in result.stderr and "ERROR" in result.stderr  # docker's own output, passed on
    ours = result.stderr[result.stderr.index("app.ship:12:5: error:") :]
    assert re.fullmatch(
        r"app\.ship:12:5: error: docker build failed in this RUN \(Dockerfile line \d+\):"
        r" exit code: 1\n"
        r"        run test -f /etc/demo/missing\.txt\n"
        r"        \^~+\n"
        r"ship: docker build failed\n",
        ours,
    ), ours


def test_a_step_numbered_past_nine_is_found_in_a_padded_progress_line(project):
    """With ten steps or more BuildKit pads the step's number (`[runtime  4/12]`)."""
    copies = "".join(f"    copy f{i}.txt -> /etc/demo/\n" for i in range(8))
    source = FAILING.replace("    copy config.txt -> /etc/demo/\n", "").replace(
        "    cmd demo\n", copies + "    cmd demo\n"
    )
    files = {f"f{i}.txt": f"{i}\n" for i in range(8)}
    folder = project({"app.ship": source, **files, **GO_FILES})
    result = ship_build(folder, "app.ship")
    assert result.returncode == 4, result.stderr
    assert re.search(r"^#\d+ \[runtime +\d/1\d\] RUN ", result.stderr, re.MULTILINE)
    assert re.search(
        r"^app\.ship:10:5: error: docker build failed in the RUN of this line and line 11 ",
        result.stderr,
        re.MULTILINE,
    ), result.stderr

def test_a_shared_run_names_each_of_its_lines(project):
    source = FAILING.replace("    copy config.txt -> /etc/demo/\n", "")
    folder = project({"app.ship": source, **GO_FILES})
    result = ship_build(folder, "app.ship")
    assert result.returncode == 4, result.stderr
    assert re.search(
        r"^app\.ship:10:5: error: docker build failed in the RUN of this line and line 11 "
        r"\(Dockerfile line \d+\): exit code: 1$",
        result.stderr,
        re.MULTILINE,
    ), result.stderr
    assert "any of them may be the one that failed" in result.stderr


CACHED_ARTIFACTS = f"""app demo
build rust semsuite {{
    run mkdir -p target/release && touch target/release/libx.so
    artifact target/release/*.so -> /usr/local/lib/
    artifact target/release/missing -> /usr/local/bin/x
}}
runtime image {BUSYBOX} {{
    cmd x
}}
"""


def test_a_failing_copy_out_of_a_cache_names_its_artifact_lines_and_cps_reason(project):
    folder = project({"app.ship": CACHED_ARTIFACTS})
    result = ship_build(folder, "app.ship")
    assert result.returncode == 4, result.stderr
    ours = result.stderr[result.stderr.index("app.ship:3:5: error:") :]
    assert re.fullmatch(
        r"app\.ship:3:5: error: docker build failed in the RUN of this line and lines 4, 5"
        r" \(Dockerfile line \d+\): exit code: 1; its last output: cp: can't stat"
        r" '/src/target/release/missing': No such file or directory\n"
        r"        run mkdir .*\n"
        r"        \^~+\n"
        r"    hint: the RUN ends by copying the artifacts of lines 4, 5 out of the cache it"
        r" builds in: an artifact that the run lines did not make fails it\n"
        r"ship: docker build failed\n",
        ours,
    ), ours


def test_a_failing_copy_in_an_included_file_names_that_file(project):
    shared = (
        "build go semsuite {\n    copy missing.go\n    run go build -o /out/demo .\n"
        "    artifact /out/demo\n}\n"
    )
    folder = project(
        {
            "svc/app.ship": 'app demo\ninclude "../shared/go.ship"\n' + RUNTIME,
            "shared/go.ship": shared,
            **GO_FILES,
        }
    )
    result = ship_build(folder, "svc/app.ship", ".")
    assert result.returncode == 4, result.stderr
    assert re.search(
        r"^shared/go\.ship:2:5: error: docker build failed in this COPY \(Dockerfile line \d+\)",
        result.stderr,
        re.MULTILINE,
    ), result.stderr
    assert "\n    included from svc/app.ship:2:9\n" in result.stderr


SECRET = f"""# the build reads a secret
app demo

arg WHO=nobody

build image {BUSYBOX} {{
    secret token
    run mkdir -p /out && test "$(cat /run/secrets/token)" = s3cret && echo "$WHO" > /out/who
    artifact /out/who
}}

runtime image {BUSYBOX} {{
    cmd cat /out/who
}}
"""


def test_secrets_target_and_build_args_reach_docker(project):
    folder = project({"app.ship": SECRET, "token.txt": "s3cret"})
    tag = _tag(project)
    by_file = ship_build(
        folder, "app.ship", "--secret", "token=token.txt", "--build-arg", "WHO=me", tag=tag
    )
    assert by_file.returncode == 0, by_file.stderr
    out = docker("run", "--rm", tag, "cat", "/out/who").stdout
    assert out == "me\n"
    by_env = ship_build(
        folder,
        "app.ship",
        "--target",
        "build",
        env={"SHIP_SECRET_TOKEN": "s3cret"},
        tag=_tag(project),
    )
    assert by_env.returncode == 0, by_env.stderr
    # A secret's content is not in the cache key: --no-cache makes the step run again.
    wrong = ship_build(
        folder, "app.ship", "--no-cache", "--secret", "token=env:T", env={"T": "wrong"}
    )
    assert wrong.returncode == 4, wrong.stderr
    assert re.search(r"^app\.ship:8:5: error: docker build failed in this RUN", wrong.stderr, re.M)


def test_a_needed_secret_without_a_source_is_refused_before_docker_runs(project):
    folder = project({"app.ship": SECRET})
    result = ship_build(folder, "app.ship", env={"SHIP_DOCKER": "/nonexistent/docker"})
    assert result.returncode == 2
    assert result.stderr == (
        "ship: the build mounts secret 'token', and nothing gives it: pass --secret token=FILE"
        " or --secret token=env:VAR, or set SHIP_SECRET_TOKEN\n"
    )
    unknown = ship_build(
        folder, "app.ship", "--secret", "tokn=x", env={"SHIP_DOCKER": "/nonexistent/docker"}
    )
    assert unknown.returncode == 2
    assert "no stage being built mounts that secret (they mount: token)" in unknown.stderr


def test_usage_problems_exit_2(project):
    folder = project({"app.ship": SECRET})
    no_docker = ship_build(
        folder,
        "app.ship",
        "--target",
        "runtime",
        env={"SHIP_DOCKER": "/nonexistent/docker", "SHIP_SECRET_TOKEN": "x"},
    )
    assert no_docker.returncode == 2
    assert no_docker.stderr.startswith("ship: cannot run /nonexistent/docker: ")
    target = ship_build(folder, "app.ship", "--target", "nope")
    assert (target.returncode, target.stderr) == (
        2,
        "ship: no stage 'nope' to build (stages: build, runtime)\n",
    )


IGNORED = (
    "ignore *.log secret.txt\napp web\n\nbuild node semsuite {\n    run npm run build\n"
    "    artifact dist\n}\n\nruntime node semsuite {\n    cmd node dist/index.js\n}\n"
)


def test_ignored_files_and_host_outputs_do_not_reach_the_image(project):
    """`ship build` uses the .dockerignore `ship compile --dockerignore` writes (the file's
    `ignore` patterns, .git, the host's node_modules), plus the context's own .dockerignore:
    none of these reach the image, and the install step's node_modules is not overwritten."""
    folder = project(
        {
            "app.ship": IGNORED,
            "package.json": "{}\n",
            "package-lock.json": "{}\n",
            "index.js": "console.log(1)\n",
            "node_modules/.installed-by": "host\n",
            ".git/HEAD": "ref: refs/heads/main\n",
            "debug.log": "noise\n",
            "secret.txt": "hunter2\n",
            "notes.md": "private\n",
            ".dockerignore": "# the user's own\nnotes.md\n",
        }
    )
    tag = _tag(project)
    result = ship_build(folder, "app.ship", "--target", "build", tag=tag)
    assert result.returncode == 0, result.stderr
    listed = docker("run", "--rm", tag, "ls", "-A", "/app").stdout.split()
    assert "index.js" in listed and "package.json" in listed
    for name in ("secret.txt", "debug.log", ".git", "notes.md"):
        assert name not in listed, (name, listed)
    installed = docker("run", "--rm", tag, "cat", "/app/node_modules/.installed-by").stdout
    assert installed == "npm\n"  # the image's own, not the host's


@case("binary")
def test_a_failing_binary_build_is_reported_at_its_binary_line(project):
    """The command `binary` writes is its line's: `ship build` names that line."""
    source = "app demo\n\nbuild go semsuite {\n    binary ./cmd/missing\n}\n\n" + RUNTIME
    folder = project({"app.ship": source, **GO_FILES})
    result = ship_build(folder, "app.ship", tag=_tag(project))
    assert result.returncode == 4, result.stderr
    assert "go: directory ./cmd/missing not found" in result.stderr
    assert re.search(
        r"^app\.ship:4:5: error: docker build failed in this RUN \(Dockerfile line \d+\):"
        r" exit code: 1; its last output: go: directory \./cmd/missing not found\n"
        r"        binary \./cmd/missing\n        \^~+\n",
        result.stderr,
        re.MULTILINE,
    ), result.stderr

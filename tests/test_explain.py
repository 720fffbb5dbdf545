"""`ship explain`: the effective declaration after presets, stage by stage. Each value it
shows is the compiler's own (the same the Dockerfile is written from)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import shipc
from click.testing import CliRunner
from shipc.cli import main
from shipc.explain import explain

ROOT = Path(__file__).resolve().parent.parent


def _explained(source: str) -> str:
    return explain(shipc.compile_source(textwrap.dedent(source), "t.ship"))


def _section(text: str, head: str) -> dict[str, list[str]]:
    """The lines of the stage whose head starts with `head`, by label (continued lines
    under the label above them)."""
    block = next(b for b in text.split("\n\n") if b.startswith(head))
    found: dict[str, list[str]] = {}
    label = ""
    for line in block.splitlines()[1:]:
        key, _, value = line.strip().partition(":  ") if line[2] != " " else ("", "", line)
        label = key or label
        found.setdefault(label, []).append(value.strip())
    return found


NODE_SPA = """
    app spa
    build node 22 alpine 3.22 {
        run npm run build
        artifact dist/ -> /usr/share/nginx/html/
    }
    runtime nginx 1.28 alpine {
        copy site.conf -> /etc/nginx/conf.d/default.conf
        expose 8080
    }
"""


def test_a_build_shows_image_manager_manifests_install_caches_steps_and_artifacts():
    build = _section(_explained(NODE_SPA), "build 'build' (line 3): toolchain preset node")
    assert build["image"] == ["node:22-alpine3.22"]
    assert build["shell"] == ["/bin/sh -c (Docker's default)"]  # no command pipes: no SHELL
    assert build["manager"] == ["npm"]
    assert build["manifests"] == ["package.json, package-lock.json"]
    assert build["install"] == ["npm ci (before the sources)"]
    assert build["cache mounts"] == ["/root/.npm"]
    assert build["steps"] == ["copy the sources (COPY . .)", "run npm run build"]
    assert build["artifacts"] == ["dist/ (files, at the same path unless '->')"]
    assert build["needs"] == ["nothing (static)"]  # built assets need no Node.js


def test_a_runtime_shows_what_it_provides_its_user_and_where_artifacts_land():
    runtime = _section(_explained(NODE_SPA), "runtime 'runtime'")
    assert runtime["image"] == ["nginxinc/nginx-unprivileged:1.28-alpine"]
    assert runtime["provides"] == ["musl libc"]
    assert runtime["packages"] == ["none asked (with apk)"]
    assert runtime["user"] == ["101:101 (the preset's)"]
    assert runtime["receives"] == ["dist/ from 'build' -> /usr/share/nginx/html/ (root's)"]
    assert runtime["steps"] == ["copy site.conf -> /etc/nginx/conf.d/default.conf"]
    assert runtime["ports"] == ["8080"]


def test_defaults_and_declared_values_are_told_apart():
    text = _explained(
        """
        app a
        build go {
            deps go.mod vendor
            install go mod verify
            run go build -o /out/a .
            artifact /out/a
        }
        runtime distroless static debian13 {
            user 1000:1000
            cmd a
        }
        """
    )
    assert "toolchain preset go, version 1.22 (the default)" in text
    build = _section(text, "build 'build'")
    assert build["manifests"] == ["go.mod, vendor (declared)"]
    assert build["install"] == ["go mod verify (declared)"]
    assert build["needs"] == ["nothing (static)"]
    runtime = _section(text, "runtime 'runtime'")
    assert runtime["image"] == ["gcr.io/distroless/static-debian13:nonroot"]
    assert runtime["shell"] == ["none (the image has no shell)"]
    assert runtime["user"] == ["1000:1000"]
    assert runtime["receives"] == ["/out/a from 'build' -> /usr/local/bin/a (root's)"]


def test_a_python_runtime_shows_the_env_the_venv_needs():
    text = _explained(
        """
        app a
        build python 3.12 slim bookworm uv {
            artifact app.py
        }
        runtime python 3.12 slim bookworm {
            cmd python app.py
        }
        """
    )
    build = _section(text, "build 'build'")
    assert build["manager"] == ["uv"]
    assert build["needs"] == ["Python 3.12, Python installed under /usr/local, glibc"]
    runtime = _section(text, "runtime 'runtime'")
    assert runtime["env"] == ["VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH"]
    assert runtime["receives"][0] == "/opt/venv from 'build' -> /opt/venv (root's)"


@pytest.mark.parametrize("sample", sorted((ROOT / "samples").glob("*.ship")), ids=lambda p: p.stem)
def test_every_sample_is_explained_stage_by_stage(sample):
    compiled = shipc.compile_source(sample.read_text("utf-8"), sample.name)
    text = explain(compiled)
    heads = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert heads[0] == f"app {compiled.model.app.value}"
    assert [h.split(" ")[1] for h in heads[1:]] == [
        f"'{s.name.value}'" for s in compiled.model.stages
    ]


def _dockerfile_stages(dockerfile: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (what FROM names, the stage's instructions, continuation lines joined)."""
    stages: dict[str, tuple[str, list[str]]] = {}
    current: list[str] = []
    for line in dockerfile.replace("\\\n", " ").splitlines():
        if line.startswith("FROM "):
            words = [w for w in line.split()[1:] if not w.startswith("--")]
            current = []
            stages[words[2] if len(words) > 2 else str(len(stages))] = (words[0], current)
        elif line[:1].isupper() and current is not None:
            current.append(line)
    return stages


def _true_shell(name: str, stages) -> str:
    """The shell a stage's RUNs use, read from the Dockerfile: its SHELL, else its base
    stage's, else Docker's default."""
    base, instructions = stages[name]
    shells = [json.loads(i[len("SHELL ") :]) for i in instructions if i.startswith("SHELL ")]
    if shells:
        return " ".join(shells[-1])
    return _true_shell(base, stages) if base in stages else "/bin/sh -c"


def _check_claims(compiled) -> None:
    """Every shell and env placement explain claims is what the Dockerfile does."""
    text = explain(compiled)
    stages = _dockerfile_stages(compiled.dockerfile)
    for stage in compiled.model.stages:
        name = stage.name.value
        claims = _section(text, f"{stage.kind} '{name}'")
        (shell,) = claims["shell"]
        true = _true_shell(name, stages)
        if shell == "none (the image has no shell)":
            assert true == "/bin/sh -c" and not any(
                i.startswith("RUN ") for i in stages[name][1]
            ), (name, compiled.dockerfile)
        else:
            assert shell.partition(" (")[0] == true, (name, shell, compiled.dockerfile)
            assert shell.endswith("(Docker's default)") == (true == "/bin/sh -c")
        instructions = stages[name][1]
        envs = [n for n, i in enumerate(instructions) if i.startswith("ENV ")]
        for step in claims.get("steps", []):
            if match := re.fullmatch(r"env (.*) set here", step):
                placed = [n for n in envs if instructions[n] == f"ENV {match.group(1)}"]
                assert placed, (step, instructions)
                before = [i.split()[0] for i in instructions[: placed[0]]]
                assert {"RUN", "COPY", "USER"} & set(before), (step, instructions)


@pytest.mark.parametrize("sample", sorted((ROOT / "samples").glob("*.ship")), ids=lambda p: p.stem)
def test_every_samples_shell_and_env_claims_match_its_dockerfile(sample):
    _check_claims(shipc.compile_source(sample.read_text("utf-8"), sample.name))


SHELLS = """
    app a
    build go 1.22 {
        run go build -o /out/a . | tee log
        artifact /out/a
    }
    test from build {
        run go test ./...
    }
    build tool: image alpine:3.20 {
        shell /bin/sh -ec
        run make
    }
    runtime php 8.3 fpm {
        extensions gd --with-jpeg --with-freetype intl redis=6.1.0
        env EARLY=1
        run echo hi
        env LATE=2 MORE=3
        run echo "$LATE"
        cmd a
    }
    runtime bare: distroless static {
        env ONLY=1
        cmd a
    }
"""


def test_the_shell_shown_is_the_one_the_runs_use():
    compiled = shipc.compile_source(textwrap.dedent(SHELLS), "t.ship")
    _check_claims(compiled)
    text = explain(compiled)
    assert _section(text, "build 'build'")["shell"] == [
        "/bin/bash -o pipefail -c (SHELL: a command pipes)"
    ]
    assert _section(text, "test 'test'")["shell"] == [
        "/bin/bash -o pipefail -c (SHELL: from stage 'build')"
    ]
    assert _section(text, "build 'tool'")["shell"] == ["/bin/sh -ec (SHELL: declared)"]
    assert _section(text, "runtime 'runtime'")["shell"] == ["/bin/sh -c (Docker's default)"]
    assert _section(text, "runtime 'bare'")["shell"] == ["none (the image has no shell)"]


def test_only_an_env_placed_among_the_steps_is_said_to_be_set_there():
    text = _explained(SHELLS)
    runtime = _section(text, "runtime 'runtime'")
    assert runtime["env"] == ["EARLY=1 LATE=2 MORE=3"]
    assert runtime["steps"] == ["run echo hi", "env LATE=2 MORE=3 set here", 'run echo "$LATE"']
    bare = _section(text, "runtime 'bare'")
    assert bare["env"] == ["ONLY=1"] and "steps" not in bare  # in its first ENV


def test_extension_options_are_shown_with_their_extension():
    runtime = _section(_explained(SHELLS), "runtime 'runtime'")
    assert runtime["extensions"] == [
        "gd (configured --with-jpeg --with-freetype), intl, redis=6.1.0"
    ]


def test_the_command_prints_it_and_reports_errors_like_check(tmp_path):
    good = tmp_path / "a.ship"
    good.write_text(textwrap.dedent(NODE_SPA))
    runner = CliRunner()
    result = runner.invoke(main, ["explain", str(good)])
    assert result.exit_code == 0 and result.output.startswith("app spa\n\nbuild 'build'")
    bad = tmp_path / "b.ship"
    bad.write_text("app a\nruntime nginx 1.28 {\n    expose 99999\n}\n")
    result = runner.invoke(main, ["explain", str(bad)])
    assert result.exit_code == 1 and "b.ship:3:12: error:" in result.output


def test_explain_is_imported_only_when_run():
    code = "import shipc.cli, sys; print('shipc.explain' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_manager_with_a_chosen_tool_version_is_named_and_installs_it():
    build = _section(
        _explained(
            """
            app a
            build python 3.12 uv=0.6.14 {
                artifact app.py
            }
            runtime python 3.12 slim {
                cmd python app.py
            }
            """
        ),
        "build 'build'",
    )
    assert build["manager"] == ["uv"]
    assert build["set-up"] == ["pip install --root-user-action=ignore uv==0.6.14"]


def test_a_build_shows_the_packages_it_installs_its_toolchains_own_told_apart():
    text = _explained("""
        app tiles
        build cmake bookworm-slim {
            packages cmake=3.25.1-1 libpng-dev=1.6.39-2
            run cmake -S . -B build && cmake --build build
            artifact build/tiles
        }
        runtime debian bookworm-slim {
            cmd tiles
        }
    """)
    build = _section(text, "build 'build' (line 3): toolchain preset cmake")
    assert build["packages"] == [
        "cmake=3.25.1-1, g++ (the toolchain's, unpinned), make (the toolchain's, unpinned),"
        " libpng-dev=1.6.39-2 (with apt)"
    ]
    assert build["cache mounts"] == ["/src/build"]


def test_an_implied_entrypoint_is_told_and_so_is_why_there_is_none():
    text = _explained(
        """
        app tools
        build go 1.22 {
            run go build -o /out/ ./cmd/server ./cmd/migrate
            artifact /out/server /out/migrate
        }
        runtime both: alpine 3.20 {
        }
        runtime server: distroless static {
            ships /out/server
        }
        runtime web: nginx 1.28 {
            ships none
        }
        runtime own: distroless static {
            ships /out/server
            cmd server --port 80
        }
        """
    )
    server = _section(text, "runtime 'server'")
    assert server["entrypoint"] == ["server (implied: the one program the runtime receives)"]
    assert "command" not in server
    both = _section(text, "runtime 'both'")
    assert both["command"] == [
        "none written, none implied: it receives 2 programs (server, migrate): say which one runs"
    ]
    assert "entrypoint" not in both
    web = _section(text, "runtime 'web'")
    assert web["command"] == ["none written, none implied: the image's own command runs"]
    own = _section(text, "runtime 'own'")
    assert (own["cmd"], "entrypoint" in own) == (["server --port 80"], False)


def test_the_files_a_build_writes_before_its_install_are_shown_with_the_dependency_layer():
    build = _section(
        _explained("""
            app web
            build node 22 {
                file .npmrc "registry=https://npm.example.com/"
                run npm run build
                file late.txt "x"
                artifact /app/dist
            }
            runtime node 22 slim {
                cmd node dist/index.js
            }
        """),
        "build 'build'",
    )
    assert build["files"] == [".npmrc (written before the install, which reads them)"]
    assert build["steps"] == [
        "copy the sources (COPY . .)",
        "file .npmrc again, over the sources'",
        "run npm run build",
        "file late.txt (1 line, COPY <<)",
    ]


def test_a_stage_from_a_runtime_is_said_to_be_that_runtime_written_out_not_a_toolchain():
    text = _explained("""
        app demo
        build go 1.22 {
            run go build -o /out/demo .
            artifact /out/demo
        }
        runtime web: alpine 3.20 {
            cmd demo
        }
        test smoke: from web {
            run demo --version
        }
        test again: from smoke {
            run true
        }
        runtime edge: from web {
            expose 80
        }
    """)
    heads = [line for line in text.splitlines() if line.startswith(("test", "runtime"))]
    written_out = "written out on its base: runtime preset alpine, version 3.20"
    assert heads == [
        "runtime 'web' (line 7): runtime preset alpine, version 3.20",
        f"test 'smoke' (line 10): from runtime 'web', {written_out}",
        "test 'again' (line 13): from stage 'smoke'",
        f"runtime 'edge' (line 16): from runtime 'web', {written_out}",
    ]
    assert "toolchain" not in text.split("test 'smoke'")[1]


def test_a_builds_env_is_shown_where_it_stands():
    """A build's env written before its first step is in its first ENV (shown under `env`),
    one written after a step is set among the steps: explain says what the Dockerfile does."""
    source = """
        app a
        build go 1.22 {
            env GOFLAGS=-mod=mod
            run go build -o /out/a-static .
            env CGO_ENABLED=1
            run go build -o /out/a-dyn .
            artifact /out/a-static /out/a-dyn
        }
        test from build {
            run go vet ./...
            env CGO_ENABLED=1
            run go test -race ./...
        }
        runtime debian bookworm-slim {
            cmd a-dyn
        }
    """
    compiled = shipc.compile_source(textwrap.dedent(source), "t.ship")
    _check_claims(compiled)
    build = _section(explain(compiled), "build 'build'")
    assert build["env"] == ["CGO_ENABLED=0 GOFLAGS=-mod=mod"]
    assert build["steps"] == [
        "copy the sources (COPY . .)",
        "run go build -o /out/a-static .",
        "env CGO_ENABLED=1 set here",
        "run go build -o /out/a-dyn .",
    ]
    test = _section(explain(compiled), "test 'test'")
    assert "env" not in test
    assert test["steps"][1] == "env CGO_ENABLED=1 set here"


def test_explain_says_how_each_writable_folder_is_made_the_users():
    """The form runtime.py gives each folder: a new one (under /app, which the preset's
    base lacks) by the user's WORKDIR, one the base may have by a RUN before the steps,
    one a copy may bring by a RUN after that copy."""
    text = _explained(
        """
        app demo
        build go 1.22 {
            artifact /out/site -> /app/site
        }
        runtime debian bookworm-slim {
            writable cache /var/log site/uploads
            volume /data
            cmd demo
        }
        """
    )
    said = _section(text, "runtime 'runtime'")["writable"]
    owner = "(owned by 65532:65532): "
    assert said == [
        f"/app/cache {owner}new, made by the user's WORKDIR",
        f"/var/log {owner}the base may have it: RUN mkdir -p, chown -R as root, before the steps",
        f"/app/site/uploads {owner}a copy may bring it: RUN mkdir -p, chown -R as root, after"
        " that copy",
        f"/data {owner}the base may have it: RUN mkdir -p, chown -R as root, before the steps",
    ]
    source = "app demo\nruntime debian bookworm-slim {\n    writable cache /var/log\n}\n"
    dockerfile = shipc.compile_source(source, "t.ship").dockerfile
    assert "RUN mkdir -p /var/log && chown -R 65532:65532 /var/log\n" in dockerfile
    assert "USER 65532:65532\nWORKDIR /app/cache\n" in dockerfile


def test_an_env_line_that_sets_the_value_in_effect_is_said_to_write_no_env():
    text = explain(shipc.compile_source(
        "app demo\nbuild go 1.22 {\n    run go build -o /out/a .\n    env CGO_ENABLED=0\n"
        "    run go vet ./...\n    env CGO_ENABLED=1\n    artifact /out/a\n}\n"
        "runtime debian 12 { cmd a }\n",
        "t.ship",
    ))
    assert "env CGO_ENABLED=0 (the value in effect already: no ENV)" in text
    assert "env CGO_ENABLED=1 set here" in text

"""`ship explain`: the effective declaration after presets, stage by stage. Each value it
shows is the compiler's own (the same the Dockerfile is written from)."""

from __future__ import annotations

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
    assert build["shell"] == ["/bin/ash -eo pipefail -c"]
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
    assert runtime["shell"] == ["none"]
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

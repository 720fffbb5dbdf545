"""Lowering rules, one behaviour each, asserted on the generated Dockerfile text."""

from __future__ import annotations

import textwrap

import dockerfile
import shipc
from buildkit_checks import check_dockerfile


def compile_text(source: str) -> str:
    text = shipc.compile_source(textwrap.dedent(source), "t.ship").dockerfile
    dockerfile.parse_string(text)
    assert check_dockerfile(text) == []
    return text


def stage(text: str, name: str) -> list[str]:
    """The instruction lines of stage `name` (continuations joined)."""
    joined = text.replace(" \\\n    ", " ")
    block = joined.split(f" AS {name}\n", 1)[1].split("\n\n", 1)[0]
    return block.splitlines()


GO = """
app demo
build go 1.22 {
    run go build -o /out/demo .
    artifact /out/demo
}
"""


def test_dependency_layer_comes_before_the_sources():
    lines = stage(compile_text(GO + "runtime scratch {\n}\n"), "build")
    copy_manifests = lines.index("COPY go.mod go.sum* ./")
    download = next(i for i, line in enumerate(lines) if line.endswith("go mod download"))
    sources = lines.index("COPY . .")
    assert copy_manifests < download < sources


def test_env_reading_a_name_set_in_the_same_directive_starts_a_new_env():
    text = compile_text(GO + "runtime scratch {\n    env A=1 B=${A} C=2\n}\n")
    assert stage(text, "runtime")[0:2] == ["ENV A=1", "ENV B=${A} C=2"]


def test_env_writes_only_the_value_in_effect_of_a_key_set_twice():
    """A preset's value the block's env replaces, or a key set twice, is written once; a
    value that reads the key before it is set again keeps the earlier one."""
    source = GO.replace("    run go", "    env CGO_ENABLED=1 A=1\n    env A=2\n    run go")
    text = compile_text(source + "runtime debian bookworm-slim {\n}\n")
    assert stage(text, "build")[1] == "ENV CGO_ENABLED=1 A=2"
    text = compile_text(GO + "runtime scratch {\n    env A=1 B=x${A} A=2 C=1 C=3\n}\n")
    assert stage(text, "runtime")[0:2] == ["ENV A=1", "ENV B=x${A} A=2 C=3"]


def test_expose_writes_the_protocol_for_references_as_for_numbers():
    text = compile_text(
        GO.replace("app demo", "app demo\narg PORT=8080")
        + "runtime scratch {\n    expose ${PORT} 81 ${PORT}/udp 82/udp\n}\n"
    )
    assert "EXPOSE ${PORT}/tcp 81/tcp ${PORT}/udp 82/udp" in stage(text, "runtime")


def test_a_label_port_or_volume_given_again_is_written_once_with_the_value_in_effect():
    text = compile_text(
        GO
        + "runtime base: scratch {\n    label a=1 b=0\n    label a=2\n    expose 80 81 80/tcp\n"
        "    volume /d /e /d\n    entrypoint demo\n}\n"
        "runtime child: from base {\n    label a=3\n    expose 80\n}\n"
    )
    for name, value in (("base", "2"), ("child", "3")):
        lines = stage(text, name)
        assert "EXPOSE 80/tcp 81/tcp" in lines
        assert 'VOLUME ["/d", "/e"]' in lines
        assert f"LABEL org.opencontainers.image.title=demo a={value} b=0" in lines


def test_user_0_is_root_so_no_user_line_switches_between_them():
    text = compile_text(
        GO + "runtime debian bookworm-slim {\n    user 0\n    run one\n    as user\n"
        "    run two\n    as root\n    run three\n    cmd demo\n}\n"
    )
    users = [line for line in stage(text, "runtime") if line.startswith("USER")]
    assert users == ["USER 0"]  # the runtime still ends with its USER


def test_packages_run_in_the_images_shell_before_the_stages_shell():
    """`packages bash` then `shell /bin/bash`: the SHELL must come after the install, which
    would otherwise run in a bash that is not there yet."""
    for head in ("runtime alpine 3.20", "build go 1.22 alpine"):
        text = compile_text(
            GO.replace("build go 1.22 {", "build b: go 1.22 {")
            + f"{head} {{\n    packages bash=5.2.26-r0\n    shell /bin/bash -o pipefail -c\n"
            "    run echo a | cat\n}\n"
            + ("runtime scratch {\n    entrypoint demo\n}\n" if head.startswith("build") else "")
        )
        lines = stage(text, "runtime" if head.startswith("runtime") else "build")
        install = next(i for i, x in enumerate(lines) if "apk add" in x)
        assert lines.index('SHELL ["/bin/bash", "-o", "pipefail", "-c"]') == install + 1


def test_consecutive_runs_share_one_run_and_pipes_get_pipefail():
    text = compile_text(
        """
        app demo
        build c 14 {
            links static
            run make
            run ./test.sh | tee log
            artifact demo
        }
        runtime scratch {
        }
        """
    )
    lines = stage(text, "build")
    assert lines[0] == 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]'
    assert [line for line in lines if line.startswith("RUN")] == ["RUN make && ./test.sh | tee log"]


def test_alpine_toolchains_use_ash_for_pipefail():
    source = GO.replace("go 1.22", "go 1.22 alpine").replace("-o /out/demo .", "| cat")
    text = compile_text(source + "runtime scratch {\n}\n")
    assert 'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]' in stage(text, "build")


def test_args_are_declared_globally_and_before_first_use_in_a_stage():
    text = compile_text(
        """
        app demo
        arg GO=1.22 VERSION=dev
        build go ${GO} {
            run go mod verify
            run go build -ldflags "-X main.v=${VERSION}" -o /out/demo .
            artifact /out/demo
        }
        runtime scratch {
        }
        """
    )
    assert text.split("\n\n")[1] == "ARG GO=1.22\nARG VERSION=dev"
    lines = stage(text, "build")
    assert "ARG GO" not in lines  # used only in FROM
    assert lines[lines.index("ARG VERSION") + 1].startswith("RUN ")
    assert lines.index("ARG VERSION") > lines.index("COPY . .")


def test_artifacts_in_a_cache_mount_are_lifted_out_in_the_same_run():
    text = compile_text(
        """
        app demo
        build rust 1.79 {
            run cargo build --release
            artifact target/release/demo
        }
        runtime distroless cc {
        }
        """
    )
    run = [line for line in stage(text, "build") if line.startswith("RUN")][-1]
    assert "--mount=type=cache,target=/src/target" in run
    assert run.endswith(
        "cargo build --release && mkdir -p /out/src/target/release"
        " && cp -a /src/target/release/demo /out/src/target/release/"
    )
    assert "COPY --from=build /out/src/target/release/demo /usr/local/bin/demo" in stage(
        text, "runtime"
    )


def test_runtime_code_is_roots_and_only_its_writable_folders_are_the_users():
    text = compile_text(
        """
        app demo
        build python 3.12 {
            artifact src
        }
        runtime python 3.12 slim {
            volume /data
            writable cache
            copy config.toml
            copy seed.db -> /data/seed.db
        }
        """
    )
    lines = stage(text, "runtime")
    # The work directory is root's, made before the user's folders: /data, which the base
    # may have, handed over by a RUN, then /app/cache (new: the image has no /app) made
    # theirs by the user's WORKDIR; then the files: root's, unless in a writable folder.
    assert lines[1:10] == [
        "WORKDIR /app",
        "RUN mkdir -p /data && chown -R 65532:65532 /data",
        "USER 65532:65532",
        "WORKDIR /app/cache",
        "WORKDIR /app",
        "COPY --from=build /opt/venv /opt/venv",
        "COPY --from=build /app/src /app/src",
        "COPY config.toml /app/config.toml",
        "COPY --chown=65532:65532 seed.db /data/seed.db",
    ]


def test_the_last_runtime_written_is_the_last_stage_even_when_others_derive_from_it():
    text = compile_text(
        GO
        + """
        test smoke: from release {
            run demo --version
        }
        runtime debug: from release {
            packages curl=8.11.1-r0
        }
        runtime release: alpine 3.20 {
            cmd demo
        }
        """
    )
    names = [line.split(" AS ")[1] for line in text.splitlines() if line.startswith("FROM ")]
    assert names == ["build", "smoke", "debug", "release"]
    smoke = stage(text, "smoke")
    assert smoke.index("RUN demo --version") == smoke.index("USER 65532:65532") + 1
    assert stage(text, "debug")[0] == "RUN apk add --no-cache curl=8.11.1-r0"


def test_values_are_quoted_and_commands_are_json():
    text = compile_text(
        GO
        + """
        runtime scratch {
            label "org.opencontainers.image.description=A \\"quoted\\" text"
            cmd demo "two words"
        }
        """
    )
    lines = stage(text, "runtime")
    assert 'org.opencontainers.image.description="A \\"quoted\\" text"' in lines[-2]
    assert lines[-1] == 'CMD ["demo", "two words"]'


def test_a_runtime_variant_with_its_own_user_runs_as_it():
    """PHP's Alpine images have www-data as 82, the Debian ones as 33."""
    php = "app demo\nbuild composer 2.8 {\n    artifact vendor\n}\nruntime php 8.3 fpm%s {\n}\n"
    for variant, user in (("", "33:33"), (" alpine", "82:82"), (" bookworm", "33:33")):
        lines = stage(compile_text(php % variant), "runtime")
        assert lines[-2:] == [f"USER {user}", "LABEL org.opencontainers.image.title=demo"]
        assert "COPY --from=build /var/www/html/vendor /var/www/html/vendor" in lines  # root's


def test_a_build_installs_its_toolchains_packages_with_the_pinned_ones():
    source = (
        "app demo\nbuild cmake bookworm-slim {\n    packages g++=4:12.2.0-3 libpng-dev=1.6.39-2\n"
        "    run cmake -S . -B build && cmake --build build\n    artifact build/demo\n}\n"
        "build tool: go 1.22 alpine {\n    packages git=2.45.2-r0\n}\n"
        "runtime debian bookworm-slim {\n    cmd demo\n}\n"
    )
    text = compile_text(source)
    lines = stage(text, "build")
    install = next(line for line in lines if "apt-get install" in line)
    assert "apt-get install -y --no-install-recommends cmake g++=4:12.2.0-3" in install
    assert install.index("libpng-dev=1.6.39-2") < install.index(" make ")
    assert lines.index(next(x for x in lines if "apt-get" in x)) < lines.index("COPY . .")
    assert "apk add --no-cache git=2.45.2-r0" in "\n".join(stage(text, "tool"))


def _instructions(text: str, name: str) -> list[str]:
    """The first line of each instruction of stage `name` (a heredoc's lines left out)."""
    block = text.split(f" AS {name}\n", 1)[1].split("\nFROM ", 1)[0]
    lines, in_text = [], None
    for line in block.splitlines():
        if in_text is not None:
            in_text = None if line == in_text else in_text
            continue
        if line.startswith("COPY <<"):
            in_text = line.split('"')[1]
        if line.strip():
            lines.append(line)
    return lines


def test_files_written_before_the_steps_are_in_the_dependency_layer_before_the_install():
    """Read by the install (and by the manager's set-up, a `pip install poetry`): before
    them; a file in the work directory is written again over the whole context, which
    may hold its own; one outside it (pip's) is not; a file after a step stays a step."""
    text = compile_text("""
        app demo
        build python 3.12 poetry {
            file pip.conf "[global]" "index-url = https://pypi.example.com/simple"
            file /etc/pip.conf "[global]"
            run poetry build
            file late.txt "x"
            artifact dist
        }
        runtime python 3.12 slim {
            cmd python -m demo
        }
    """)
    lines = _instructions(text, "build")
    start = lines.index('COPY <<"SHIP_EOF" pip.conf')
    assert lines[start + 1] == 'COPY <<"SHIP_EOF" /etc/pip.conf'
    assert "pip install" in lines[start + 2] and "poetry==" in lines[start + 2]
    sources = lines.index("COPY . .")
    assert lines[sources + 1 : sources + 3] == [
        'COPY <<"SHIP_EOF" pip.conf', "RUN --mount=type=cache,target=/root/.cache/pypoetry"
        " poetry build"
    ]
    assert lines[sources + 3] == 'COPY <<"SHIP_EOF" late.txt'


def test_a_file_of_a_build_without_an_install_or_after_a_copy_stays_a_step():
    """No install to read it (`copy none`), or the block copies what it wants (the file
    stays before its install, and the copies after it are in the order written)."""
    source = """
        app demo
        build node 22 {
            file .npmrc "registry=https://npm.example.com/"
            COPY
            run npm run build
            artifact dist
        }
        runtime node 22 slim {
            cmd node dist/index.js
        }
    """
    lines = _instructions(compile_text(source.replace("COPY", "copy src")), "build")
    npmrc = 'COPY <<"SHIP_EOF" .npmrc'
    assert lines.count(npmrc) == 1 and lines.index(npmrc) < lines.index("COPY src ./src")
    assert lines.index(npmrc) < next(i for i, x in enumerate(lines) if x.endswith(" npm ci"))
    lines = _instructions(compile_text(source.replace("COPY", "copy none")), "build")
    assert lines[1:] == [npmrc, "RUN --mount=type=cache,target=/root/.npm npm run build"]


def test_a_builds_env_written_after_a_step_is_an_env_at_that_place():
    """The env lines before the first step open the stage (the install sees them); one
    written after a run is an ENV between that run and the next, as a runtime's is."""
    source = """
    app demo
    build go 1.22 {
        env GOFLAGS=-mod=mod
        run go build -o /out/a-static .
        env CGO_ENABLED=1
        run go build -o /out/a-dyn .
        artifact /out/a-static /out/a-dyn
    }
    runtime debian bookworm-slim {
        entrypoint a-dyn
    }
    """
    lines = stage(compile_text(source), "build")
    assert lines[1] == "ENV CGO_ENABLED=0 GOFLAGS=-mod=mod"
    static = next(i for i, line in enumerate(lines) if line.endswith("/out/a-static ."))
    assert lines[static + 1 : static + 3] == [
        "ENV CGO_ENABLED=1",
        "RUN --mount=type=cache,target=/go/pkg/mod"
        " --mount=type=cache,target=/root/.cache/go-build go build -o /out/a-dyn .",
    ]
    assert lines.index("COPY . .") < static


def test_a_builds_env_written_after_the_install_line_comes_after_the_install_and_sources():
    """An env line after `install` (before any step) is not seen by the install: its value
    may change on every build without running the install again. So is one after `copy .`."""
    for anchor in ("install npm ci", "copy ."):
        source = f"""
        app web
        arg VERSION
        build node 22 {{
            {anchor}
            env APP_VERSION=${{VERSION}}
            run npm run build
            artifact dist
        }}
        runtime node 22 slim {{
            cmd node dist/index.js
        }}
        """
        lines = stage(compile_text(source), "build")
        install = next(i for i, line in enumerate(lines) if line.endswith("npm ci"))
        env = lines.index("ENV APP_VERSION=${VERSION}")
        sources = lines.index("COPY . ./" if anchor == "copy ." else "COPY . .")
        assert install < sources < env < len(lines) - 1
        assert lines[env + 1].endswith("npm run build"), anchor


def test_a_tests_env_stands_where_written_among_its_steps():
    source = GO + """
    test from build {
        env A=1
        run go vet ./...
        env CGO_ENABLED=1
        run go test -race ./...
    }
    runtime scratch {
    }
    """
    lines = stage(compile_text(source), "test")
    assert [line if line.startswith("ENV") else line.split(" go ")[-1] for line in lines] == [
        "ENV A=1",
        "vet ./...",
        "ENV CGO_ENABLED=1",
        "test -race ./...",
    ]


def test_a_runtime_working_in_the_root_folder_sets_it_once_after_its_writable_folders():
    text = compile_text(
        """
        app demo
        runtime nginx 1.27 {
            writable cache /tmp/nginx
        }
        """
    )
    lines = stage(text, "runtime")
    # Folders the image may have (nothing under `/` is known to be new) are handed to the
    # user by one RUN as root; `WORKDIR /` once, at the end.
    assert lines[:3] == [
        "USER 0:0",
        "RUN mkdir -p /cache /tmp/nginx && chown -R 101:101 /cache /tmp/nginx",
        "WORKDIR /",
    ]
    assert [line for line in lines if line.startswith("WORKDIR")] == ["WORKDIR /"]


def test_a_file_written_at_a_preset_manifests_place_is_the_one_the_install_reads():
    """`file requirements.txt` before the steps: the manifests' COPY leaves that manifest
    out (it would replace the declared file with the context's, or fail without one), the
    install reads the declared file, and it is written again over the sources."""
    source = """
        app r
        build python 3.12 {
            file requirements.txt "flask==3.0"
            run python -m r
            artifact . -> /app/
        }
        runtime python 3.12 slim { cmd python -m r }
    """
    lines = _instructions(compile_text(source), "build")
    declared = 'COPY <<"SHIP_EOF" requirements.txt'
    install = next(i for i, x in enumerate(lines) if x.endswith("pip install -r requirements.txt"))
    assert lines.index(declared) < install
    assert not any(x.startswith("COPY requirements.txt") for x in lines)
    assert lines[lines.index("COPY . .") + 1] == declared
    node = source.replace("python 3.12", "node 22").replace(
        'requirements.txt "flask==3.0"', 'package.json "{}"'
    )
    lines = _instructions(compile_text(node), "build")
    assert "COPY package-lock.json ./" in lines
    assert lines.index('COPY <<"SHIP_EOF" package.json') < lines.index(
        next(x for x in lines if x.endswith(" npm ci"))
    )


def test_an_env_line_after_a_step_that_sets_the_value_in_effect_writes_no_env():
    """`env CGO_ENABLED=0` after a step, with the Go preset's `0` in effect: no ENV (the
    runs around it stay one RUN); one that changes it, or sets it back, is written."""
    text = compile_text("""
        app demo
        build go 1.22 {
            run go build -o /out/a .
            env CGO_ENABLED=0 GOFLAGS=-mod=mod
            run go vet ./...
            env CGO_ENABLED=1
            run go test ./...
            env CGO_ENABLED=0
            run go build -o /out/b .
            artifact /out/a /out/b
        }
        runtime debian 12 { cmd a }
    """)
    lines = [x for x in _instructions(text, "build") if x.startswith("ENV")]
    assert lines == ["ENV CGO_ENABLED=0", "ENV GOFLAGS=-mod=mod", "ENV CGO_ENABLED=1",
                     "ENV CGO_ENABLED=0"]
    text = compile_text("""
        app demo
        build go 1.22 {
            run go build -o /out/a .
            env CGO_ENABLED=0
            run go vet ./...
            artifact /out/a
        }
        runtime alpine 3.20 { cmd a }
    """)
    assert _instructions(text, "build").count("ENV CGO_ENABLED=0") == 1
    assert "    go build -o /out/a . \\\n    && go vet ./...\n" in text


def test_the_folders_a_base_may_have_are_handed_over_in_one_run_with_phps_own():
    """php's /var/www/html is in its image: `writable storage` under it may be there too,
    so it is handed to www-data by a RUN, the same RUN that makes the work directory
    root's; a WORKDIR would have left an existing folder as it was."""
    text = compile_text(
        """
        app demo
        runtime php 8.3 apache {
            writable storage
        }
        """
    )
    lines = stage(text, "runtime")
    assert lines[:3] == [
        "WORKDIR /var/www/html",
        "RUN chown 0:0 /var/www/html && chmod 755 /var/www/html"
        " && mkdir -p /var/www/html/storage && chown -R 33:33 /var/www/html/storage",
        "USER 33:33",
    ]

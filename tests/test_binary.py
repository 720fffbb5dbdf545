"""`binary`: a build's programs said by what they are. Its line compiles to exactly what
the `run` and `artifact` lines a user would write for it compile to (the tests compare the
two Dockerfiles whole), in the place written; no value it holds becomes another word of
the command. The engine cases are in tests/semantics/test_sem_binary.py."""

from __future__ import annotations

import subprocess
import textwrap

import pytest
import shipc
from shipc.explain import explain
from shipc.fmt import format_source


def _compiled(source: str) -> shipc.Compiled:
    return shipc.compile_source(textwrap.dedent(source), "t.ship")


def _dockerfile(body: str, head: str = "app api\n", runtime: str = "distroless static") -> str:
    source = f"{head}build {body}\nruntime {runtime} {{ }}\n"
    return _compiled(source).dockerfile


@pytest.mark.parametrize(
    ("binary", "written"),
    [
        (
            "go 1.22 { binary ./cmd/api }",
            'go 1.22 {\n run go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api\n'
            " artifact /out/api\n}",
        ),
        (
            "go 1.22 { binary example.com/shop/cmd/api/v2 }",
            'go 1.22 {\n run go build -trimpath -ldflags="-s -w" -o /out/api'
            " example.com/shop/cmd/api/v2\n artifact /out/api\n}",
        ),
        (  # the root package: named after the app
            "go 1.22 alpine { binary . }",
            'go 1.22 alpine {\n run go build -trimpath -ldflags="-s -w" -o /out/api .\n'
            " artifact /out/api\n}",
        ),
        (
            'go 1.22 { binary ./cmd/api ./cmd/worker tags=netgo ldflags="-X main.v=1" }',
            'go 1.22 {\n run go build -trimpath -ldflags="-s -w -X main.v=1" -tags=netgo'
            " -o /out/ ./cmd/api ./cmd/worker\n artifact /out/api /out/worker\n}",
        ),
        (
            "rust 1.79 { binary ripsum }",
            "rust 1.79 {\n run cargo build --release --locked --bin ripsum\n"
            " artifact target/release/ripsum\n}",
        ),
        # A destination: the artifact's own. A file's name names the one program, which Go
        # builds under that name; options stand before the arrow.
        (
            "go 1.22 { binary ./cmd/server -> /usr/local/bin/status-page }",
            'go 1.22 {\n run go build -trimpath -ldflags="-s -w" -o /out/status-page'
            " ./cmd/server\n artifact /out/status-page -> /usr/local/bin/status-page\n}",
        ),
        (
            'go 1.22 { binary ./cmd/api tags=netgo ldflags="-X main.v=1" -> /usr/bin/api-server }',
            'go 1.22 {\n run go build -trimpath -ldflags="-s -w -X main.v=1" -tags=netgo'
            " -o /out/api-server ./cmd/api\n artifact /out/api-server -> /usr/bin/api-server\n}",
        ),
        (  # relative: under the runtime's work directory
            "go 1.22 { binary ./cmd/server -> bin/status-page }",
            'go 1.22 {\n run go build -trimpath -ldflags="-s -w" -o /out/status-page'
            " ./cmd/server\n artifact /out/status-page -> bin/status-page\n}",
        ),
        (  # a folder: each program keeps its name
            "go 1.22 { binary ./cmd/api ./cmd/worker -> /usr/bin/ }",
            'go 1.22 {\n run go build -trimpath -ldflags="-s -w" -o /out/ ./cmd/api ./cmd/worker'
            "\n artifact /out/api /out/worker -> /usr/bin/\n}",
        ),
        (  # a program Go would name after its module takes the destination's name
            "go 1.22 { binary example.com/shop/v2 -> /usr/local/bin/shop }",
            'go 1.22 {\n run go build -trimpath -ldflags="-s -w" -o /out/shop'
            " example.com/shop/v2\n artifact /out/shop -> /usr/local/bin/shop\n}",
        ),
        (  # Cargo names it after its target: the copy renames it
            "rust 1.79 { binary ripsum -> /usr/bin/rs }",
            "rust 1.79 {\n run cargo build --release --locked --bin ripsum\n"
            " artifact target/release/ripsum -> /usr/bin/rs\n}",
        ),
        (
            "rust 1.79 { binary ripsum tool -> /opt/bin/ }",
            "rust 1.79 {\n run cargo build --release --locked --bin ripsum --bin tool\n"
            " artifact target/release/ripsum target/release/tool -> /opt/bin/\n}",
        ),
    ],
)
@pytest.mark.parametrize("platforms", ["", "platforms linux/amd64 linux/arm64\n"])
def test_a_binary_line_compiles_as_its_run_and_artifact_lines(binary, written, platforms):
    head = "app api\n" + platforms
    runtime = "distroless cc" if binary.startswith("rust") else "distroless static"
    assert _dockerfile(binary, head, runtime) == _dockerfile(written, head, runtime)


def test_a_cross_rust_build_copies_each_program_out_of_the_targets_folder():
    text = _dockerfile(
        "rust 1.79 { binary ripsum tool }", "app r\nplatforms linux/arm64\n", "distroless cc"
    )
    assert "cargo build --release --locked --bin ripsum --bin tool \\\n" in text
    triple = '/src/target/"$(cat /usr/local/cargo/target-triple)"/release'
    assert f"cp -a {triple}/ripsum {triple}/tool /out/src/target/release/" in text
    assert "COPY --from=build /out/src/target/release/ripsum /usr/local/bin/ripsum" in text
    assert "COPY --from=build /out/src/target/release/tool /usr/local/bin/tool" in text


def test_the_root_package_among_others_is_built_by_a_go_build_of_its_own():
    text = _dockerfile("go 1.22 { binary ./cmd/worker . }", "app shop\n")
    assert (
        'go build -trimpath -ldflags="-s -w" -o /out/worker ./cmd/worker \\\n'
        '    && go build -trimpath -ldflags="-s -w" -o /out/shop .\n'
    ) in text
    # The artifacts in the order written.
    assert text.index("COPY --from=build /out/worker") < text.index("COPY --from=build /out/shop")


def test_the_steps_run_in_the_order_written_and_own_artifacts_ship_too():
    compiled = _compiled(
        """\
        app api
        build go 1.22 {
            run go generate ./...
            artifact /etc/api.conf
            binary ./cmd/api
            run touch /done
        }
        runtime distroless static {
            ships api /etc/api.conf
        }
        """
    )
    text = compiled.dockerfile
    generate, build = text.index("go generate ./..."), text.index("go build -trimpath")
    assert generate < build < text.index("touch /done")
    assert text.index("COPY --from=build /etc/api.conf") < text.index("COPY --from=build /out/api")
    # The RUN keeps the line of each command it holds, the binary line's among them.
    run = [m for m in compiled.lines if m.keyword == "RUN" and m.stage == "build"][-1]
    assert [s.line for s in run.spans] == [3, 5, 6]
    copy = next(
        m
        for m in compiled.lines
        if m.keyword == "COPY"
        and m.stage == "runtime"
        and "/out/api" in text.split("\n")[m.first - 1]
    )
    assert [s.line for s in copy.spans] == [5]


def test_a_runtime_ships_a_program_by_its_name_or_its_path():
    for ships in ("api", "/out/api"):
        source = "app a\nbuild go 1.22 { binary ./cmd/api ./cmd/worker }\n"
        text = _compiled(source + f"runtime scratch {{ ships {ships} }}\n").dockerfile
        runtime = text.split("AS runtime")[1]
        assert "COPY --from=build /out/api /usr/local/bin/api" in runtime
        assert "/out/worker" not in runtime


def test_a_renamed_program_has_the_name_its_line_gives_everywhere():
    build = "app a\nbuild go 1.22 { binary ./cmd/server -> /usr/local/bin/status-page }\n"
    for ships in ("status-page", "/out/status-page"):
        text = _compiled(build + f"runtime scratch {{ ships {ships} }}\n").dockerfile
        assert "-o /out/status-page ./cmd/server" in text
        assert "COPY --from=build /out/status-page /usr/local/bin/status-page" in text
        assert 'ENTRYPOINT ["status-page"]' in text  # named after the destination
    # The name it would have had is refused, with the one to write.
    with pytest.raises(shipc.ShipErrors) as raised:
        _compiled(build + "runtime scratch { ships server }\n")
    (error,) = raised.value.diagnostics
    assert error.message == (
        "there is no program 'server': the 'binary' line that builds it names it"
        " 'status-page' (its destination's file name)"
    )
    assert error.hint == (
        "write 'ships status-page' (or its path in the build: 'ships /out/status-page')"
    )
    rust = "app a\nbuild rust 1.79 { binary ripsum -> /usr/bin/rs }\nruntime distroless cc {"
    assert 'ENTRYPOINT ["rs"]' in _compiled(rust + " ships rs }\n").dockerfile
    with pytest.raises(shipc.ShipErrors) as raised:
        _compiled(rust + " ships ripsum }\n")
    assert "'ships rs'" in raised.value.diagnostics[0].hint


def test_a_build_named_as_a_renamed_program_was_is_refused_where_the_readings_differ():
    """`ships server`: build 'server' (every artifact), or the program of ./cmd/server that
    its line renamed? Refused where the two ship different artifacts, as for a program."""
    source = (
        "app a\nbuild server: go 1.22 {\n"
        "    binary ./cmd/server -> /usr/local/bin/status-page\n"
        "    artifact /etc/server.conf\n}\n"
    )
    with pytest.raises(shipc.ShipErrors) as raised:
        _compiled(source + "runtime scratch { ships server }\n")
    (error,) = raised.value.diagnostics
    assert error.message == (
        "'server' names build 'server' (all its artifacts) and the program 'server' (named"
        " 'status-page' by its line) of build 'server'"
    )
    assert error.hint.startswith("name the program by its path: 'ships /out/status-page'")
    alone = source.replace("    artifact /etc/server.conf\n", "")
    text = _compiled(alone + "runtime scratch { ships server }\n").dockerfile
    assert "COPY --from=server /out/status-page /usr/local/bin/status-page" in text


def test_a_program_received_alone_into_a_folder_is_the_entrypoint():
    """`-> /usr/bin/`: a binary line's program is one file, so it lands by its name there
    and a runtime receiving it alone runs it; an artifact line's path may be a folder."""
    build = "app a\nbuild go 1.22 { binary ./cmd/api ./cmd/worker -> /usr/bin/ }\n"
    text = _compiled(build + "runtime scratch { ships api }\n").dockerfile
    assert "COPY --from=build /out/api /usr/bin/\n" in text
    assert 'ENTRYPOINT ["api"]' in text
    both = _compiled(build + "runtime scratch { }\n")
    assert "ENTRYPOINT" not in both.dockerfile  # two programs: say which one runs


@pytest.mark.parametrize(
    "flags", ["-X 'main.v=a b'", '-X "main.v=x"', "-X main.v=`id`", "-X v=$(id)", "a\\b; echo x"]
)
def test_linker_flags_stay_one_word_of_the_command(flags):
    """The command run by a shell whose `go` prints its words: one is the flags, as given."""
    written = flags.replace("\\", "\\\\").replace('"', '\\"').replace("$", "$$")
    text = _dockerfile(f'go 1.22 {{ binary ./cmd/api ldflags="{written}" }}')
    line = next(x for x in text.split("\n") if "go build" in x).strip()
    script = 'go() { printf "[%s]\\n" "$@"; }; ' + line
    words = subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=True)
    assert words.stdout.splitlines() == [
        "[build]",
        "[-trimpath]",
        f"[-ldflags=-s -w {flags}]",
        "[-o]",
        "[/out/api]",
        "[./cmd/api]",
    ]


def test_an_arg_in_linker_flags_is_declared_where_the_command_reads_it():
    text = _dockerfile('go 1.22 { binary ./cmd/api ldflags="-X main.v=${V}" }', "app a\narg V=1\n")
    assert "ARG V\nRUN --mount=type=cache,target=/go/pkg/mod" in text
    assert '-ldflags="-s -w -X main.v=${V}"' in text


def test_explain_shows_what_the_line_expanded_to():
    said = explain(_compiled("app a\nbuild rust 1.79 { binary a b }\nruntime distroless cc { }\n"))
    assert "binary a b: run cargo build --release --locked --bin a --bin b" in said
    assert "artifacts:     target/release/a, target/release/b" in said
    line = "binary ./cmd/server -> /usr/local/bin/status-page"
    said = explain(_compiled(f"app a\nbuild go 1.22 {{ {line} }}\nruntime alpine 3.20 {{ }}\n"))
    command = 'go build -trimpath -ldflags="-s -w" -o /out/status-page ./cmd/server'
    assert f"{line}: run {command}" in said
    assert "receives:      /out/status-page from 'build' -> /usr/local/bin/status-page" in said
    assert "entrypoint:    status-page (implied: the one program the runtime receives)" in said


def test_fmt_keeps_the_destination_last():
    source = 'app a\nbuild go 1.22 {\n  binary  ./cmd/server  ldflags="-X a=b"  ->  /usr/bin/x\n}\n'
    formatted = format_source(source)
    assert '    binary ./cmd/server ldflags="-X a=b" -> /usr/bin/x\n' in formatted
    assert format_source(formatted) == formatted


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("go 1.22 { binary ./... }", "'./...' is a pattern"),
        ("go 1.22 { binary ./cmd/${X} }", "names a program, so it is written out"),
        ("go 1.22 { binary -race }", "would be read as an option of the build"),
        ("go 1.22 { binary ./a/api ./b/api }", "makes a program named 'api'"),
        ("rust 1.79 { binary tags=x }", "takes no options"),
        ("c 14 { binary a }", "'binary' builds with a toolchain ship knows (go, rust)"),
        ("go 1.22 { binary ./cmd/api -> /usr/bin/api tags=x }", "options come before '->'"),
        ("go 1.22 { binary ./a ./b -> /usr/bin/ab }", "several programs go into one folder"),
        ("go 1.22 { binary ./a -> /usr/bin/${X} }", "'${X}' names the program, so it is written"),
        ("rust 1.79 { binary a -> /usr/bin/-a }", "'-a' is not a program's name"),
        ("go 1.22 { binary ./a->/usr/bin/a }", "reads as one word: write './a -> /usr/bin/a'"),
        ("go 1.22 { binary ./a -> /usr/bin }", "'/usr/bin' is a folder of programs"),
        ("go 1.22 { binary ./a -> }", "'->' must come once, before a single destination"),
    ],
)
def test_refusals(body, message):
    with pytest.raises(shipc.ShipErrors) as raised:
        _dockerfile(body)
    assert any(message in d.message for d in raised.value.diagnostics)


def test_a_word_of_ships_naming_a_build_and_another_program_is_refused():
    source = "app a\nbuild api: go 1.22 { binary ./cmd/api ./cmd/tool }\n"
    with pytest.raises(shipc.ShipErrors) as raised:
        _compiled(source + "runtime scratch { ships api }\n")
    assert "'api' names build 'api' (all its artifacts) and the program 'api'" in str(
        [d.message for d in raised.value.diagnostics]
    )
    # The same artifacts either way: no question to ask.
    one = "app a\nbuild api: go 1.22 { binary ./cmd/api }\nruntime scratch { ships api }\n"
    assert "COPY --from=api /out/api /usr/local/bin/api" in _compiled(one).dockerfile


def _errors(source: str) -> list[str]:
    with pytest.raises(shipc.ShipErrors) as raised:
        _compiled(source)
    return [d.message for d in raised.value.diagnostics if d.is_error]


def test_linker_flags_read_only_names_defined_before_the_line():
    """New-user trial: `${VERISON}` compiled to an always-empty flag, and a name an env
    line after the binary line sets was read silently (as empty)."""
    head = "app a\narg VERSION=dev\nbuild go 1.22 {\n"
    tail = "}\nruntime distroless static { }\n"
    typo = head + '    binary ./cmd/api ldflags="-X main.version=${VERISON}"\n' + tail
    assert _errors(typo) == ["undefined variable 'VERISON' (did you mean 'VERSION'?)"]
    late = head + '    binary ./cmd/api ldflags="-X main.v=${V}"\n    env V=1\n' + tail
    assert _errors(late) == [
        "'V' is read before it is set: 'env' sets it on line 5, after this line"
    ]
    # An arg, the env written before the line (at the top or after a step), the image's
    # env and what a running shell sets are read.
    reads = '"-X a.v=${VERSION} -X a.e=${V} -X a.w=${W} -X a.p=${GOPATH} -X a.h=${HOME}"'
    fine = head + f"    env V=1\n    run true\n    env W=2\n    binary ./cmd/api ldflags={reads}\n"
    assert "-X a.e=${V} -X a.w=${W}" in _compiled(fine + tail).dockerfile


@pytest.mark.parametrize(
    ("source", "message", "hint"),
    [
        # New-user trial: the hints said 'artifact /out/api.v1 -> …', a line not written.
        (
            "app a\nbuild go 1.22 { binary ./cmd/api.v1 }\n",
            "'api.v1' may be no program",
            "write 'binary ./cmd/api.v1 -> /usr/local/bin/api.v1' for a program, or '-> /PATH'",
        ),
        (
            "app my.app\nbuild go 1.22 { binary . tags=x }\n",
            "'my.app' may be no program",
            "write 'binary . tags=x -> /usr/local/bin/my.app' for a program, or '-> /PATH'",
        ),
        (
            "app a\nbuild go 1.22 { binary ./cmd/api ./cmd/x.v1 }\n",
            "'x.v1' may be no program",
            "end the 'binary' line with '-> /usr/local/bin/': each program keeps its name there",
        ),
        # A destination cut inside a reference named the program '}'.
        (
            "app a\nbuild go 1.22 { binary ./cmd/api -> ${D:-/a/b/} }\n",
            "'${D:-/a/b/}' is one reference: ship cannot tell whether it names a folder",
            "end it with '/' for a folder ('-> ${D:-/a/b/}/'), or write the program's folder"
            " out ('-> /usr/local/bin/NAME')",
        ),
        (
            "app a\nbuild go 1.22 { binary ./cmd/api -> /x/${D:-a/b} }\n",
            "'${D:-a/b}' names the program, so it is written out",
            None,
        ),
        # The app line's error alone, without "'' is not a program's name" after it.
        ("app fleet v2\nbuild go 1.22 { binary . }\n", "wrong number of words for 'app'", None),
    ],
)
def test_a_binary_lines_errors_say_what_to_write(source, message, hint):
    with pytest.raises(shipc.ShipErrors) as raised:
        _compiled(source + "runtime alpine 3.20 { }\n")
    (found,) = [d for d in raised.value.diagnostics if d.is_error]
    assert found.message.startswith(message)
    if hint is not None:
        assert found.hint == hint


@pytest.mark.parametrize(
    ("flags", "passed"),
    [
        ("-s -w", "-s -w"),
        ("-w -X main.v=1 -s", "-s -w -X main.v=1"),
        ("-X 'main.v=a -s' -s", "-s -w -X 'main.v=a -s'"),
        ("-extldflags -s -w", "-s -w -extldflags -s"),
    ],
)
def test_linker_flags_the_preset_passes_are_passed_once(flags, passed):
    """`-s -w` written again were passed twice; one that may be another flag's value
    (`-extldflags -s`), or inside quotes, stays."""
    text = _dockerfile(f'go 1.22 {{ binary ./cmd/api ldflags="{flags}" }}')
    assert f"-ldflags=\"{passed}\" -o /out/api" in text


def test_an_arg_ending_in_a_slash_as_the_destination_keeps_one():
    text = _dockerfile("go 1.22 {\n    binary ./cmd/api -> ${DIR}/\n}\n", "app a\narg DIR=/opt\n")
    assert "COPY --from=build /out/api ${DIR}/\n" in text

"""Run lines: what ship reads of a shell command, and how it joins several in one RUN so
each does what it would do in a RUN of its own (issue 6 §1.1-2, issue 7 injections 1-3,
7, 8, 12). The engine proofs are in tests/semantics/."""

from __future__ import annotations

import textwrap

import pytest
import shipc
from shipc import shell


def compile_text(text: str) -> str:
    return shipc.compile_source(textwrap.dedent(text).lstrip(), "test.ship").dockerfile


def errors(text: str) -> list[str]:
    with pytest.raises(shipc.ShipErrors) as caught:
        compile_text(text)
    return [f"{d.span.line}:{d.span.column}: {d.message}" for d in caught.value.diagnostics]


def build_runs(*lines: str) -> str:
    body = "\n".join(f"    {line}" for line in lines)
    return (
        f"app a\nbuild image ship/busybox:1 {{\n{body}\n}}\nruntime debian bookworm-slim {{\n}}\n"
    )


def run_instruction(text: str) -> str:
    """The build stage's RUN instruction, continuation lines joined as Docker joins them."""
    dockerfile = compile_text(text)
    runs = [part for part in dockerfile.split("\n\n")[1].split("\nRUN ")[1:]]
    return runs[0].split("\nCOPY")[0].replace(" \\\n    ", " ")


@pytest.mark.parametrize(
    "command, comment",
    [
        ("cargo build # release", 12),
        ("echo a;# b", 7),
        ("echo '#' \"#\" a#b $# ${#x} \\#", None),
        ("echo $((16#ff))", None),
        ("echo $((16#ff)) # x", 16),
    ],
)
def test_a_comment_starts_only_where_the_shell_starts_one(command, comment):
    assert shell.scan(command).comment == comment


@pytest.mark.parametrize(
    "command",
    ["a; b", "a || b", "a & b", "a &", "if a; then b; fi; c", "( a; b ) || c", "(( i++ )); b"],
)
def test_compound_commands_are_found(command):
    assert shell.scan(command).compound


@pytest.mark.parametrize(
    "command",
    [
        "if a; then b; fi",
        "for x in 1 2; do a; done",
        "while a; do b || c; done",
        "{ a; b; }",
        "( a; b )",
        "case $X in a) b; c;; esac",
    ],
)
def test_one_compound_command_is_one_command(command):
    """Its `;` and `||` are its own: `&&` binds to the whole, which fails as it would alone."""
    assert not shell.scan(command).compound


@pytest.mark.parametrize("command", ["a && b", "a | b", "! a", "a 'x;y' \"p||q\"", "a \\; b"])
def test_and_lists_pipes_and_quoted_separators_are_not_compound(command):
    assert not shell.scan(command).compound


@pytest.mark.parametrize(
    "command",
    [
        "cd web",
        "a && cd b",
        "export X=1",
        "X=1",
        "a; Y=2",
        ". ./env.sh",
        "source x",
        "set -e",
        "umask 077",
        "f() { a; }",
        "printf -v X 1",
        "exit 0",
        "X=1 cd y",
        "if a; then cd b; fi",
        # The shell removes quotes and escapes before it looks a built-in up.
        "\\cd /tmp",
        '"cd" /tmp',
        "'cd' /tmp",
        "c\\d /tmp",
        '"c"d /tmp',
        "\\export X=1",
        "\\. ./x",
        "\\set -e",
        "\\exit 0",
        "X=1 'cd' y",
        "a && \\cd b",
        # A command named by an expansion may be a built-in.
        "$CD /tmp",
        '"$CD" /tmp',
        "$(echo cd) /tmp",
        "`echo cd` /tmp",
        "X=$(pwd)/bin",
    ],
)
def test_commands_that_change_the_shell_are_found(command):
    assert shell.scan(command).stateful


@pytest.mark.parametrize(
    "command",
    [
        "make CC=gcc",
        "X=1 Y=2 make",
        "cmake -S . -B build",
        "env X=1 y",
        "echo cd",
        "echo \\cd '$X' \"$(pwd)\"",
        "make -j$(nproc) `echo all`",
        "X=$(pwd)/bin make",
        '"c\\d" x',  # in double quotes the backslash stays: the command `c\d`
    ],
)
def test_commands_that_leave_the_shell_alone(command):
    assert not shell.scan(command).stateful


@pytest.mark.parametrize(
    "command, pipe",
    [
        ("a | b", 2),
        ("a || b", None),
        ("sed 's|a|b|' f", None),
        ('grep "x|y" f', None),
        ("case $X in a|b) echo;; esac", None),
        ("case $X in a|b) echo | cat;; esac", 21),
        ("a \\| b", None),
    ],
)
def test_pipes_outside_quotes_and_case_patterns(command, pipe):
    assert shell.scan(command).pipe == pipe


@pytest.mark.parametrize(
    "command, why",
    [
        ("--network=host curl x", "cannot start with '-'"),
        ('["sh", "-c", "x"]', "JSON array"),
        ("cat <<EOF", "heredoc"),
        ('cat <<"USER 65532:65532"', "heredoc"),
        ("echo 'a", "unterminated ' quote"),
        ('echo "a', 'unterminated " quote'),
        ("echo $(date", "not closed"),
        ("echo $(a # b)", "comments out"),
    ],
)
def test_commands_ship_cannot_pass_on_are_refused(command, why):
    problem = shell.scan(command).problem
    assert problem is not None and why in problem[0]


def test_here_strings_and_tests_are_fine():
    assert shell.scan("cat <<< x").problem is None
    assert shell.scan("[ -f x ] && echo y").problem is None


@pytest.mark.parametrize(
    "command", ["echo $((1<<2))", "echo $(( (1 << 2) + $(id -u) ))", "x=$((a<<b)) && echo $x"]
)
def test_a_shift_in_arithmetic_is_not_a_heredoc(command):
    """New-user trial: `run echo $((1<<2))` was refused as a heredoc."""
    found = shell.scan(command)
    assert (found.problem, found.comment, found.compound) == (None, None, False)


@pytest.mark.parametrize("command", ["echo $((1<<2)", "echo $((cd x); cat <<E)", "a=$((1)) <<E"])
def test_a_heredoc_after_or_around_something_like_arithmetic_is_still_one(command):
    assert "heredoc" in shell.scan(command).problem[0]


def test_join_puts_compound_and_stateful_commands_in_subshells():
    joined = shell.join((("a; b",), ("go build",), ("cd x", "&& make")))
    assert joined == (("( a; b )",), ("go build",), ("( cd x", "&& make )"))


def test_a_command_alone_is_left_as_written():
    assert shell.join((("cd x; make",),)) == (("cd x; make",),)


def test_a_trailing_comment_no_longer_swallows_the_commands_after_it():
    run = run_instruction(build_runs("run cargo build # release", "run echo two"))
    assert run == "cargo build && echo two"


def test_a_line_with_separators_fails_the_run_as_its_own_run_would():
    run = run_instruction(
        build_runs("run apt-get install -y missing", "run mkdir -p /out; touch ok")
    )
    assert run == "apt-get install -y missing && ( mkdir -p /out; touch ok )"


def test_a_cd_does_not_carry_over_to_the_next_line():
    run = run_instruction(build_runs("run cd web", "run make"))
    assert run == "( cd web ) && make"


@pytest.mark.parametrize(
    "line, message",
    [
        ("run --network=host curl x", "5:9: a command cannot start with '-'"),
        ("run cat <<EOF", "5:13: a heredoc"),
        ('run ["sh", "-c", "id"]', "5:9: this is a JSON array"),
        ("run # later", "5:9: a command cannot start with a comment"),
        ("run echo hi \\ ", "5:17: a '\\' at the end of a command"),
        ("run echo hi \\\t", "5:17: a '\\' at the end of a command"),
    ],
)
def test_run_lines_that_would_change_the_dockerfile_are_errors(line, message):
    text = f"app a\narg X=1\nbuild image ship/busybox:1 {{\n    run true\n    {line}\n}}\n"
    text += "runtime debian bookworm-slim {\n}\n"
    found = errors(text)
    assert any(e.startswith(message) for e in found), found


def test_a_comment_line_inside_a_continued_command_is_an_error():
    text = build_runs("run apt-get update \\", "    # TODO", "    && echo b")
    text = text.replace(
        "runtime debian bookworm-slim {\n}", "runtime debian bookworm-slim {\n    cmd a\n}"
    )
    found = errors(text)
    # One error: the lines after the comment are still the command's, not new statements.
    assert len(found) == 1 and "a comment line cannot continue a command" in found[0], found


@pytest.mark.parametrize("blank", ["\u00a0", "\u3000", "\u2007"])
def test_a_unicode_blank_at_the_edge_of_a_command_is_refused(blank):
    """Docker trims it and a shell does not; after a final '\\' Docker would then see a
    continuation and swallow the next instruction."""
    for line in (f"run echo hi \\{blank}", f"run {blank}echo hi"):
        found = errors(build_runs(line))
        assert any("at the edge of a command line" in e for e in found), found


def test_a_unicode_blank_inside_a_command_is_the_shell_s():
    run = run_instruction(build_runs("run echo a\u00a0b", "run echo two"))
    assert run == "echo a\u00a0b && echo two"


def test_the_lift_out_of_a_cache_mount_quotes_paths_with_references_for_the_shell():
    text = """
        app demo
        arg PROFILE=release
        build rust 1.79 {
            run cargo build --profile ${PROFILE}
            artifact target/${PROFILE}/demo
        }
        runtime distroless cc {
        }
    """
    dockerfile = compile_text(text)
    assert 'mkdir -p "/out/src/target/${PROFILE}"' in dockerfile
    assert 'cp -a "/src/target/${PROFILE}/demo" "/out/src/target/${PROFILE}/"' in dockerfile
    assert "COPY --from=build /out/src/target/${PROFILE}/demo /usr/local/bin/demo" in dockerfile


def test_an_arg_is_declared_right_before_the_first_line_that_reads_it():
    text = """
        app a
        arg NODE_ENV=production
        build image ship/busybox:1 {
            run yarn install
            run echo $NODE_ENV
            run echo done
        }
        runtime debian bookworm-slim {
        }
    """
    build = compile_text(text).split("\n\n")[2]
    assert build.splitlines()[3:] == [
        "RUN yarn install",
        "ARG NODE_ENV",
        "RUN echo $NODE_ENV \\",
        "    && echo done",
    ]


def test_the_lift_stays_in_the_run_that_built_the_artifact():
    text = """
        app a
        arg PROFILE=release
        build rust 1.79 {
            run cargo build
            artifact target/${PROFILE}/z
        }
        runtime debian bookworm-slim {
        }
    """
    build = compile_text(text).split("\n\n")[2]
    assert "ARG PROFILE\nRUN --mount" in build
    assert build.count("RUN ") == 1


def test_a_backquote_inside_quotes_opens_nothing():
    """Quoted text is skipped whole: its backquote must not make the `#` after a real
    command substitution look like a comment inside one (or the reverse)."""
    assert shell.scan("echo '`' `date` # x").comment == 16
    assert shell.scan('echo "`" `date # x`').problem is not None


def test_one_table_of_shells_and_one_command_option():
    """`check` (a cmd running a shell the base lacks), `variables` (a `$` a shell's -c script
    expands) and the `shell` directive read the same shells and the same `-c` option."""
    runtime = "app a\nruntime debian bookworm-slim {{\n    {line}\n}}\n"
    for program in ("ksh", "mksh", "zsh"):
        found = errors(runtime.format(line=f'cmd {program} -c "exec app"'))
        base = "the base 'debian bookworm-slim'"
        assert found == [f"3:9: {base} has no {program}: its shell is /bin/bash"]
    for option in ("-c", "-ec", "-ce", "-euxc"):
        source = runtime.format(line=f"shell /bin/sh {option}") + "\n"
        text = compile_text(source.replace("bookworm-slim {\n", "bookworm-slim {\n    run a\n"))
        assert f'SHELL ["/bin/sh", "{option}"]' in text
    found = errors(runtime.format(line="shell /bin/sh -e"))
    assert "a shell's last word must be the option" in found[0]


@pytest.mark.parametrize(
    "line, column",
    [("run echo $$ > /pid", 14), ("run echo a; kill -0 $$", 25), ('run echo "$$HOME"', 15)],
)
def test_a_dollar_dollar_in_a_run_line_is_refused(line, column):
    """`$$` is a literal `$` everywhere else in a .ship file; the shell would read it as its
    process id (new-user trial item 5)."""
    found = errors(build_runs(line))
    assert found == [
        f"3:{column}: '$$' is the shell's process id here, while everywhere else"
        " in a .ship file it is a literal '$'"
    ]


@pytest.mark.parametrize("line", ["run echo ${$} > /pid", "run echo \\$$ cost", "run true # $$"])
def test_the_process_id_and_a_dollar_written_otherwise_are_fine(line):
    assert compile_text(build_runs(line))


def test_dollar_dollar_in_an_exec_form_word_is_a_literal_dollar():
    source = (
        "app a\nruntime alpine 3.20 {\n    env X=1\n"
        '    cmd sh -c "echo $$X $$$$"\n    healthcheck /bin/echo $$5\n}\n'
    )
    result = shipc.compile_source(source, "test.ship")
    assert 'CMD ["sh", "-c", "echo $X $$"]' in result.dockerfile
    assert 'HEALTHCHECK CMD ["/bin/echo", "$5"]' in result.dockerfile
    assert not result.warnings  # `$$5` is written as a literal: nothing to warn about

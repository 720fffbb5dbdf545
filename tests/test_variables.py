"""`$` in values, args and secret-looking names: one behaviour per test, asserted on the
diagnostics or the generated Dockerfile. What Docker itself does with each form is proved
on the engine in test_engine_expansion.py."""

from __future__ import annotations

import textwrap

import pytest
import shipc
from shipc import expansion, model
from shipc.errors import Span
from shipc.interpret import interpret
from shipc.parse import parse
from shipc.resolve import arg_values
from shipc.secret_names import looks_secret


def compile_ok(source: str) -> shipc.Compiled:
    return shipc.compile_source(textwrap.dedent(source), "t.ship")


def messages(source: str) -> list[str]:
    """Every diagnostic of a file, as `severity: message` (empty if it compiles cleanly)."""
    try:
        compiled = compile_ok(source)
    except shipc.ShipErrors as caught:
        return [f"{d.severity}: {d.message}" for d in caught.diagnostics]
    return [f"{d.severity}: {d.message}" for d in compiled.warnings]


def errors(source: str) -> list[str]:
    return [m for m in messages(source) if m.startswith("error: ")]


def stage_lines(dockerfile: str, name: str) -> list[str]:
    return dockerfile.split(f" AS {name}\n", 1)[1].split("\n\n", 1)[0].splitlines()


RUNTIME = "runtime image ship-test/base:1 {{\n{}\n    family debian\n    cmd app\n}}\n"


def in_runtime(*lines: str, args: str = "") -> str:
    body = "\n".join(f"    {line}" for line in lines)
    return f"app demo\n{args}\n" + RUNTIME.format(body)


# --- the four reference forms are uses of an arg (issue 6 §1.9)


@pytest.mark.parametrize("value", ["${X:-d}", "${X:+v}", "a${X}b", "$X"])
def test_modifier_forms_use_the_arg(value):
    compiled = compile_ok(in_runtime(f"env A={value}", args="arg X"))
    assert compiled.warnings == ()
    assert "ARG X" in stage_lines(compiled.dockerfile, "runtime")


@pytest.mark.parametrize("line", ["echo ${X:-d}", "echo ${X:+v}", 'echo "$X"'])
def test_run_lines_declare_args_read_with_any_form(line):
    compiled = compile_ok(in_runtime(f"run {line}", args="arg X=1"))
    assert compiled.warnings == ()
    lines = stage_lines(compiled.dockerfile, "runtime")
    assert lines.index("ARG X") < next(i for i, x in enumerate(lines) if x.startswith("RUN "))


def test_a_name_inside_a_modifier_word_is_a_use_and_must_be_defined():
    assert compile_ok(in_runtime("env A=${X:-$Y}", args="arg X Y=1")).warnings == ()
    assert errors(in_runtime("env A=${X:-$NOPE}", args="arg X")) == [
        "error: undefined variable 'NOPE'"
    ]


# --- every '$' is a reference or '$$' (issue 6/7: $1.99 became .99)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("cost$1.99", "'$1' is not a reference"),
        ("$@", "'$@' is not a reference"),
        ("5$", "a '$' on its own is not a reference"),
        ("$HOMEé", "Docker reads 'HOMEé' as one name"),
        ("${HOMEé}", "Docker reads 'HOMEé' as one name"),
        ("${HOME#/r}", "'${HOME#/r}' fails the build"),
        ("${HOME%t}", "'${HOME%t}' fails the build"),
        ("${HOME/o/0}", "'${HOME/o/0}' fails the build"),
    ],
)
def test_a_dollar_that_is_not_a_reference_is_an_error(value, expected):
    found = errors(in_runtime(f"env A={value}"))
    assert len(found) == 1 and found[0].startswith(f"error: {expected}"), found


def test_a_problem_points_at_its_dollar_in_an_unquoted_word():
    with pytest.raises(shipc.ShipErrors) as caught:
        compile_ok(in_runtime("env PRICE=cost$1.99"))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.span == Span(4, 19, 4, 20)  # `    env PRICE=cost` is 18 characters
    assert diagnostic.hint == "write $$ for a literal '$'"


@pytest.mark.parametrize("value", ["$$", "a$$b", "${PATH}é", "${X:-$$}"])
def test_literal_dollars_and_ended_names_compile(value):
    assert errors(in_runtime(f"env A={value}", args="arg X=1")) == []


def test_ascii_names_end_at_any_other_ascii_character():
    parts, problems = expansion.split("$HOME.x-$HOME/y")
    assert problems == ()
    assert [p.name for p in parts if isinstance(p, expansion.Reference)] == ["HOME", "HOME"]


@pytest.mark.parametrize(
    "where",
    [
        "label a=$1",
        "workdir /a/$1",
        "user $1",
        "expose $1",
        "volume /v/$1",
        "copy a$1 -> /b",
    ],
)
def test_problems_are_reported_in_every_expanded_value(where):
    found = errors(in_runtime(where))
    assert found == ["error: '$1' is not a reference"], found


def test_problems_in_image_references_and_versions():
    assert errors("app demo\nruntime image x:$1 {\n}\n") == ["error: '$1' is not a reference"]
    assert errors("app demo\nruntime alpine 3.$1 {\n}\n") == ["error: '$1' is not a reference"]


# --- undefined names everywhere (issue 6/7)


def test_app_name_cannot_hold_a_reference():
    found = errors("app ${NAME}\narg NAME=x\nruntime alpine 3.20 {\n}\n")
    assert found == [
        "error: the app name '${NAME}' cannot hold '$': it is the image's title, written as is"
    ]


def test_an_undefined_name_with_a_default_is_still_an_error():
    assert errors(in_runtime("env A=${NOPE:-x}")) == ["error: undefined variable 'NOPE'"]


# --- arg defaults read the args before them (proved on the engine)


def test_arg_default_reads_an_earlier_arg():
    args = (model.Arg(_text("A"), _text("1"), _SPAN), model.Arg(_text("B"), _text("${A}.0"), _SPAN))
    assert arg_values(args) == {"A": "1", "B": "1.0"}


def test_arg_default_chain_declares_the_args_it_reads():
    compiled = compile_ok(
        """\
        app demo
        arg A=1 B=${A}.0
        runtime image ship-test/base:1 {
            env V=${B}
        }
        """
    )
    head = compiled.dockerfile.split("\n\nFROM ", 1)[0]
    assert head.splitlines()[-2:] == ["ARG A=1", "ARG B=${A}.0"]
    assert compiled.warnings == ()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("arg B=${A} A=1", "error: arg 'A' is declared after 'B'"),
        ("arg A=${A}", "error: undefined variable 'A'"),
        ("arg A=${HOME}", "error: undefined variable 'HOME'"),
        ("arg A=$1", "error: '$1' is not a reference"),
    ],
)
def test_arg_default_reads_only_earlier_args(args, expected):
    source = in_runtime("env V=${A}" if "B" not in args else "env V=${B}", args=args)
    assert expected in errors(source)


def test_a_default_in_a_from_line_fills_an_arg_without_default():
    assert errors("app demo\narg V\nbuild go ${V:-1.22} {\n}\nruntime alpine 3.20 {\n}\n") == []
    assert errors("app demo\narg V\nbuild go ${V} {\n}\nruntime alpine 3.20 {\n}\n") == [
        "error: arg 'V' has no default, so the image name would be incomplete"
    ]


# --- a reference stands for a value of the allowed shape (issue 7 §Injection 9-11)


@pytest.mark.parametrize(
    "line",
    [
        'user "${U} --chmod=6777"',
        "user ${U}\\",
        "user ${U}:${U}:${U}",
        'expose "${U} 22"',
        "expose ${U}/sctp",
        "label --chmod=1",
        "label -x=1",
        'label "a b=1"',
    ],
)
def test_references_cannot_smuggle_text_into_an_instruction(line):
    assert errors(in_runtime(line, args="arg U=1000")), line


@pytest.mark.parametrize("line", ["user ${U}", "user ${U}:${U}", "user 0:${U}", "expose ${U}/udp"])
def test_references_of_the_right_shape_pass(line):
    assert errors(in_runtime(line, args="arg U=1000")) == []


@pytest.mark.parametrize(
    "ref", ['"--platform=linux/arm64 ${IMG}"', '"${IMG} AS x"', "-${IMG}", "${IMG}\\"]
)
def test_image_references_with_references_keep_their_shape(ref):
    assert errors(f"app demo\narg IMG=alpine:3.20\nruntime r: image {ref} {{\n}}\n")


def test_image_reference_parts_may_be_references():
    source = "app demo\narg REG=r.example.com TAG=1.2\nruntime image ${REG}/app:${TAG} {\n}\n"
    assert messages(source) == []


@pytest.mark.parametrize(
    ("line", "args", "expected"),
    [
        ("user ${U}", "arg U=root", "error: with U='root': user must be numeric"),
        ("expose ${P}", "arg P=http", "error: with P='http': invalid port 'http'"),
        ("expose ${P}", "arg P=70000", "error: with P='70000': port 70000 is out of range"),
        ("expose ${P}", "arg P=53/udp", "error: with P='53/udp': '53/udp' brings a protocol"),
        ("volume ${D}", "arg D=data", "error: with D='data': a volume must be an absolute"),
        ("workdir ${D}", "arg D=data", "error: with D='data': a workdir must be an absolute"),
        ("copy ${S}", "arg S=../x", "error: with S='../x': '../x' is outside the build"),
    ],
)
def test_the_value_an_arg_default_gives_is_checked(line, args, expected):
    found = errors(in_runtime(line, args=args))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_the_value_an_env_gives_is_checked():
    found = errors(in_runtime("env U=root V=1000 W=$V", "user ${W}:${U}"))
    assert found == [
        "error: with W='1000', U='root': user must be numeric, UID or UID:GID, not '1000:root'"
    ]
    assert errors(in_runtime("env U=1000", "user ${U}")) == []


def test_an_env_of_the_same_name_hides_the_arg_default():
    """`env U=…` in the stage wins over the arg: the arg's default says nothing then."""
    assert errors(in_runtime("env U=1000", "user ${U}", args="arg U=root")) == []


# --- ASCII digits only


@pytest.mark.parametrize(
    "line",
    [
        "expose ٨٠٨٠",
        "user ١٠٠٠",
        "user 0:١",
        "healthcheck retries=² app",
        "healthcheck interval=٣s app",
    ],
)
def test_digits_are_ascii(line):
    found = errors(in_runtime(line))
    assert len(found) == 1, found


def test_unicode_digit_retries_is_an_error_not_a_traceback():
    assert errors(in_runtime("healthcheck retries=² app")) == [
        "error: healthcheck retries must be a whole number above 0, not '²'"
    ]


# --- latest and v-versions (issue 6 §1.17)


@pytest.mark.parametrize(
    "source",
    [
        "app demo\nbuild go latest {\n}\nruntime alpine 3.20 {\n}\n",
        "app demo\nruntime alpine latest {\n}\n",
        "app demo\nruntime image x:latest {\n}\n",
        "app demo\narg V=latest\nruntime alpine ${V} {\n}\n",
    ],
)
def test_latest_is_not_a_pin(source):
    assert any("is not pinned: the 'latest' tag moves" in m for m in messages(source))
    assert not errors(source)


def test_a_digest_pins_latest():
    assert messages("app demo\nruntime image x:latest@sha256:" + "a" * 64 + " {\n}\n") == []


@pytest.mark.parametrize(
    ("version", "fixed"), [("v1.22", "1.22"), ("v20", "20"), ("v1.22-bookworm", "1.22-bookworm")]
)
def test_v_versions_are_errors_with_the_fix(version, fixed):
    source = f"app demo\nbuild go {version} {{\n}}\nruntime alpine 3.20 {{\n}}\n"
    assert errors(source) == [f"error: invalid version '{version}' (did you mean '{fixed}'?)"]


def test_v_tags_of_other_images_are_fine():
    assert errors("app demo\nruntime image example.com/tool:v1.2 {\n}\n") == []


# --- label keys


@pytest.mark.parametrize(
    "key",
    ["org.opencontainers.image.source", "com.example/team", "maintainer", "a_b-c.d", "version2"],
)
def test_label_keys_that_work(key):
    assert errors(in_runtime(f"label {key}=x")) == []


def test_a_pair_value_has_its_own_span_when_unquoted():
    statement = parse('app demo\nruntime alpine 3.20 {\n    env KEY=val Q="a b"\n}\n')
    ship, _ = interpret(statement)
    plain, quoted = ship.stages[0].env
    assert (plain.key.span, plain.value.span) == (Span(3, 9, 3, 12), Span(3, 13, 3, 16))
    assert quoted.key.span == quoted.value.span == Span(3, 17, 3, 24)


# --- secret-looking names (issue 6 §1.18, issue 7)


@pytest.mark.parametrize(
    "name",
    [
        "API_KEY",
        "NPMTOKEN",
        "GH_PAT",
        "TOKEN2",
        "SECRETS",
        "npmToken",
        "dbPassword",
        "github_token",
        "AWS_SECRET_ACCESS_KEY",
        "api_token",
        "SSH_PRIVATEKEY",
        "Auth",
    ],
)
def test_secret_looking_names(name):
    assert looks_secret(name)


@pytest.mark.parametrize(
    "name",
    [
        "GIT_SSH_COMMAND",
        "KEYBOARD",
        "PATH",
        "TOKENIZER",
        "AUTHOR",
        "PUBLIC_KEY",
        "PATTERN",
        "org.opencontainers.image.source",
        "PASSAGE",
    ],
)
def test_names_that_are_not_secrets(name):
    assert not looks_secret(name)


@pytest.mark.parametrize(
    ("source", "severity"),
    [
        ("arg SECRET_KEY_BASE_DUMMY=1", "warning"),
        ("arg SECRET_KEY_BASE_DUMMY=true", "warning"),
        ("arg TOKEN=", "error"),  # comes with --build-arg: an empty default proves nothing
        ("arg TOKEN", "error"),
        ("arg TOKEN=abc", "error"),
    ],
)
def test_secret_args_with_flag_values_only_warn(source, severity):
    name = source.split()[1].split("=")[0]
    found = messages(in_runtime(f"env A=${{{name}}}", args=source))
    secret = [m for m in found if "looks like a secret" in m]
    assert len(secret) == 1 and secret[0].startswith(severity), found


def test_secret_hints_fit_where_the_name_stands():
    def hint(source: str) -> str:
        with pytest.raises(shipc.ShipErrors) as caught:
            compile_ok(source)
        return next(d.hint for d in caught.value.diagnostics if "secret" in d.message)

    build = "app demo\nbuild go 1.22 {\n    env NPM_TOKEN=x\n}\nruntime alpine 3.20 {\n}\n"
    runtime = in_runtime("env NPM_TOKEN=x")
    label = in_runtime("label npm_token=x")
    assert hint(build).startswith("declare 'secret npm_token' in this stage")
    assert "docker run -e NPM_TOKEN" in hint(runtime)
    assert hint(label).startswith("labels are public metadata")


def test_empty_env_with_a_secret_name_only_warns():
    found = messages(in_runtime("env API_KEY="))
    assert found == ["warning: 'API_KEY' looks like a secret's name, but it is empty"]


_SPAN = Span(1, 1, 1, 2)


def _text(value: str) -> model.Text:
    return model.Text(value, _SPAN)


def test_a_problem_in_an_arg_default_points_at_the_reference():
    with pytest.raises(shipc.ShipErrors) as caught:
        compile_ok("app demo\narg LATER=${BASE}.1 BASE=1\nruntime alpine 3.20 {\n}\n")
    (diagnostic,) = [d for d in caught.value.diagnostics if d.is_error]
    assert diagnostic.span == Span(2, 11, 2, 18)


def test_an_artifact_path_reads_only_args():
    """Its COPY --from stands in each runtime, where the build's env is not set."""
    build = "app demo\n{}build go 1.22 {{\n    env OUT=/out\n    artifact /x/${{{}}}/demo\n}}\n"
    runtime = "runtime alpine 3.20 {\n}\n"
    assert errors(build.format("", "OUT") + runtime) == [
        "error: undefined variable 'OUT' in an artifact's path"
    ]
    assert errors(build.format("arg P=release\n", "P") + runtime) == []


# --- an env value reads what is set before it; a build's workdir comes before its env


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["env A=$B B=1"], "error: 'B' is read before 'env' sets it (line 4)"),
        (["env A=$B", "env B=1"], "error: 'B' is read before 'env' sets it (line 5)"),
        (["env MODE=$MODE"], "error: 'MODE' is read before it is set"),
    ],
)
def test_an_env_value_reads_only_what_is_set_before_it(lines, expected):
    found = errors(in_runtime(*lines))
    assert len(found) == 1 and found[0].startswith(expected), found


@pytest.mark.parametrize(
    "lines", [["env B=1 A=$B"], ["env B=1", "env A=$B"], ["env PATH=$PATH:/x"]]
)
def test_an_env_value_reads_what_is_set_before_it(lines):
    assert errors(in_runtime(*lines)) == []


def test_an_env_value_reads_the_env_of_the_stage_it_is_built_from():
    source = (
        "app demo\nbuild b: image x:1 {\n    env B=1\n}\n"
        "test t: from b {\n    env A=$B\n}\nruntime image x:1 {\n}\n"
    )
    assert errors(source) == []


def test_a_build_workdir_cannot_read_its_own_env():
    build = "app demo\nbuild b: image x:1 {{\n    env APP=/srv\n    workdir {}\n}}\n"
    runtime = "runtime image x:1 {\n}\n"
    assert errors(build.format("${APP}") + runtime) == [
        "error: the workdir cannot read 'APP': this stage's WORKDIR comes before its ENV"
    ]
    assert errors(in_runtime("env APP=/srv", "workdir ${APP}")) == []  # ENV comes first there


# A `$` that a shell reads is expanded: no "not expanded" warning there.


def _warnings_and_errors(body: str) -> list[str]:
    text = f"app a\nruntime debian bookworm-slim {{\n{body}\n}}\n"
    try:
        return [d.message for d in shipc.compile_source(text, "t.ship").warnings]
    except shipc.ShipErrors as caught:
        return [d.message for d in caught.diagnostics]


@pytest.mark.parametrize(
    "body",
    [
        '    cmd sh -c "exec app --port $PORT"',
        '    cmd /bin/bash -ec "exec app --port $PORT"',
        '    healthcheck sh -c "wget -q http://localhost:$PORT/"',
        '    entrypoint sh -c\n    cmd "exec app --port $PORT"',
    ],
)
def test_a_dollar_a_shell_reads_gets_no_warning(body):
    assert _warnings_and_errors(body) == []


@pytest.mark.parametrize(
    "body", ["    cmd app --port $PORT", '    entrypoint app\n    cmd "--port=$PORT"']
)
def test_a_dollar_passed_on_as_is_gets_the_warning(body):
    found = _warnings_and_errors(body)
    assert len(found) == 1 and "is not expanded" in found[0]


def test_a_cmd_an_entrypoint_runs_may_hold_blanks_but_a_program_may_not():
    assert _warnings_and_errors('    entrypoint sh -c\n    cmd "exec app"') == []
    found = _warnings_and_errors('    cmd "exec app"')
    assert len(found) == 1 and "holds a blank" in found[0]


@pytest.mark.parametrize(
    "line",
    [
        "expose ${P}",
        "expose ${P}/udp",
        "user ${P}",
        "user ${P}:1000",
        "workdir /srv/${P}",
        "volume ${P}",
        "copy a.txt -> /etc/${P}",
        "copy image alpine:3.20 /etc/${P} -> /x/",
        'file /etc/${P} "x"',
        "env Q=${P}\n    expose ${Q}",
    ],
)
def test_an_arg_without_default_that_would_empty_part_of_a_value_is_refused(line):
    """Refused once, at the reference; an empty default is refused too (by the value it
    gives, `with P='': …`, where that is not of the value's shape)."""
    (said,) = errors(in_runtime(f"    {line}", args="arg P"))
    assert "has no default: without a --build-arg P," in said, said
    assert len(errors(in_runtime(f"    {line}", args="arg P="))) == 1


@pytest.mark.parametrize(
    "line",
    [
        "expose ${P:-8080}",
        "expose ${P:+8080}",
        "expose 80${P}",
        "copy app-${P}.jar -> /srv/",
        "label version=${P}",
        "env MODE=${P}",
        "env P=8080\n    expose ${P}",
    ],
)
def test_an_arg_without_default_is_fine_where_empty_is_still_a_value(line):
    assert errors(in_runtime(f"    {line}", args="arg P")) == []


def test_an_arg_whose_default_reads_only_an_arg_without_one_is_empty_in_a_from_line():
    """`arg B=$A` with A without a default gave `FROM alpine:` (new-user trial)."""
    chain = "app demo\narg A\narg B=$A\narg C=${B}\n"
    expected = (
        "error: arg '{0}' has its value from arg 'A', which has no default, so the image name"
        " would be incomplete"
    )
    for name in ("B", "C"):
        text = chain + f"runtime alpine ${{{name}}} {{\n}}\n"
        assert errors(text) == [expected.format(name)]
    for filled in ("arg A\narg B=${A:-3.20}", "arg A\narg B=3.$A", "arg A=3.20\narg B=$A"):
        text = f"app demo\n{filled}\nruntime alpine ${{B}} {{\n}}\n"
        assert errors(text) == [], filled


def test_a_port_range_may_end_with_a_reference_and_the_arg_is_used():
    source = "app demo\narg MAX=9000\n" + RUNTIME.format("    expose 8000-${MAX}")
    assert messages(source) == []
    assert "EXPOSE 8000-${MAX}/tcp" in compile_ok(source).dockerfile


def test_a_port_range_that_a_reference_turns_around_is_refused_with_its_value():
    source = "app demo\narg MAX=7000\n" + RUNTIME.format("    expose 8000-${MAX}")
    assert errors(source) == [
        "error: with MAX='7000': the port range '8000-7000' ends before it starts"
    ]


def test_a_reference_in_stopsignal_is_refused_as_such_and_its_arg_is_not_unused():
    source = "app demo\narg SIG=SIGTERM\n" + RUNTIME.format("    stopsignal ${SIG}")
    assert messages(source) == [
        "error: 'stopsignal' takes no reference: the signal is written out"
    ]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("${HOME:-/root}/data", "Docker would expand '${HOME:-/root}' to its default, '/root', here"),
        ("${HOME}/data", "Docker would expand it to nothing here"),
        ("${HOME:-}/data", "Docker would expand it to nothing here"),
    ],
)
def test_a_run_time_name_says_what_docker_makes_of_it(value, said):
    found = errors("app demo\n" + RUNTIME.format(f"    env DATA={value}"))
    assert found == [f"error: 'HOME' is set when a command runs, not in the image: {said}"]

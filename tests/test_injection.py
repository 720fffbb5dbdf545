"""No value can become an instruction, a flag or a command (issue 7).

Hostile text is put at the start, in the middle and at the end of every value position of
a .ship file, quoted and bare. Each input must either be refused with diagnostics, or
compile to a Dockerfile that Docker's own parser (PyPI `dockerfile`, the official Go
parser) reads as exactly the instructions ship's IR holds: the same instructions in the
same order (none added, none swallowed), the same flags, no heredoc, and the same values
once Docker's word lexer has removed the quoting.

`SHIP_FUZZ_EXAMPLES=100000 pytest tests/test_injection.py` runs the long mode.
"""

from __future__ import annotations

import os

import dockerfile
import pytest
import shipc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shipc import expansion, ir, shell
from shipc.command import default_commands
from shipc.expand import expand
from shipc.interpret import interpret
from shipc.lower import lower
from shipc.parse import parse
from shipc.resolve import resolve
from shipc.scope import scope_args

EXAMPLES = int(os.environ.get("SHIP_FUZZ_EXAMPLES", "300"))

# What attacks a Dockerfile: line breaks of every kind, continuations, comments, flags,
# heredocs, references, option separators, quotes, non-ASCII blanks and letters, JSON.
FRAGMENTS = [
    "\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\u2029",
    "\\",
    "\\ ",
    "\\\t",
    "\\\u00a0",
    "\\\u3000",
    " ",
    "\t",
    "\u00a0",
    "\u3000",
    "#",
    "# x",
    "--",
    "--network=host",
    "--mount=type=bind,source=/,target=/x",
    "--from=x",
    "<<",
    "<<EOF",
    '<<"USER 0"',
    "${",
    "${X}",
    "$X",
    "$$",
    "$1",
    "${X:-a}",
    "$",
    ",",
    "=",
    "'",
    '"',
    "é",
    "ü",
    "[",
    "]",
    '["a"]',
    "{",
    "}",
    ";",
    "&&",
    "|",
    ">",
    "USER 0",
    "FROM x",
    "RUN id",
    "0",
    "80",
    "/",
    "a",
    "x.txt",
]

payloads = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=2), max_size=4).map("".join)
positions = st.sampled_from(["start", "middle", "end"])


def _place(payload: str, position: str, base: str = "abc") -> str:
    return {"start": payload + base, "middle": base[:1] + payload + base[1:]}.get(
        position, base + payload
    )


def _quoted(value: str) -> str:
    """A .ship word whose value is `value` (a line break cannot be written: it is refused)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


# (template, where the value goes): {v} is replaced by a .ship word.
RUNTIME = "runtime debian bookworm-slim {{\n{body}\n}}\n"
BUILD = "build go 1.22 {{\n{body}\n}}\n"
SLOTS = {
    "app": "app {v}\n" + RUNTIME.format(body="    cmd a"),
    "arg default": "app a\narg X={v}\n" + RUNTIME.format(body="    env K=${{X}}"),
    "env value": "app a\n" + RUNTIME.format(body="    env K={v}"),
    "build env value": "app a\n" + BUILD.format(body="    env K={v}") + RUNTIME.format(body=""),
    "label key": "app a\n" + RUNTIME.format(body="    label {v}=x"),
    "label value": "app a\n" + RUNTIME.format(body="    label k={v}"),
    "workdir": "app a\n" + RUNTIME.format(body="    workdir /{v}"),
    "build workdir": "app a\nbuild rust 1.79 {{\n    workdir /{v}\n    run x\n}}\n"
    + RUNTIME.format(body=""),
    "user": "app a\n" + RUNTIME.format(body="    user {v}"),
    "expose": "app a\n" + RUNTIME.format(body="    expose {v}"),
    "volume": "app a\n" + RUNTIME.format(body="    volume /{v}"),
    "copy source": "app a\n" + RUNTIME.format(body="    copy {v} -> /d/"),
    "copy dest": "app a\n" + RUNTIME.format(body="    copy a -> /{v}"),
    "deps": "app a\n" + BUILD.format(body="    deps go.mod {v}") + RUNTIME.format(body=""),
    "artifact": "app a\n"
    + BUILD.format(body="    run x\n    artifact /out/{v}")
    + RUNTIME.format(body=""),
    "artifact dest": "app a\n"
    + BUILD.format(body="    run x\n    artifact /out/x -> /{v}")
    + RUNTIME.format(body=""),
    "cache": "app a\n" + BUILD.format(body="    cache /c/{v}\n    run x") + RUNTIME.format(body=""),
    "secret id": "app a\n"
    + BUILD.format(body="    secret {v}\n    run x")
    + RUNTIME.format(body=""),
    "secret target": "app a\n"
    + BUILD.format(body="    secret s -> /{v}\n    run x")
    + RUNTIME.format(body=""),
    "cmd": "app a\n" + RUNTIME.format(body="    cmd a {v}"),
    "entrypoint": "app a\n" + RUNTIME.format(body="    entrypoint {v}"),
    "healthcheck option": "app a\n" + RUNTIME.format(body="    healthcheck interval={v} a"),
    "healthcheck command": "app a\n" + RUNTIME.format(body="    healthcheck a {v}"),
    "packages": "app a\n" + RUNTIME.format(body="    packages {v}"),
    "image": "app a\nruntime image {v} {{\n}}\n",
    "version": "app a\nruntime debian {v} {{\n}}\n",
    "stage name": "app a\nbuild {v}: go 1.22 {{\n}}\n" + RUNTIME.format(body=""),
}
# Shell text goes in as written: `run` and `install` take the rest of the line verbatim.
RUN_SLOTS = {
    "run": "app a\n"
    + BUILD.format(body="    run {v}\n    run echo after")
    + RUNTIME.format(body="    cmd a"),
    "runtime run": "app a\n" + RUNTIME.format(body="    run {v}\n    cmd a"),
    "continued run": "app a\n"
    + BUILD.format(body="    run echo a \\\n        {v}")
    + RUNTIME.format(body="    cmd a"),
    "install": "app a\n" + BUILD.format(body="    install {v}") + RUNTIME.format(body="    cmd a"),
}


def _ir(text: str) -> ir.Dockerfile:
    """The IR of a file that compiles: the passes of `compile_source`, up to the text."""
    ship, _ = interpret(parse(text))
    setups = resolve(ship)
    written = default_commands(expand(ship), setups)
    return scope_args(lower(written, setups, "t.ship"), ship.args)


def _unquote(word: str) -> str:
    """What Docker's word lexer makes of a word, references left as written."""
    out, i = [], 0
    while i < len(word):
        char = word[i]
        if char == "\\" and i + 1 < len(word):
            out.append(word[i + 1])
            i += 2
        elif char == "'":
            end = word.index("'", i + 1)
            out.append(word[i + 1 : end])
            i = end + 1
        elif char == '"':
            i += 1
            while word[i] != '"':
                if word[i] == "\\" and word[i + 1] in '"$\\':
                    i += 1
                out.append(word[i])
                i += 1
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _value(text: str) -> str:
    """A .ship value as Docker's lexer should give it back: literal text, live references."""
    parts, problems = expansion.split(text)
    assert not problems
    return "".join(p.raw if isinstance(p, expansion.Reference) else p for p in parts)


def _expected(node) -> tuple[str, tuple[str, ...], tuple[str, ...] | None]:
    """(instruction, flags, values once unquoted, or None where not compared)."""
    match node:
        case ir.Arg():
            return "ARG", (), None
        case ir.Shell(argv=argv):
            return "SHELL", (), argv
        case ir.Workdir(path=path):
            return "WORKDIR", (), (_value(path),)
        case ir.Env(pairs=pairs) | ir.Label(pairs=pairs):
            name = "ENV" if isinstance(node, ir.Env) else "LABEL"
            return name, (), tuple(x for k, v in pairs for x in (_value(k), _value(v)))
        case ir.Copy():
            flags = (f"--from={node.from_stage}",) if node.from_stage else ()
            flags += (f"--chown={node.chown}",) if node.chown else ()
            return "COPY", flags, tuple(_value(p) for p in (*node.sources, node.dest))
        case ir.Run():
            flags = tuple(
                "--mount=" + ",".join(f"{k}={v}" for k, v in (("type", m.type), *m.options))
                for m in node.mounts
            )
            return "RUN", flags, None
        case ir.User(user=user):
            return "USER", (), (_value(user),)
        case ir.Expose(ports=ports):
            return "EXPOSE", (), tuple(_value(p) for p in ports)
        case ir.Volume(paths=paths):
            return "VOLUME", (), tuple(_value(p) for p in paths)
        case ir.Healthcheck():
            flags = tuple(f"--{k}={v}" for k, v in node.options)
            return "HEALTHCHECK", flags, ("NONE",) if node.argv is None else ("CMD", *node.argv)
        case ir.Cmd(argv=argv):
            return "CMD", (), argv
        case ir.Entrypoint(argv=argv):
            return "ENTRYPOINT", (), argv
    raise AssertionError(node)


def _read_back(command) -> tuple[str, ...]:
    if command.json:
        return tuple(_unquote(v) if command.cmd in ("COPY", "VOLUME") else v for v in command.value)
    if command.cmd in ("ENV", "LABEL"):
        return tuple(_unquote(v) for v in command.value)
    if command.cmd in ("WORKDIR", "USER"):
        return (_unquote(" ".join(command.value)),)
    return tuple(_unquote(v) for v in command.value)


def assert_faithful(text: str) -> None:
    """Refused, or read back by Docker's parser as exactly ship's IR."""
    try:
        output = shipc.compile_source(text, "t.ship").dockerfile
    except shipc.ShipErrors:
        return
    model = _ir(text)
    parsed = dockerfile.parse_string(output)
    expected = [("ARG", (), None) for _ in model.args]
    for stage in model.stages:
        expected.append(("FROM", (), (stage.base, "AS", stage.name)))
        expected.extend(_expected(i) for i in stage.instructions)
    got = [(c.cmd, tuple(c.flags), c) for c in parsed]
    assert [(n, f) for n, f, _ in expected] == [(n, f) for n, f, _ in got], output
    for (name, _, values), (_, _, command) in zip(expected, got, strict=True):
        assert not command.heredocs, output
        if values is not None:
            assert _read_back(command) == values, (name, output)
    runs = [i for s in model.stages for i in s.instructions if isinstance(i, ir.Run)]
    for command, node in zip((c for c in parsed if c.cmd == "RUN"), runs, strict=True):
        # Docker drops each '\' + line break, keeping the next line's indentation.
        joined = "     && ".join("     ".join(c) for c in shell.join(node.commands))
        assert command.value == (joined,), output


def _slot_text(template: str, word: str) -> str:
    return template.replace("{v}", word).replace("{{", "{").replace("}}", "}")


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=EXAMPLES <= 1000,
)


@FUZZ
@given(st.sampled_from(sorted(SLOTS)), payloads, positions, st.booleans())
def test_no_value_leaves_its_place(slot, payload, position, quote):
    value = _place(payload, position)
    word = _quoted(value) if quote else value
    assert_faithful(_slot_text(SLOTS[slot], word))


@FUZZ
@given(st.sampled_from(sorted(RUN_SLOTS)), payloads, positions)
def test_no_command_leaves_its_run(slot, payload, position):
    assert_faithful(_slot_text(RUN_SLOTS[slot], _place(payload, position, "echo x")))


@pytest.mark.parametrize(
    "slot, word",
    [
        ("env value", '"cost$$5 \\" \' \\\\ # é"'),
        ("label key", "org.opencontainers.image.title"),
        ("copy source", '"a b.txt"'),
        ("copy source", '"it\'s.txt"'),
        ("volume", '"data\'s"'),
        ("workdir", '"a b"'),
        ("cmd", '"--port" "&&"'),
        ("healthcheck option", "30s"),
    ],
)
def test_hostile_but_valid_values_compile_faithfully(slot, word):
    text = _slot_text(SLOTS[slot], word)
    shipc.compile_source(text, "t.ship")  # accepted
    assert_faithful(text)


def test_the_fragments_reach_every_slot():
    """A guard on the fuzzing itself: every slot compiles with a plain value."""
    for name, template in SLOTS.items():
        plain = {"user": "1000", "expose": "80", "healthcheck option": "30s", "version": "bookworm"}
        shipc.compile_source(_slot_text(template, plain.get(name, "abc")), "t.ship")


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u200b", "\u200d", "\ufeff"])
def test_no_slot_takes_an_invisible_format_character(char):
    """Trojan source (new-user trial item 6): a bidi control or a zero-width character
    would make a value or command read, in review, otherwise than it runs."""
    plain = {"user": "1000", "expose": "80", "healthcheck option": "30s", "version": "bookworm"}
    texts = [_slot_text(t, "a" + char + plain.get(n, "abc")) for n, t in SLOTS.items()]
    texts += [_slot_text(t, f"echo {char}x") for t in RUN_SLOTS.values()]
    for text in texts:
        with pytest.raises(shipc.ShipErrors):
            shipc.compile_source(text, "t.ship")


def test_a_format_character_in_a_comment_is_fine():
    text = "app a # \u202e\n# \u200b\nruntime alpine 3.20 {\n    cmd x\n}\n"
    assert shipc.compile_source(text, "t.ship").dockerfile

"""Dockerfile IR to text: one small function per instruction.

Values are quoted here and nowhere else, each for what reads it:

- words Docker's lexer expands (ENV, LABEL, ARG, WORKDIR, USER, EXPOSE, COPY and VOLUME
  paths): literal text escaped for that lexer, references (`${NAME}`) kept live;
- exec forms (CMD, ENTRYPOINT, HEALTHCHECK, SHELL): JSON strings, which nothing expands;
- RUN: the commands, as `shell.join` makes them safe to share one shell line;
- flags (`--mount`, `--from`, `--chown`, `--chmod`, HEALTHCHECK options): values that can
  only be what they claim to be; anything else is an internal error, never a new option;
- a file's text (`COPY <<"TERM" DEST`): its lines verbatim, in a heredoc whose quoted
  terminator no line contains (so nothing in it is expanded, and no line can end it).

A value that reaches this module is already checked; the guards here make a missed check
fail loudly instead of letting a value leave its instruction.
"""

from __future__ import annotations

import json
import re

from . import expansion, frontend, ir, shell
from .errors import Span
from .record import record
from .syntax import LINE_BREAKS

# Characters that mean themselves to Docker's lexer and split no word.
_BARE = re.compile(r"[A-Za-z0-9_./:@%+,=~*-]+")
_CONTINUE = " \\\n    "
# What a flag value may hold: BuildKit reads flags byte by byte up to a blank or comma.
_FLAG_VALUE = re.compile(r"[A-Za-z0-9._/@+~%:-]+")
_STAGE = re.compile(r"[a-z][a-z0-9_.-]*")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CHOWN = re.compile(
    r"(?:[0-9]+|\$\{[A-Za-z_][A-Za-z0-9_]*\})(?::(?:[0-9]+|\$\{[A-Za-z_][A-Za-z0-9_]*\}))?"
)
_SIGNAL = re.compile(r"SIG[A-Z0-9]+|SIGRTM(?:IN\+|AX-)[0-9]+|[0-9]+")
_MODE = re.compile(r"[0-7]{3,4}")
_TERMINATOR = "SHIP_EOF"
_PLATFORM = re.compile(r"\$BUILDPLATFORM")
_BASE = re.compile(r"[A-Za-z0-9_${][A-Za-z0-9._:/@${}+-]*")


@record
class Mapped:
    """Lines `first` to `last` (1-based) of the Dockerfile: one instruction, its keyword,
    the stage it is in (None before the first FROM), and the .ship spans it came from;
    `copied_out`: those of them that are artifacts a RUN copies out of a cache at its end."""

    first: int
    last: int
    keyword: str
    stage: str | None
    spans: tuple[Span, ...]
    copied_out: tuple[Span, ...] = ()


@record
class Emitted:
    """The Dockerfile text and its line map: every instruction, where it came from."""

    text: str
    lines: tuple[Mapped, ...]


def emit(dockerfile: ir.Dockerfile, annotate: dict[str, str] | None = None) -> Emitted:
    """The Dockerfile text, ending in a newline, and its line map; the same IR always gives
    the same bytes. With `annotate` (each span's file -> its name, "" the main file's),
    each instruction is preceded by a comment naming the .ship lines it came from
    (`# app.ship:7:5`)."""
    out = _Writer(annotate)
    directive = frontend.syntax(dockerfile)
    if directive is not None:  # a parser directive: Docker reads it only as the first line
        out.lines.append(_comment(directive))
    out.lines.extend(_comment(line) for line in dockerfile.header)
    if dockerfile.args:
        out.lines.append("")
        for arg in dockerfile.args:
            out.instruction(_arg(arg), "ARG", None, _origins(arg, None))
    for stage in dockerfile.stages:
        _guard(_BASE, stage.base, "image")
        _guard(_STAGE, stage.name, "stage name")
        platform = (
            f"--platform={_guard(_PLATFORM, stage.platform, 'platform')} " if stage.platform else ""
        )
        out.lines.append("")
        origin = (stage.span,) if stage.span else ()
        text = f"FROM {platform}{stage.base} AS {stage.name}"
        out.instruction(text, "FROM", stage.name, origin)
        after_heredoc = False
        for node in stage.instructions:
            if after_heredoc:  # hadolint reads an instruction right after a heredoc's end as
                out.lines.append("")  # part of it; a blank line between is the same to Docker
            text = instruction(node)
            copied = getattr(node, "copied_out", ())
            spans = _origins(node, stage.span)
            out.instruction(text, text.split(" ", 1)[0], stage.name, spans, copied)
            after_heredoc = isinstance(node, ir.Copy) and node.text is not None
    return Emitted("\n".join(out.lines) + "\n", tuple(out.mapped))


class _Writer:
    """The Dockerfile's lines as they are written, and the map of each instruction."""

    def __init__(self, annotate: dict[str, str] | None):
        self.annotate = annotate
        self.lines: list[str] = []
        self.mapped: list[Mapped] = []

    def instruction(
        self, text: str, keyword: str, stage: str | None, spans, copied_out=()
    ) -> None:
        if self.annotate is not None and spans:
            self.lines.append(_comment(", ".join(_place(s, self.annotate) for s in spans)))
        first = len(self.lines) + 1
        self.lines.extend(text.split("\n"))
        self.mapped.append(Mapped(first, len(self.lines), keyword, stage, spans, copied_out))


def _origins(node: ir.Instruction, fallback: Span | None) -> tuple[Span, ...]:
    """The spans an instruction came from, each once, in order: its own `spans` (a RUN's,
    one per command), else its `span`, else `fallback` (the stage's head: a preset's
    instruction comes from the line that names the preset)."""
    own = (*getattr(node, "spans", ()), *getattr(node, "copied_out", ()))
    if not own:  # most instructions: their one span
        span = node.span if node.span is not None else fallback
        return (span,) if span is not None else ()
    spans = tuple(s for s in own if s is not None)
    if not spans:
        spans = (fallback,) if fallback is not None else ()
    return tuple(dict.fromkeys(spans))


def _place(span: Span, names: dict[str, str]) -> str:
    """`file:line:col` of a span (the name printable characters only)."""
    name = "".join(c if c.isprintable() else "?" for c in names.get(span.file, span.file))
    return f"{name}:{span.line}:{span.column}"


def instruction(node: ir.Instruction) -> str:
    """One instruction's text; it can span lines only through its own continuations."""
    text = _instruction(node)
    if isinstance(node, ir.Copy) and node.text is not None:
        head = text.split("\n", 1)[0]  # the body is checked line by line in `_heredoc`
        if any(char in LINE_BREAKS for char in head):
            raise ValueError(f"a line break reached the Dockerfile: {head!r}")
        return text
    joined = text.replace(_CONTINUE, " ")
    # Every line break is unprintable: a printable text (most) holds none.
    if not joined.isprintable() and any(brk in joined for brk in LINE_BREAKS):
        raise ValueError(f"a line break reached the Dockerfile: {text!r}")
    return text


def _instruction(node: ir.Instruction) -> str:
    match node:  # the commonest first
        case ir.Run():
            return _run(node)
        case ir.Copy():
            return _copy(node)
        case ir.Env(pairs=pairs):
            return "ENV " + _pairs(pairs)
        case ir.Workdir(path=path):
            return f"WORKDIR {word(path)}"
        case ir.User(user=user):
            return f"USER {word(user)}"
        case ir.Arg():
            return _arg(node)
        case ir.Label(pairs=pairs):
            return "LABEL " + _pairs(pairs)
        case ir.Cmd(argv=argv):
            return f"CMD {_json(argv)}"
        case ir.Entrypoint(argv=argv):
            return f"ENTRYPOINT {_json(argv)}"
        case ir.Shell(argv=argv):
            return f"SHELL {_json(argv)}"
        case ir.Expose(ports=ports):
            return "EXPOSE " + " ".join(word(p) for p in ports)
        case ir.Healthcheck():
            return _healthcheck(node)
        case ir.Volume(paths=paths):
            return f"VOLUME {_json(tuple(_escaped(p) for p in paths))}"
        case ir.Stopsignal(signal=signal):
            return f"STOPSIGNAL {_guard(_SIGNAL, signal, 'signal')}"
    raise TypeError(f"no emitter for {type(node).__name__}")


def word(value: str) -> str:
    """A value in .ship syntax (`${NAME}` references, `$$` for `$`) as one word of Docker's
    lexer: bare when every character means itself, else in double quotes with `\\`, `"`
    and a literal `$` escaped. References stay live."""
    if "$" not in value:  # most values: no reference, one literal part (none if empty)
        return value if _BARE.fullmatch(value) else '"' + _quoted_escape(value) + '"'
    parts = _parts(value)
    if parts and all(_bare(part) for part in parts):
        return "".join(p.raw if isinstance(p, expansion.Reference) else p for p in parts)
    return '"' + _render(parts, _quoted_escape) + '"'


def _escaped(value: str) -> str:
    """A value as Docker's lexer must receive it inside a JSON array (COPY, VOLUME still
    expand it there): each special character escaped with `\\`, references live."""
    return _render(_parts(value), _json_escape)


def _quoted_escape(text: str) -> str:
    """Literal text inside a double-quoted word: `\\`, `"` and `$` escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")


def _json_escape(text: str) -> str:
    """Literal text inside a JSON array's string: `\\`, `'`, `"` and `$` escaped."""
    return _quoted_escape(text).replace("'", "\\'")


def _parts(value: str) -> tuple[expansion.Part, ...]:
    parts, problems = expansion.split(value)
    if problems:
        raise ValueError(f"an unchecked '$' reached the Dockerfile: {value!r}")
    return parts


def _bare(part: expansion.Part) -> bool:
    if isinstance(part, expansion.Reference):
        return part.operator is None
    return bool(_BARE.fullmatch(part))


def _render(parts, escape) -> str:
    out = []
    for part in parts:
        if not isinstance(part, expansion.Reference):
            out.append(escape(part))
        elif part.operator is None:
            out.append(f"${{{part.name}}}")
        else:
            out.append(f"${{{part.name}{part.operator}{_render(part.word, escape)}}}")
    return "".join(out)


def _json(items: tuple[str, ...]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


def _guard(pattern: re.Pattern[str], value: str, what: str) -> str:
    if not pattern.fullmatch(value):
        raise ValueError(f"unchecked {what} reached the Dockerfile: {value!r}")
    return value


def _comment(line: str) -> str:
    if not line.isprintable():  # every line break is unprintable too
        raise ValueError(f"unprintable header line: {line!r}")
    return f"# {line}"


def _arg(node: ir.Arg) -> str:
    _guard(_NAME, node.name, "arg name")
    return f"ARG {node.name}" + (f"={word(node.default)}" if node.default is not None else "")


def _pairs(pairs: tuple[tuple[str, str], ...]) -> str:
    """`k=v k2=v2` on one line if it fits in 80 columns, else one pair per line."""
    if not pairs:
        raise ValueError("an ENV or LABEL without pairs reached the Dockerfile")
    words = [f"{word(key)}={word(value)}" for key, value in pairs]
    one_line = " ".join(words)
    return one_line if len(one_line) <= 72 else _CONTINUE.join(words)


def _copy(node: ir.Copy) -> str:
    flags = "--link " if node.link else ""
    flags += f"--from={_guard(_STAGE, node.from_stage, 'stage')} " if node.from_stage else ""
    flags += f"--chown={_guard(_CHOWN, node.chown, 'owner')} " if node.chown else ""
    flags += f"--chmod={_guard(_MODE, node.mode, 'mode')} " if node.mode else ""
    if node.text is not None:
        return _heredoc(node, flags)
    paths = (*node.sources, node.dest)
    if any("\\" in path for path in paths):
        raise ValueError(f"a backslash reached a COPY path: {paths!r}")
    words = [word(p) for p in paths]
    if all(w == p and not w.startswith("-") for w, p in zip(words, paths, strict=True)):
        return f"COPY {flags}{' '.join(words)}"
    return f"COPY {flags}{_json(tuple(_escaped(p) for p in paths))}"


def _heredoc(node: ir.Copy, flags: str) -> str:
    """`COPY <<"TERM" DEST`, the file's lines, `TERM`. The terminator is quoted, so the
    frontend expands nothing in the lines, and no line contains it, so no line ends the
    text early (BuildKit compares a line, less its line ending, with the terminator)."""
    if node.sources or node.from_stage:
        raise ValueError(f"a file's text with sources reached the Dockerfile: {node!r}")
    if word(node.dest) != node.dest or node.dest.startswith(("-", "<")):
        raise ValueError(f"unchecked file path reached the Dockerfile: {node.dest!r}")
    for line in node.text or ():
        if any(c in LINE_BREAKS or not (c.isprintable() or c == "\t") for c in line):
            raise ValueError(f"an unprintable character reached a file's text: {line!r}")
    terminator, n = _TERMINATOR, 1
    while any(terminator in line for line in node.text or ()):
        n += 1
        terminator = f"{_TERMINATOR}_{n}"
    body = "".join(line + "\n" for line in node.text or ())
    return f'COPY {flags}<<"{terminator}" {node.dest}\n{body}{terminator}'


def _mount(mount: ir.Mount) -> str:
    options = ",".join(
        f"{_guard(_FLAG_VALUE, key, 'mount option')}={_guard(_FLAG_VALUE, value, 'mount option')}"
        for key, value in (("type", mount.type), *mount.options)
    )
    return f"--mount={options}"


def _run(node: ir.Run) -> str:
    commands = [_CONTINUE.join(lines) for lines in shell.join(node.commands)]
    if commands[0].startswith("-"):
        raise ValueError(f"a command would become a RUN option: {commands[0]!r}")
    mounts = [_mount(m) for m in node.mounts]
    simple = len(commands) == 1 and len(node.commands[0]) == 1 and len(mounts) <= 1
    if simple:
        return "RUN " + " ".join(mounts + commands)
    body = commands[0] + "".join(f"{_CONTINUE}&& {c}" for c in commands[1:])
    return "RUN " + _CONTINUE.join(mounts + [body])


def _healthcheck(node: ir.Healthcheck) -> str:
    if node.argv is None:
        return "HEALTHCHECK NONE"
    options = "".join(
        f"--{_guard(_FLAG_VALUE, key, 'option')}={_guard(_FLAG_VALUE, value, 'option')} "
        for key, value in node.options
    )
    return f"HEALTHCHECK {options}CMD {_json(node.argv)}"

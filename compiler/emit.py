"""Dockerfile IR to text: one small function per instruction.

Values are quoted here and nowhere else: JSON arrays come from the JSON encoder, words
that need it are double-quoted with Docker's escapes, so no value can leave its instruction.
"""

from __future__ import annotations

import json
import re

from . import ir

_BARE = re.compile(r"[A-Za-z0-9_./:@%+,=${}~*-]+")
_CONTINUE = " \\\n    "


def emit(dockerfile: ir.Dockerfile) -> str:
    """The Dockerfile text, ending in a newline; the same IR always gives the same bytes."""
    parts = ["\n".join(f"# {line}" for line in dockerfile.header)]
    if dockerfile.args:
        parts.append("\n".join(_arg(a) for a in dockerfile.args))
    parts.extend(_stage(stage) for stage in dockerfile.stages)
    return "\n\n".join(parts) + "\n"


def _stage(stage: ir.Stage) -> str:
    lines = [f"FROM {stage.base} AS {stage.name}"]
    lines.extend(instruction(i) for i in stage.instructions)
    return "\n".join(lines)


def instruction(node: ir.Instruction) -> str:
    match node:
        case ir.Arg():
            return _arg(node)
        case ir.Shell(argv=argv):
            return f"SHELL {_json(argv)}"
        case ir.Workdir(path=path):
            return f"WORKDIR {word(path)}"
        case ir.Env(pairs=pairs):
            return "ENV " + _pairs(pairs)
        case ir.Label(pairs=pairs):
            return "LABEL " + _pairs(pairs)
        case ir.Copy():
            return _copy(node)
        case ir.Run():
            return _run(node)
        case ir.User(user=user):
            return f"USER {user}"
        case ir.Expose(ports=ports):
            return "EXPOSE " + " ".join(ports)
        case ir.Volume(paths=paths):
            return f"VOLUME {_json(paths)}"
        case ir.Healthcheck():
            return _healthcheck(node)
        case ir.Entrypoint(argv=argv):
            return f"ENTRYPOINT {_json(argv)}"
        case ir.Cmd(argv=argv):
            return f"CMD {_json(argv)}"
    raise TypeError(f"no emitter for {type(node).__name__}")


def word(value: str) -> str:
    """A value as one Dockerfile word: bare when safe, else double-quoted with `"` and `\\`
    escaped (Docker still expands `$NAME` inside double quotes, as users expect)."""
    if _BARE.fullmatch(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _json(items: tuple[str, ...]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


def _arg(node: ir.Arg) -> str:
    return f"ARG {node.name}" + (f"={word(node.default)}" if node.default is not None else "")


def _pairs(pairs: tuple[tuple[str, str], ...]) -> str:
    """`k=v k2=v2` on one line if it fits in 80 columns, else one pair per line."""
    words = [f"{word(key)}={word(value)}" for key, value in pairs]
    one_line = " ".join(words)
    return one_line if len(one_line) <= 72 else _CONTINUE.join(words)


def _copy(node: ir.Copy) -> str:
    flags = f"--from={node.from_stage} " if node.from_stage else ""
    flags += f"--chown={node.chown} " if node.chown else ""
    paths = (*node.sources, node.dest)
    if all(_BARE.fullmatch(p) for p in paths):
        return f"COPY {flags}{' '.join(paths)}"
    return f"COPY {flags}{_json(paths)}"


def _mount(mount: ir.Mount) -> str:
    options = ",".join(f"{key}={value}" for key, value in mount.options)
    return f"--mount=type={mount.type},{options}"


def _run(node: ir.Run) -> str:
    commands = [_CONTINUE.join(lines) for lines in node.commands]
    mounts = [_mount(m) for m in node.mounts]
    simple = len(commands) == 1 and len(node.commands[0]) == 1 and len(mounts) <= 1
    if simple:
        return "RUN " + " ".join(mounts + commands)
    body = commands[0] + "".join(f"{_CONTINUE}&& {c}" for c in commands[1:])
    return "RUN " + _CONTINUE.join(mounts + [body])


def _healthcheck(node: ir.Healthcheck) -> str:
    if node.argv is None:
        return "HEALTHCHECK NONE"
    options = "".join(f"--{key}={value} " for key, value in node.options)
    return f"HEALTHCHECK {options}CMD {_json(node.argv)}"

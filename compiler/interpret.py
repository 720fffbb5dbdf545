"""Syntax tree to typed model: which directives exist, where they may stand, what their
words mean. Every problem is collected, none raised, so a file's mistakes come in one round.

Block heads are read by heads.py; each directive's reader is registered in the table
`directives.DIRECTIVES`, which names the stage kinds that accept it and whether it may
repeat; the top-level lines are read by `directives.toplevel`.
"""

from __future__ import annotations

from . import argv, foreign, heads, model, platforms, syntax
from .directives import DIRECTIVES, StageDraft, toplevel
from .directives.toplevel import TOP_LEVEL
from .errors import Diagnostic, Span, did_you_mean, error
from .reading import Reader
from .values import Values

KINDS = heads.KINDS


def interpret(items: tuple[syntax.Item, ...]) -> tuple[model.Ship, list[Diagnostic]]:
    """The model of a file and every problem found while reading it."""
    values = Values()
    read = Reader(values)
    app: model.Text | None = None
    args: list[model.Arg] = []
    images: list[model.NamedImage] = []
    stages: list[model.Stage] = []
    targets: list[model.Text] = []
    ignored: list[model.Text] = []
    seen_platforms: syntax.Statement | None = None
    app_name = _app_name(items)
    for item in foreign.repair(items, values.report):
        if isinstance(item, syntax.Block):
            stage = _stage(read, item, app_name)
            if stage is not None:
                stages.append(stage)
        elif item.name.raw == "app":
            app = toplevel.app(read, item, app)
        elif item.name.raw == "arg":
            args.extend(toplevel.args(read, item, args))
        elif item.name.raw == "platforms":
            if seen_platforms is not None:
                where = seen_platforms.span.where(item.span)
                values.fail(f"'platforms' is already set on {where}", item.name.span)
            else:
                seen_platforms = item
                targets = platforms.read_platforms(read, item)
        elif item.name.raw == "image":
            images.extend(toplevel.image(read, item))
        elif item.name.raw == "ignore":
            ignored.extend(toplevel.ignore(read, item))
        else:
            _misplaced(values, item, top_level=True)
    first = items[0].name.span if items else Span.point(1, 1)
    if app is None:
        values.report(error("missing 'app NAME' at the top of the file", first))
    blocks = [i.name.raw for i in items if isinstance(i, syntax.Block)]
    if "runtime" not in blocks and all(b in KINDS for b in blocks):
        end = items[-1].span.at(items[-1].span.end_line, 1) if items else first
        message = "no runtime block: add 'runtime BASE { … }' to say where the app runs"
        values.report(error(message, end))
    app = app or model.Text("", first)
    ship = model.Ship(
        app, tuple(args), tuple(stages), tuple(targets), tuple(images), tuple(ignored)
    )
    return ship, values.diagnostics


def _app_name(items: tuple[syntax.Item, ...]) -> str:
    """The name of the first `app` line, wherever it stands ('' if none can be read): the
    blocks read before it may need it (`binary .` names its program after the app)."""
    for item in items:
        if isinstance(item, syntax.Directive) and item.name.raw == "app" and len(item.args) == 1:
            value = syntax.decode(item.args[0].raw)
            return value if isinstance(value, str) else ""
    return ""


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _misplaced(values: Values, item: syntax.Item, top_level: bool, kind: str = "") -> None:
    name = item.name.raw
    if _bad_name(values, item.name, DIRECTIVES if not top_level else TOP_LEVEL + KINDS):
        return
    ours = name in DIRECTIVES or name in TOP_LEVEL + KINDS
    if name in foreign.INSTRUCTIONS or (name.upper() in foreign.INSTRUCTIONS and not ours):
        values.report(_dockerfile_instruction(item.name))
    elif name in _SHELL_HABITS:
        values.report(error(f"unknown directive '{name}'", item.name.span, _SHELL_HABITS[name]))
    elif top_level and name in DIRECTIVES:
        where = _either(sorted(DIRECTIVES[name].kinds))
        values.report(error(f"'{name}' belongs inside a {where} block", item.name.span))
    elif not top_level and name in TOP_LEVEL + KINDS:
        values.report(
            error(f"'{name}' belongs at the top level, not inside a block", item.name.span)
        )
    elif not top_level and name in DIRECTIVES:
        where = _either(sorted(DIRECTIVES[name].kinds))
        message = f"'{name}' is not allowed in a {kind} block, only in {where}"
        values.report(error(message, item.name.span, DIRECTIVES[name].misplaced or None))
    else:
        choices = TOP_LEVEL + KINDS if top_level else tuple(DIRECTIVES)
        what = "top-level directive" if top_level else "directive"
        values.report(
            error(f"unknown {what} '{name}'{did_you_mean(name, choices)}", item.name.span)
        )


def _bad_name(values: Values, name: syntax.Word, choices) -> bool:
    """A name with an invisible or control character in it (`ex\u200bpose`): that is the
    one error, with the name it spells without them when that is one."""
    found = syntax.bad_character(name.raw)
    if found is None:
        return False
    offset, why = found
    plain = "".join(c for c in name.raw if syntax.bad_character(c) is None)
    hint = f"delete it: '{plain}'" if plain in choices else "delete it"
    at = name.span.at(name.span.line, name.span.column + offset)
    values.report(error(f"{why} in a name", at, hint))
    return True


# Shell words people write as if they were directives, and what ship says instead.
_SHELL_HABITS = {
    "export": "an environment variable is 'env NAME=value'",
    "cd": "a stage's folder is 'workdir PATH'; a run line may 'cd' for itself",
    "sudo": "a run line runs as root in a build; in a runtime, see 'as root'",
}


def _dockerfile_instruction(name: syntax.Word) -> Diagnostic:
    """`FROM`, `RUN`, … : a Dockerfile's instruction, and what ship writes instead."""
    lower = name.raw.lower()
    if name.raw == "FROM":
        hint = "a stage's base is in its block's head: 'build go 1.22 {', 'runtime image REF {'"
    elif lower == "add":
        hint = "files from the context are 'copy SRC… -> DEST'; from an image, 'copy image REF …'"
    elif lower in DIRECTIVES or lower == "arg":
        hint = f"write '{lower}', in lower case"
    else:
        hint = "ship writes the Dockerfile: see docs/language.md for what a .ship file says"
    return error(f"'{name.raw}' is a Dockerfile instruction, not ship", name.span, hint)


def _stage(read: Reader, block: syntax.Block, app: str) -> model.Stage | None:
    """One block read into a `model.Stage`."""
    values = read.values
    kind = heads.kind(block, values)
    if kind is None:
        return None
    stage = StageDraft(kind, values, read, app=app)
    name, base = heads.Head(kind, values, read).read(block)
    stage.base = base
    seen: dict[str, syntax.Item] = {}
    for statement in foreign.repair(block.body, values.report):
        _statement(stage, statement, seen)
    if base is None:  # the head is reported: keep the stage, so 'from' it still works
        span = block.name.span.to(block.args[-1].span) if block.args else block.name.span
        words = tuple(w for w in (read.text(w) for w in block.args) if w is not None)
        base = model.Preset(model.Text(heads.BROKEN, span), None, words, span)
    _programs(stage, base)
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in stage.fields.items()}
    return model.Stage(kind=kind, name=name, base=base, span=block.span, **fields)


def _programs(stage: StageDraft, base: model.Base) -> None:
    """The exec forms whose first word is the program: an entrypoint, a healthcheck,
    and a cmd when no entrypoint runs it (none here, and none inherited `from`)."""
    health = stage.fields.get("healthcheck")
    commands = [stage.fields.get("entrypoint"), health and health.command]
    if "entrypoint" not in stage.fields and not isinstance(base, model.FromStage):
        commands.append(stage.fields.get("cmd"))
    for command in commands:
        if command is not None:
            argv.check_program(stage.values, command)


def _statement(
    stage: StageDraft, statement: syntax.Statement, seen: dict[str, syntax.Item]
) -> None:
    name = statement.name.raw
    rule = DIRECTIVES.get(name)
    if rule is None or stage.kind not in rule.kinds:
        _misplaced(stage.values, statement, top_level=False, kind=stage.kind)
        return
    if rule.once and name in seen:
        first = seen[name].span.line
        message = (
            f"more than one '{name}' in this {stage.kind} block (the first is on line {first})"
        )
        stage.values.fail(message, statement.name.span, rule.again or None)
        return
    seen[name] = statement
    rule.read(stage, statement)

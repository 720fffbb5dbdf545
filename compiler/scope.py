"""ARG scoping, a pass over the Dockerfile IR.

Docker forgets global args inside a stage, and a FROM line can read only args declared
before the first FROM. So every arg in use is declared once at the top with its default,
and again (bare) in each stage right before the first instruction that uses it: an earlier
ARG would needlessly invalidate the cache of the steps before that use.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable

from . import ir, model
from .expansion import references, shell_references
from .platforms import PREDEFINED
from .record import fields, is_record, replace


def scope_args(dockerfile: ir.Dockerfile, args: tuple[model.Arg, ...]) -> ir.Dockerfile:
    """The Dockerfile with its global args and each stage's ARG declarations."""
    names = {a.name.value for a in args}
    # BuildKit's own args are declared bare in each stage that reads them, never globally.
    stages = tuple(_scope_stage(stage, names | PREDEFINED) for stage in dockerfile.stages)
    used = {i.name for s in stages for i in s.instructions if isinstance(i, ir.Arg)}
    used |= {n for s in stages for n in references(s.base)}
    for arg in reversed(args):  # a default reads the args declared before it
        if arg.name.value in used and arg.default is not None:
            used.update(references(arg.default.value))
    declared = tuple(
        ir.Arg(a.name.value, a.default.value if a.default else None, a.span)
        for a in args
        if a.name.value in used
    )
    return ir.Dockerfile(dockerfile.header, declared, stages)


def _scope_stage(stage: ir.Stage, args: set[str]) -> ir.Stage:
    declared: set[str] = set()
    out: list[ir.Instruction] = []
    for whole in stage.instructions:
        for instruction in _split_run(whole, args, declared):
            for name in _used_args(instruction, args):
                if name not in declared:
                    declared.add(name)
                    out.append(ir.Arg(name, None, instruction.span))
            out.append(instruction)
    return replace(stage, instructions=tuple(out))


def _split_run(instruction: ir.Instruction, args: set[str], declared: set[str]):
    """A RUN cut before each command that reads an arg not yet declared, so that ARG comes
    right before it and does not reach the commands before (each command of a RUN does
    what it would in a RUN of its own, so the cut changes nothing else). Attached
    commands stay with the one before them."""
    if not isinstance(instruction, ir.Run) or len(instruction.commands) < 2:
        return [instruction]
    units = _units(instruction)
    pieces: list[list[tuple[tuple[str, ...], ...]]] = [[]]
    seen = set(declared)
    for unit in units:
        new = {n for lines in unit for line in lines for n in shell_references(line)} & args
        if new - seen and pieces[-1]:
            pieces.append([])
        seen |= new
        pieces[-1].append(unit)
    spans = instruction.spans or (instruction.span,) * len(instruction.commands)
    out, start = [], 0
    for piece in pieces:
        commands = tuple(c for unit in piece for c in unit)
        own = spans[start : start + len(commands)]
        start += len(commands)
        last = piece is pieces[-1]
        attached = instruction.attached if last else 0
        first = next((s for s in own if s is not None), instruction.span)
        copied = instruction.copied_out if last else ()
        out.append(ir.Run(commands, instruction.mounts, first, attached, own, copied))
    return out


def _units(run: ir.Run) -> list[tuple[tuple[str, ...], ...]]:
    """The commands of a RUN, each with the attached commands that follow it."""
    free = len(run.commands) - run.attached
    units = [(c,) for c in run.commands[:free]]
    if run.attached:
        units[-1] += run.commands[free:]
    return units


def _used_args(instruction: ir.Instruction, args: set[str]) -> list[str]:
    if isinstance(instruction, ir.Run):  # the shell reads it; mount options are literal
        lines = (line for command in instruction.commands for line in command)
        names = [n for line in lines for n in shell_references(line)]
    else:
        texts: list[str] = []
        _strings(instruction, texts)
        names = [n for text in texts if "$" in text for n in references(text)]
    return list(dict.fromkeys(n for n in names if n in args))


# Exec-form instructions are not expanded by Docker: an arg there needs no declaration.
_NOT_EXPANDED = (ir.Cmd, ir.Entrypoint, ir.Healthcheck)


def _strings(value, out: list[str]) -> None:
    """Every string in an instruction (a record or a tuple), except in exec forms and spans,
    added to `out` in order."""
    for item in value if isinstance(value, tuple) else _walked(type(value))(value):
        if isinstance(item, str):
            out.append(item)
        elif item is not None:
            _strings(item, out)


@functools.cache
def _walked(cls: type) -> Callable[[object], tuple]:
    """The values of the fields `_strings` looks into in a value of this class, as a tuple:
    none for an exec form or a value that is not a record, and never a span."""
    walked = is_record(cls) and not issubclass(cls, _NOT_EXPANDED)
    names = tuple(f.name for f in fields(cls) if f.name != "span") if walked else ()
    if not names:
        return lambda value: ()
    if len(names) == 1:
        return lambda value: (getattr(value, names[0]),)
    return operator.attrgetter(*names)  # a tuple of them, at once

"""Checks on args: a default reads only the args declared before it, an arg a FROM line
reads needs a default, and an arg nothing reads is worth a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import expansion, model
from .errors import Diagnostic, did_you_mean, error, warning
from .expanded_values import (
    copied_images,
    dollar_problems,
    from_words,
    nested_references,
    part_span,
    stage_values,
)
from .expansion import Reference
from .reading import split_pair


def arg_defaults(args: tuple[model.Arg, ...]) -> Iterator[Diagnostic]:
    """A default may read the args declared before it: Docker expands it then, once."""
    last = {a.name.value: index for index, a in enumerate(args)}  # where each is declared last
    earlier: set[str] = set()  # grows arg by arg: not rebuilt for each
    for index, arg in enumerate(args):
        if arg.default is not None:
            yield from _default_problems(arg, index, earlier, last)
        earlier.add(arg.name.value)


def _default_problems(arg: model.Arg, index: int, earlier: set[str], last: dict[str, int]):
    written = model.Text(f"{arg.name.value}={arg.default.value}", arg.span)
    default = split_pair(written, arg.name.value, arg.default.value)[1]  # its own span
    yield from dollar_problems(default)
    parts, _ = expansion.split(default.value)
    for ref in nested_references(parts):
        if ref.name in earlier:
            continue
        at = part_span(default, ref.offset, len(ref.raw))
        if last.get(ref.name, -1) > index:
            hint = f"declare 'arg {ref.name}' before 'arg {arg.name.value}'"
            yield error(f"arg '{ref.name}' is declared after '{arg.name.value}'", at, hint)
        else:
            message = f"undefined variable '{ref.name}'{did_you_mean(ref.name, earlier)}"
            hint = f"an arg's default reads only the args declared before it: {_list(earlier)}"
            yield error(message, at, hint)


def _list(names: set[str]) -> str:
    return ", ".join(sorted(names)) or "none here"


def incomplete(text: model.Text, args: dict[str, model.Arg]) -> Iterator[Diagnostic]:
    """A FROM line is read before any stage: an arg without default leaves a hole in it,
    unless a `${NAME:-default}` fills it."""
    parts, _ = expansion.split(text.value)
    for name in dict.fromkeys(_unfilled(parts)):
        arg = args.get(name)
        if arg is not None and (arg.default is None or not arg.default.value):
            yield error(
                f"arg '{name}' has no default, so the image name would be incomplete",
                text.span,
                f"give it one: 'arg {name}=…' (it can still be set with --build-arg)",
            )


def _unfilled(parts: tuple[expansion.Part, ...]) -> Iterator[str]:
    """Names whose value the text needs as is: all but those of `${NAME:-word}` with a word."""
    for part in parts:
        if not isinstance(part, Reference):
            continue
        if part.operator != ":-" or not part.word:
            yield part.name
        yield from _unfilled(part.word)


def unused_args(ship: model.Ship) -> Iterator[Diagnostic]:
    # Every `$NAME` and `${NAME…` counts as a use, even in a form reported as an error: one
    # mistake, one message.
    if not ship.args:
        return
    texts = [a.default.value for a in ship.args if a.default]
    texts += [i.ref.value for i in ship.images]
    for stage in ship.stages:
        words = (*from_words(stage.base), *copied_images(stage), *stage_values(stage))
        texts += [t.value for t, _ in words]
        texts += [t.value for a in stage.artifacts for t in (a.source, a.dest) if t is not None]
        texts += [p.value.value for p in stage.env]
        for step in (*stage.steps, stage.install):
            texts += step.lines if isinstance(step, model.Run) else ()
    used = {n for text in texts if "$" in text for n in expansion.shell_references(text)}
    for arg in ship.args:
        if arg.name.value not in used:
            yield warning(f"arg '{arg.name.value}' is never used", arg.name.span)

"""Checks on args: a default reads only the args declared before it, an arg a FROM line
reads needs a default, so does one whose empty value would change an instruction
(`expose ${PORT}`), and an arg nothing reads is worth a warning.
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
from .secret_names import looks_secret
from .values import Values


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


def empty_args(args: tuple[model.Arg, ...]) -> dict[str, str]:
    """The args that are empty unless a --build-arg sets them, each with the arg without a
    default that makes it so: one without a default (or with an empty one), and one whose
    default is empty when those are (`arg B=$A`, `arg C=${B}`), through any chain."""
    values: dict[str, str | None] = {}
    empty: dict[str, str] = {}
    for arg in args:
        name = arg.name.value
        default = arg.default.value if arg.default is not None else ""
        value = expansion.substitute(default, values) if default else ""
        if value is None:  # reads a name not declared before it (said elsewhere)
            values.pop(name, None)
            empty.pop(name, None)
            continue
        values[name] = value
        if value == "":
            parts, _ = expansion.split(default)
            roots = [empty[n] for n in expansion.references(default) if n in empty]
            empty[name] = roots[0] if roots and parts else name
        else:
            empty.pop(name, None)
    return empty


def incomplete(text: model.Text, empty: dict[str, str]) -> Iterator[Diagnostic]:
    """A FROM line is read before any stage: an arg without default leaves a hole in it,
    unless a `${NAME:-default}` fills it; so does one whose default reads only such args
    (`empty_args`)."""
    parts, _ = expansion.split(text.value)
    for name in dict.fromkeys(_unfilled(parts)):
        root = empty.get(name)
        if root is None:
            continue
        said = f"arg '{name}' has no default,"
        if root != name:
            said = f"arg '{name}' has its value from arg '{root}', which has no default,"
        yield error(
            f"{said} so the image name would be incomplete",
            text.span,
            f"give {'it' if root == name else root} one: 'arg {root}=…' (it can still be set"
            " with --build-arg)",
        )


def empty_parts(
    text: model.Text, check, known: dict[str, str], blank: dict[str, str], separator: str
) -> Iterator[Diagnostic]:
    """A value that reads a name that is empty unless a --build-arg gives it (`blank`: an
    arg without a default, or an env set to one, each with that arg), where the empty
    value changes the instruction: a part of the value between `separator`s is that name
    alone and vanishes (`expose ${PORT}/udp` would be `/udp`, `workdir /srv/${APP}` would
    be `/srv/`), or the value left is no longer of its shape (`user ${U}:1000`)."""
    parts, _ = expansion.split(text.value)
    names = [p for p in parts if isinstance(p, Reference) and p.name in blank]
    if not names or any(p.operator for p in names):
        return  # `${NAME:-word}` fills it, `${NAME:+word}` is empty by design
    value = expansion.substitute(text.value, {**known, **dict.fromkeys(blank, "")})
    if not _vanishes(parts, blank, separator) and not _misshapen(text, value, check):
        return
    name, arg = names[0].name, blank[names[0].name]
    said = f"arg '{arg}' has no default"
    said = said if name == arg else f"'{name}' is set from arg '{arg}', which has no default"
    shown = f"'{value}'" if value else "empty"
    yield error(
        f"{said}: without a --build-arg {arg}, '{text.value}' would be {shown}",
        part_span(text, names[0].offset, len(names[0].raw)),
        f"give {arg} a default: 'arg {arg}=…' (--build-arg still sets it), or write"
        f" '${{{name}:-…}}' here",
    )


def blank_names(
    blank_args: dict[str, str], stage: model.Stage, hidden: frozenset[str]
) -> dict[str, str]:
    """The names empty in a stage unless a --build-arg gives them, each with that arg:
    the args without a default that no env hides (and those whose default reads only
    such args: `empty_args`), and the stage's env keys set to one alone (`env PORT=$P`)."""
    blank = {name: arg for name, arg in blank_args.items() if name not in hidden}
    for pair in stage.env:
        parts, _ = expansion.split(pair.value.value)
        alone = len(parts) == 1 and isinstance(parts[0], Reference) and not parts[0].operator
        arg = blank.get(parts[0].name) if alone else None
        if arg is not None:
            blank[pair.key.value] = arg
        else:
            blank.pop(pair.key.value, None)
    return blank


def _vanishes(parts, blank: frozenset[str], separator: str) -> bool:
    """Whether a part between separators is only references to `blank` names."""
    segment: list[bool] = []  # per piece of the current part: whether it is a blank name

    def empty() -> bool:
        return bool(segment) and all(segment)

    for part in parts:
        if isinstance(part, Reference):
            segment.append(part.name in blank)
            continue
        pieces = part.split(separator)
        for index, piece in enumerate(pieces):
            if index > 0:
                if empty():
                    return True
                segment = []
            if piece:
                segment.append(False)
    return empty()


def _misshapen(text: model.Text, value: str | None, check) -> bool:
    if value is None or check is None:
        return False
    probe = Values()
    check(probe, model.Text(value, text.span))
    return any(d.is_error for d in probe.diagnostics)


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
        texts += [t.value for t in stage.packages]  # a '$' there is refused, but names it
        texts += [stage.stopsignal.value] if stage.stopsignal else []  # the same
        for step in (*stage.steps, stage.install):
            texts += step.lines if isinstance(step, model.Run) else ()
    used = {n for text in texts if "$" in text for n in expansion.shell_references(text)}
    for arg in ship.args:
        if arg.name.value not in used:
            name = arg.name.value
            hint = (
                f"a run line sees an arg only in a stage that names it (${{{name}}}): for a"
                f" tool that reads {name} from its environment, write 'env {name}=${{{name}}}'"
                " in the build that runs it"
            )
            yield warning(
                f"arg '{name}' is never used, so the Dockerfile leaves it out",
                arg.name.span,
                None if looks_secret(name) else hint,  # a secret is not handed over in env
            )

"""The values Docker expands with `${…}`, found in the model: the words of FROM lines
(a preset's version, an image reference, an image copied from) and each stage's fields
whose metadata says so, with the shape each must have once its references are filled in;
and where a part of such a value stands, for errors that point at it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from . import expansion, model
from .errors import Diagnostic, Span, error
from .expansion import Reference
from .values import Values

# How a value Docker expands must look, checked again with the args' defaults filled in.
Check = Callable[[Values, model.Text], object]


def _absolute(what: str) -> Check:
    return lambda values, text: values.absolute(text, what)


def from_words(base: model.Base) -> Iterator[tuple[model.Text, Check | None]]:
    """The words that end up in a FROM line, where only args (with defaults) can be used."""
    if isinstance(base, model.Preset):
        if base.version is not None:
            yield base.version, Values.version
        if base.release is not None:  # `alpine ${ALPINE}`: part of the tag, like the version
            yield base.release, Values.version
        yield from ((w, None) for w in base.variants)
    elif isinstance(base, model.Image):
        yield base.ref, Values.image_ref


def copied_images(stage: model.Stage) -> Iterator[tuple[model.Text, Check | None]]:
    """The images a stage copies from: each is a FROM line of its own (args only)."""
    for step in stage.steps:
        if isinstance(step, model.Copy) and isinstance(step.origin, model.Image):
            yield step.origin.ref, Values.image_ref


def stage_values(stage: model.Stage) -> list[tuple[model.Text, Check | None]]:
    """The values Docker expands with `${…}` in the stage (the fields whose metadata says
    so, see model.py), with how each must look; env values, which read in order, are apart,
    and of the steps only the copies' paths (run lines are the shell's)."""
    found: list[tuple[model.Text, Check | None]] = []
    for name, check in _expanded_fields():
        if name == "steps":
            for step in stage.steps:
                if isinstance(step, model.Copy):
                    found += ((t, _SOURCE_CHECKS[type(step.origin)]) for t in step.sources)
                    if step.dest is not None:
                        found.append((step.dest, None))
        elif name == "expose":
            found += ((t, _exposed(t)) for t in stage.expose)
        else:
            found += ((t, check) for t in _texts(getattr(stage, name)))
    return found


@functools.cache
def _expanded_fields() -> tuple[tuple[str, Check | None], ...]:
    """The stage's fields `stage_values` reads (not env's, apart), each with its shape."""
    fields = model.stage_fields(docker="expands")
    return tuple(
        (f.name, None if f.name == "steps" else SHAPES[f.name]) for f in fields if f.name != "env"
    )


def _exposed(written: model.Text) -> Check:
    """A port as `Values.port` checks it; a word written without a protocol gets `/tcp`
    (runtime.py), so the value its references give must not bring one."""
    if "/" in written.value:
        return Values.port

    def check(values: Values, text: model.Text) -> bool:
        if not values.port(text):
            return False
        if "/" not in text.value:
            return True
        return values.fail(
            f"'{text.value}' brings a protocol: a reference in 'expose' stands for the port"
            " number, and a port written without one gets '/tcp'",
            text.span,
            "give the reference the number only, and write the protocol after it:"
            " 'expose ${PORT}/udp'",
        )

    return check


# How a copy's source must look: a path of the build context, of an image, or of a stage.
_SOURCE_CHECKS: dict[type, Check | None] = {
    model.Inline: None,  # no sources: the file's text, checked where it is read
    type(None): Values.context_path,
    model.Image: _absolute("a path in an image"),
    model.FromStage: None,
}


# How each field Docker expands must look, once its references are filled in (None: any
# value). tests/test_model.py checks it names exactly the fields model.py says are expanded.
SHAPES: dict[str, Check | None] = {
    "workdir": _absolute("a workdir"),
    "deps": Values.context_path,
    "user": Values.user,
    "expose": Values.port,
    "volumes": _absolute("a volume"),
    "writable": None,
    "labels": None,
}


def _texts(value) -> Iterator[model.Text]:
    """The texts of a field's value: a text, each of a tuple, a pair's value."""
    if isinstance(value, model.Text):
        yield value
    elif isinstance(value, model.Pair):
        yield value.value
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item)


def nested_references(parts: tuple[expansion.Part, ...]) -> Iterator[Reference]:
    """Every reference among the parts, and those nested in their words (`${A:-$B}`)."""
    for part in parts:
        if isinstance(part, Reference):
            yield part
            yield from nested_references(part.word)


def dollar_problems(text: model.Text) -> Iterator[Diagnostic]:
    """What is wrong with the `$`s of a value (expansion.problems), where each stands."""
    for problem in expansion.problems(text.value):
        yield error(problem.message, part_span(text, problem.offset, problem.length), problem.hint)


def part_span(text: model.Text, offset: int, length: int) -> Span:
    """Where a part of a value is: exact in a word written without quotes (its value is
    then its text), else the whole word."""
    span = text.span
    if span.line != span.end_line or span.end_column - span.column != len(text.value):
        return span
    start = span.column + offset
    return span.at(span.line, start, start + max(length, 1))

"""The lines outside blocks: `app`, `arg`, `image`, `ignore` (`platforms` is read by
platforms.py, `include` by include.py before any of these)."""

from __future__ import annotations

from .. import model, platforms, syntax
from ..errors import error
from ..reading import Reader
from ..record import replace

TOP_LEVEL = (
    "app",
    "arg",
    "include",
    "platforms",
    "image",
    "ignore",
)  # an include is read in by include.py


def app(read: Reader, item: syntax.Statement, seen: model.Text | None) -> model.Text | None:
    if seen is not None:
        read.values.report(
            error(f"'app' is already set on {seen.span.where(item.span)}", item.span)
        )
        return seen
    words = read.words(item, 1, 1, "app NAME")
    # Even a wrong 'app' line sets the app: "missing 'app'" would only add noise.
    return words[0] if words else model.Text("", item.span)


def args(read: Reader, item: syntax.Statement, before: list[model.Arg]) -> list[model.Arg]:
    result: list[model.Arg] = []
    for word in read.words(item, 1, None, "arg NAME[=default] …"):
        name, eq, default = word.value.partition("=")
        if not read.values.identifier(name, word, "arg"):
            continue
        if name in platforms.PREDEFINED:
            platforms.predefined_arg(read.values, name, bool(eq), word)
            continue
        first = next((a for a in (*before, *result) if a.name.value == name), None)
        if first is not None:  # Docker would take the last default: which one is meant?
            where = first.span.where(word.span)
            read.values.fail(f"arg '{name}' is already declared on {where}", word.span)
            continue
        default_text = model.Text(default, word.span) if eq else None
        result.append(model.Arg(model.Text(name, word.span), default_text, word.span))
    return result


def ignore(read: Reader, item: syntax.Statement) -> list[model.Text]:
    """`ignore dist *.log !keep.log`: .dockerignore patterns of the file's own."""
    patterns = []
    for word in read.words(item, 1, None, "ignore PATTERN …"):
        pattern = word.value.removeprefix("!")
        if not pattern or pattern.startswith("#") or not pattern.isprintable():
            why = "a comment in .dockerignore" if pattern.startswith("#") else "not a path"
            read.values.fail(f"'{word.value}' is {why}", word.span, "give a path or a pattern")
        else:
            patterns.append(word)
    return patterns


def image(read: Reader, item: syntax.Statement) -> list[model.NamedImage]:
    """`image NAME: REF`: an image named once, for `copy from NAME` and `from NAME`."""
    words = read.words(item, 2, 2, "image NAME: REF")
    if not words:
        return []
    name, ref = words
    if not name.value.endswith(":"):
        read.values.fail(
            f"'image' names an image: write 'image {name.value.rstrip(':') or 'NAME'}: REF'",
            name.span,
            "a stage's base image is in its block's head: 'build image REF {'",
        )
        return []
    span = replace(name.span, end_column=name.span.end_column - 1)
    name = model.Text(name.value[:-1], span)
    if not (read.values.stage_name(name) and read.values.image_ref(ref)):
        return []
    return [model.NamedImage(name, ref, item.span)]

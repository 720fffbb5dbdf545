"""The `ship` console command (and `python -m shipc`). It answers one question on its own
before anything else loads: is the output of `ship compile SOURCE -o OUTPUT` already up to
date? Make, pre-commit and editors ask that far more often than they need a compile.

If OUTPUT carries a stamp (see `stamp.py`) whose body digest matches, no warnings to repeat,
and whose inputs digest matches SOURCE and the included files it lists, the command is done:
exit 0, nothing printed, OUTPUT not opened for writing, its modification time unchanged.
This costs reading a few files and two digests; no click, lark or compiler is imported.
Anything else (another command, another option, a file that is not a plain regular file, a
stale or edited output) goes to the full command line in `cli.py`, which says what is wrong.
"""

from __future__ import annotations

import os
import sys

from . import __version__, stamp
from .files import FileProblem, read_existing, read_source

_OUTPUT_FLAGS = ("-o", "--output")
# The options of `ship compile` that change the output, as the stamp's digest names them
# (each is the flag `--NAME`); `cli.compile` gives the same names.
OUTPUT_OPTIONS = ("annotate",)


def main() -> None:
    """Run `ship` with the process's arguments."""
    if _up_to_date(sys.argv[1:]):
        sys.exit(0)
    from .cli import main as cli

    cli()


def _up_to_date(args: list[str]) -> bool:
    """True if `args` are `compile SOURCE -o OUTPUT` (in any order, `--output[=]OUTPUT` too)
    and OUTPUT is up to date; False for anything else, which the full command line runs."""
    words = _compile_words(args)
    if words is None:
        return False
    source, output, options = words
    try:
        existing = read_existing(output, output)
        data = read_source(source, source)
    except FileProblem:
        return False
    if existing is None:
        return False
    folder = os.path.dirname(source)

    def files(includes: tuple[str, ...]) -> list[tuple[str, bytes]] | None:
        try:
            read = [(name, read_source(os.path.join(folder, name), name)) for name in includes]
        except FileProblem:
            return None
        return [(stamp.source_key(source), data), *read]

    return stamp.fresh(existing, __version__, options, files)


def _compile_words(args: list[str]) -> tuple[str, str, tuple[str, ...]] | None:
    """(SOURCE, OUTPUT, output options) of `compile SOURCE -o OUTPUT [--annotate]`; None
    for any other command line."""
    if not args or args[0] != "compile":
        return None
    sources, outputs, options, rest = [], [], set(), iter(args[1:])
    for word in rest:
        if word.startswith("--") and word[2:] in OUTPUT_OPTIONS:
            options.add(word[2:])
        elif word in _OUTPUT_FLAGS:
            outputs.append(next(rest, None))
        elif word.startswith("--output="):
            outputs.append(word.partition("=")[2])
        elif word.startswith("-"):  # '-' (stdin), '--' and every other option: not ours
            return None
        else:
            sources.append(word)
    if len(sources) != 1 or len(outputs) != 1 or outputs[0] in (None, "", "-"):
        return None
    return sources[0], outputs[0], tuple(o for o in OUTPUT_OPTIONS if o in options)

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
import posixpath
import sys

from . import __version__, stamp
from .files import FileProblem, read_existing, read_source

_VALUED = {"-o": "output", "--output": "output", "--depfile": "depfile"}
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
    """True if `args` are `compile SOURCE -o OUTPUT [--annotate] [--dockerignore] [--depfile
    FILE]` (in any order; `--output=OUTPUT` too) and every file they write is up to date;
    False for anything else, which the full command line runs."""
    words = _compile_words(args)
    if words is None:
        return False
    source, flags = words
    output, dep = flags.get("output"), flags.get("depfile")
    options = tuple(o for o in OUTPUT_OPTIONS if o in flags)
    try:
        existing = read_existing(output, output)
        data = read_source(source, source)
    except FileProblem:
        return False
    if existing is None:
        return False
    folder = os.path.dirname(source)
    named: list[str] = []  # the included files, as the compile names them

    def files(includes: tuple[str, ...]) -> list[tuple[str, bytes]] | None:
        named[:] = [posixpath.normpath(posixpath.join(folder, name)) for name in includes]
        try:
            read = [
                (name, read_source(path, name)) for name, path in zip(includes, named, strict=True)
            ]
        except FileProblem:
            return None
        return [(stamp.source_key(source), data), *read]

    if not stamp.fresh(existing, __version__, options, files):
        return False
    if "dockerignore" in flags and not _fresh_file(output + ".dockerignore", files):
        return False
    return dep is None or _depfile_holds(dep, output, [source, *named])


def _fresh_file(path: str, files) -> bool:
    """True if the file at `path` is a current output of the same inputs (.dockerignore)."""
    try:
        existing = read_existing(path, path)
    except FileProblem:
        return False
    return existing is not None and stamp.fresh(existing, __version__, ("dockerignore",), files)


def _depfile_holds(path: str, output: str, inputs: list[str]) -> bool:
    """True if the depfile at `path` is the one a compile would write."""
    from . import depfile

    try:
        return read_existing(path, path) == depfile.rules([(output, inputs)])
    except (FileProblem, depfile.Unwritable):
        return False


def _compile_words(args: list[str]) -> tuple[str, dict[str, str | None]] | None:
    """SOURCE and the options given (`output`, `depfile`: their values; an output option:
    None) of `compile SOURCE -o OUTPUT [--annotate] [--depfile FILE]`; None for any other
    command line."""
    if not args or args[0] != "compile":
        return None
    sources: list[str] = []
    flags: dict[str, str | None] = {}
    rest = iter(args[1:])
    for word in rest:
        key, equals, value = word.partition("=")
        if word.startswith("--") and word[2:] in (*OUTPUT_OPTIONS, "dockerignore"):
            flags[word[2:]] = None
        elif key in _VALUED:
            if equals and not key.startswith("--"):  # click reads `-o=X` as "=X"
                return None
            value = value if equals else next(rest, None)
            if value in (None, "", "-") or _VALUED[key] in flags:
                return None
            flags[_VALUED[key]] = value
        elif word.startswith("-"):  # '-' (stdin), '--' and every other option: not ours
            return None
        else:
            sources.append(word)
    if len(sources) != 1 or "output" not in flags:
        return None
    return sources[0], flags

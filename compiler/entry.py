"""The `ship` console command (and `python -m shipc`). It answers two questions on its own
before click loads, for the command line that Make, pre-commit and editors run far more
often than any other: `ship compile SOURCE [-o OUTPUT] [options]`.

Is the output already up to date? If OUTPUT carries a stamp (see `stamp.py`) whose body
digest matches, no warnings to repeat, and whose inputs digest matches SOURCE and the
included files it lists, the command is done: exit 0, nothing printed, OUTPUT not opened
for writing, its modification time unchanged. This costs reading a few files and two
digests; no click, lark or compiler is imported.

Else, is the command line one whose meaning is plain? Then the compile runs here, through
the very function the click command calls (`compiling.compile_files`, in the same guard
as cli.py's command group), so what it prints, writes and exits with is the same, byte
for byte; it only spares loading click (about a third of a cold run). Anything else (help,
--version, another command or option, a value click would refuse, a usage error that
needs the command's usage line) goes to the full command line in `cli.py`.
"""

from __future__ import annotations

import gc  # built into the interpreter: free
import os
import posixpath
import stat as stat_
import sys

from . import __version__, stamp
from .files import FileProblem, read_existing, read_source

# The options of `ship compile` read here (each `--NAME`, as cli.compile declares it): flags,
# and those that take a value.
_FLAGS = ("annotate", "dockerignore", "force", "check", "werror")
_VALUED = {
    "-o": "output",
    "--output": "output",
    "--depfile": "depfile",
    "--stdin-filename": "stdin_filename",
}
# The options of `ship compile` that change the output, as the stamp's digest names them
# (each is the flag `--NAME`); `cli.compile` gives the same names.
OUTPUT_OPTIONS = ("annotate",)


def main() -> None:
    """Run `ship` with the process's arguments.

    The cycle collector stays off for the whole (short) process: a compile leaves it
    nothing to free (tests/test_limits.py) and loading the modules a few hundred objects,
    while its passes over everything loaded cost a cold compile about 3 ms of 96 (median
    CPU time of 40 interleaved runs)."""
    gc.disable()
    words = _compile_words(sys.argv[1:])
    if words is not None:
        if _fresh(*words):
            sys.exit(0)
        if _plain(*words):
            _compile(*words)  # exits, unless click must say a usage error
    from .cli import main as cli

    cli()


def _up_to_date(args: list[str]) -> bool:
    """True if `args` are `compile SOURCE -o OUTPUT [--annotate] [--dockerignore] [--depfile
    FILE]` (in any order; `--output=OUTPUT` too) and every file they write is up to date;
    False for anything else, which is compiled."""
    words = _compile_words(args)
    return words is not None and _fresh(*words)


def _fresh(source: str, flags: dict[str, str | None]) -> bool:
    """True if the files `ship compile SOURCE` with `flags` writes are up to date (and the
    command line is one the check knows: written files, output options, a depfile)."""
    output, dep = flags.get("output"), flags.get("depfile")
    if output in (None, "-") or source == "-":
        return False
    if not set(flags) <= {"output", "depfile", "dockerignore", *OUTPUT_OPTIONS}:
        return False
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


def _plain(source: str, flags: dict[str, str | None]) -> bool:
    """True if click would run `compile` with these words as they are: every path one
    that `click.Path(dir_okay=False)` takes (absent, or not a folder and readable), no
    shell completion asked for, and no Windows (click globs its arguments there)."""
    if os.name == "nt" or any(k[:1] == "_" and k.endswith("_COMPLETE") for k in os.environ):
        return False
    paths = [source, flags.get("output"), flags.get("depfile")]
    return all(_path_taken(path) for path in paths if path not in (None, "-"))


def _path_taken(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:  # absent (or unreachable): click takes it, the compile says why
        return True
    return not stat_.S_ISDIR(mode) and os.access(path, os.R_OK)


def _compile(source: str, flags: dict[str, str | None]) -> None:
    """`ship compile` as cli.compile runs it; returns only for a usage error."""
    from . import console
    from .compiling import Options, compile_files

    opts = Options(stdin_name=flags.get("stdin_filename"), **{f: f in flags for f in _FLAGS})
    output, dep = flags.get("output"), flags.get("depfile")
    try:
        console.guarded(
            lambda: compile_files((source,), output, None, dep, opts), (console.UsageError,)
        )
    except console.UsageError:  # raised before anything is read or written
        return


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
    """SOURCE and the options given (`output`, `depfile`, `stdin_filename`: their values; a
    flag: None) of `compile SOURCE [-o OUTPUT] [--FLAG...] [--depfile FILE]
    [--stdin-filename NAME]`, in any order; None for any other command line, and for any
    spelling of it that click reads in a way of its own (`-oX`, `--`, an option twice)."""
    if not args or args[0] != "compile":
        return None
    sources: list[str] = []
    flags: dict[str, str | None] = {}
    rest = iter(args[1:])
    for word in rest:
        key, equals, value = word.partition("=")
        if word.startswith("--") and word[2:] in _FLAGS:
            flags[word[2:]] = None
        elif key in _VALUED:
            if equals and not key.startswith("--"):  # click reads `-o=X` as "=X"
                return None
            value = value if equals else next(rest, None)
            name = _VALUED[key]
            if value in (None, "") or name in flags or (value == "-" and name != "output"):
                return None
            flags[name] = value
        elif word.startswith("-") and word != "-":  # '--' and every other option: not ours
            return None
        else:
            sources.append(word)
    if len(sources) != 1:
        return None
    return sources[0], flags

"""Ship: compile `.ship` files to multi-stage Dockerfiles.

The whole pipeline, one pass per module, data flowing one way (see `compile_source`):
text -> syntax tree (parse) -> includes read in (include) -> typed model (interpret)
     -> resolved bases (resolve) -> checks (check) -> runtimes written out (expand)
     -> implied commands (command) -> Dockerfile IR (lower) -> ARG scoping (scope)
     -> text (emit).
"""

from __future__ import annotations

import gc  # built into the interpreter: free
import posixpath  # loaded with os at start-up: free

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (milliseconds)
if TYPE_CHECKING:
    from .compiled import Compiled
    from .errors import ShipErrors
    from .include import Read, Sources

__version__ = "0.1.0"
__all__ = ["Compiled", "ShipErrors", "compile_source", "__version__"]


def __getattr__(name: str):
    # `import shipc` runs on every `ship` command, the up-to-date check too (entry.py),
    # which needs only __version__: what the others need loads when first asked for.
    if name == "ShipErrors":
        from .errors import ShipErrors

        return ShipErrors
    if name == "Compiled":
        from .compiled import Compiled

        return Compiled
    raise AttributeError(f"module 'shipc' has no attribute {name!r}")


def compile_source(
    text: str, filename: str = "<stdin>", read: Read | None = None, annotate: bool = False
) -> Compiled:
    """Compile the text of a .ship file; raises `ShipErrors` with every diagnostic on error
    (and the files read, to render them against).

    `read(path, name)` gives an included file's bytes (default: `include.read_file`, from
    disk; paths are relative to the folder of `filename`). With `annotate`, each instruction
    is preceded by a comment naming the .ship lines it came from. The whole pipeline, one
    pass a line, each run once (`_compile`).

    The cycle collector is paused meanwhile: a compile makes no reference cycles
    (tests/test_limits.py), and the collections, each scanning every object alive, made a
    large file's compile grow faster than the file (docs/performance.md)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _compile(text, filename, read, annotate)
    finally:
        if paused:
            gc.enable()


def _compile(text: str, filename: str, read: Read | None, annotate: bool) -> Compiled:
    # Imported here so `import shipc` (for __version__, ShipErrors) does not load lark.
    from .artifacts import received_warnings
    from .check import check
    from .command import default_commands, missing_commands, option_commands
    from .compiled import Compiled
    from .emit import emit
    from .errors import ShipErrors, sort
    from .expand import expand
    from .include import Source, Sources, include, read_file
    from .interpret import interpret
    from .linked import unlinked
    from .lost_artifacts import lost_artifact_warnings
    from .lower import lower
    from .parse import parse
    from .resolve import resolve
    from .scope import scope_args
    from .sources import named_images

    main = Source(filename, text.encode("utf-8"), text)
    try:
        tree = parse(text)  # text -> syntax tree
    except ShipErrors as exc:
        exc.sources = Sources(main)
        raise
    items, sources, diagnostics = include(tree, main, read or read_file)
    ship, found = interpret(items)  # -> typed model
    diagnostics += found
    if sources.incomplete:  # what the file names from a lost include would be follow-on noise
        raise ShipErrors(diagnostics, sources)
    ship = named_images(ship)  # a stage 'from NAME' of an 'image NAME: REF' is on that image
    setups = resolve(ship)  # each stage's base: image, preset, needs and provisions
    diagnostics += check(ship, setups)  # every problem of the file, at once
    if not any(d.is_error for d in diagnostics):  # else they could be follow-on noise
        diagnostics += received_warnings(ship, setups) + lost_artifact_warnings(ship, setups)
    if any(d.is_error for d in diagnostics):
        raise ShipErrors(diagnostics, sources)
    try:
        written = expand(ship)  # stages built from runtimes written out in full
    except ShipErrors as exc:  # a chain of runtimes that would write out too much
        exc.sources = sources
        raise
    written = default_commands(written, setups)  # the one program a runtime receives runs
    diagnostics += missing_commands(written, setups) + option_commands(written, setups)
    dockerfile = lower(written, setups, _header_name(filename))  # model -> Dockerfile IR
    diagnostics += unlinked(written, dockerfile)  # a `copies linked` the output links nothing of
    dockerfile = scope_args(dockerfile, ship.args)  # each ARG where it is first used
    emitted = emit(dockerfile, _names(filename, sources) if annotate else None)  # -> text
    return Compiled(
        emitted.text, sort(diagnostics), sources, emitted.lines, dockerfile, written, setups
    )


def _names(filename: str, sources: Sources) -> dict[str, str]:
    """Each file's name as the generated file shows it: the main file's as in the header,
    an included file's relative to the main file's folder (so the output is the same
    wherever ship runs)."""
    folder = posixpath.dirname(filename.replace("\\", "/")) or "."
    names = {s.name: posixpath.relpath(s.name, folder) for s in sources.included}
    return {"": _header_name(filename), **names}


def _header_name(filename: str) -> str:
    """The file's base name as the generated header shows it. A line break in a file name
    would end the header comment and start a Dockerfile instruction, so every character
    that is not printable becomes `?`."""
    name = posixpath.basename(filename.replace("\\", "/"))
    return "".join(c if c.isprintable() else "?" for c in name)

"""What the command's subcommands share to read and to speak: a source read as text, a
compile whose diagnostics are printed (exit 1 on errors, 3 on a bug in ship), diagnostics
rendered (past the first SHOWN, only counted), standard output written without a
traceback, and file names shown safely. Loaded by the commands that need it, not by
`ship --help`.

It does not import click: a cold `ship compile` runs without it (entry.py), so it writes
as `click.echo` does (flushed; escape codes stripped from a stream that is not a
terminal), and its exceptions are its own; cli.py shows them as click would.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from .files import FileProblem, read_source, read_stream

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (milliseconds)
if TYPE_CHECKING:
    from .compiled import Compiled
    from .errors import Diagnostic, Span

INTERNAL_ERROR = 3
INTERRUPTED = 130  # Ctrl-C, as shells say it: 1 would say the file has errors
SHOWN = 100  # diagnostics printed in full; the rest are counted in one line
sink = None  # where diagnostics go instead of standard error (check --format json, sarif)


class FileError(Exception):
    """A file that cannot be read or written: exit 2, said in one line."""

    exit_code = 2

    def format_message(self) -> str:
        return str(self)

    def show(self) -> None:
        echo(f"ship: {self.format_message()}", err=True)


class UsageError(Exception):
    """Options that do not go together: cli.py says it as click says a usage error
    (the command's usage line, exit 2)."""


def guarded(work: Callable[[], object], passed: tuple[type[BaseException], ...] = ()):
    """Run a command's work: Ctrl-C exits 130; a file problem that escapes it, 2 (one
    line); any other exception is a bug in ship (exit 3). `passed` go through as raised."""
    try:
        return work()
    except passed:
        raise
    except KeyboardInterrupt:
        echo("ship: interrupted", err=True)
        sys.exit(INTERRUPTED)
    except FileError as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:  # a bug in ship, not in the user's file
        internal_error(exc, None)
        raise AssertionError("unreachable") from None


def echo(message: str, err: bool = False, nl: bool = True) -> None:
    """Write `message` to standard output (`err`: standard error) and flush, as
    `click.echo` does: in UTF-8 (unencodable characters replaced) where the stream claims
    to be ASCII. (Click also strips escape codes from a stream that is not a terminal:
    ship writes none there; colour is only for a terminal, and names and source lines
    are shown with control characters replaced.)"""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # no stream attached (pythonw)
        return
    out = message + "\n" if nl else message
    if out and _ascii(stream) and hasattr(stream, "buffer"):
        stream.flush()
        stream.buffer.write(out.encode("utf-8", "replace"))
        stream = stream.buffer
    elif out:
        stream.write(out)
    stream.flush()


def _ascii(stream) -> bool:
    """True for a text stream whose encoding is ASCII (or unset), which click replaces
    with UTF-8."""
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii"
    except LookupError:
        return False




def print_diff(before: str, after: str, name: str) -> None:
    """Print what formatting changes in a file, as a unified diff."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        name,
        f"{name} (formatted)",
    )
    print_text("".join(lines))


def read_text(source: str, stdin_name: str | None = None) -> tuple[str, str]:
    """The text of SOURCE, decoded as UTF-8 with line endings left for the parser, and
    its name as given (for standard input: `stdin_name`, or `<stdin>`)."""
    name = (stdin_name or "<stdin>") if source == "-" else source
    try:
        if source == "-":
            data = read_stream(sys.stdin.buffer.read, safe_name(name))
        else:
            data = read_source(source, safe_name(name))
    except FileProblem as exc:
        raise FileError(str(exc)) from None
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        from .errors import Span, error

        problem = error("not UTF-8 text (.ship files are UTF-8)", Span.point(line, column))
        if sink is not None:
            sink.add((problem,), name, None)
        else:  # no source line to show: the line is not text
            echo(f"{safe_name(name)}:{line}:{column}: error: {problem.message}", err=True)
        sys.exit(1)
    raise AssertionError("unreachable")


def compile_text(text: str, name: str, annotate: bool = False) -> Compiled:
    """The compiled file (`shipc.Compiled`), its warnings printed; errors printed, exit 1."""
    from . import compile_source
    from .errors import ShipErrors

    try:
        compiled = compile_source(text, name, annotate=annotate)
    except ShipErrors as exc:
        report(exc.diagnostics, text, name, exc.sources)
        errors = sum(d.is_error for d in exc.diagnostics)
        fail(f"ship: {errors} error{'s' if errors != 1 else ''} in {safe_name(name)}")
    except Exception as exc:  # a bug in ship, not in the user's file
        internal_error(exc, name)
    report(compiled.warnings, text, name, compiled.sources)
    return compiled


def report(diagnostics: tuple[Diagnostic, ...], text: str, name: str, sources=None) -> None:
    """Each diagnostic rendered against the file it is in (an included one names the
    includes that led there); past the first SHOWN, only how many more there are."""
    if sink is not None:
        sink.add(diagnostics, name, sources)
        return
    color = _use_color()
    seen: dict[str, str] = {}  # each file's text as the parser saw it, made once per file
    shown = [_render(d, text, name, sources, color, seen) for d in diagnostics[:SHOWN]]
    if len(diagnostics) > SHOWN:
        rest = diagnostics[SHOWN:]
        errors = sum(d.is_error for d in rest)
        counts = [f"{errors} more error{'s' if errors != 1 else ''}"] if errors else []
        if len(rest) > errors:
            warnings = len(rest) - errors
            counts.append(f"{warnings} more warning{'s' if warnings != 1 else ''}")
        shown.append(f"ship: {' and '.join(counts)} not shown")
    echo("\n".join(shown), err=True, nl=bool(diagnostics))


def _render(
    diagnostic: Diagnostic, text: str, name: str, sources, color: bool, seen: dict[str, str]
) -> str:
    from .errors import render

    chain = ()
    if sources is not None and diagnostic.span.file:
        source = sources.of(diagnostic.span)
        text, name = source.text, source.name
        chain = tuple((safe_name(n), at) for n, at in sources.chain(diagnostic.span))
    if name not in seen:
        seen[name] = text.removeprefix("\ufeff").replace("\r\n", "\n")
    return render(diagnostic, seen[name], safe_name(name), color, chain)


def print_text(text: str) -> None:
    """Write the Dockerfile to standard output; a full disk or a closed pipe is an error
    that says so, not a traceback."""
    try:
        echo(text, nl=False)
        sys.stdout.flush()
    except OSError as exc:
        _silence_stdout()  # else Python's own flush at exit fails again, with a traceback
        raise FileError(f"cannot write standard output: {exc.strerror or exc}") from None


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests), nothing to do
        pass


def internal_error(exc: Exception, name: str | None) -> None:
    """Say that ship failed, and where in the input it was, then exit 3."""
    debug = os.environ.get("SHIP_DEBUG", "") not in ("", "0")
    if debug:
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)
    message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    echo(f"ship: internal error, please report: {safe_name(message)}", err=True)
    if name is not None:
        line = _innermost_line(exc)
        where = f"{safe_name(name)}:{line}" if line else safe_name(name)
        advice = "" if debug else " (SHIP_DEBUG=1 shows the traceback)"
        echo(f"ship: while compiling {where}{advice}", err=True)
    sys.exit(INTERNAL_ERROR)


def _innermost_line(exc: BaseException) -> int | None:
    """The line of the .ship file that the innermost pass was at: the first span found in
    the locals of ship's own frames, innermost first. Cheap, and only for the report."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        if frame.f_globals.get("__name__", "").partition(".")[0] != __package__:
            continue
        for value in list(frame.f_locals.values()):
            if (span := _span_of(value)) is not None:
                return span.line
    return None


def _span_of(value: object) -> Span | None:
    from .errors import Span

    try:
        span = value if isinstance(value, Span) else getattr(value, "span", None)
    except Exception:  # a property that fails: not what we are looking for
        return None
    return span if isinstance(span, Span) else None


def safe_name(name: str) -> str:
    """A file name as messages show it: a newline or other control character in it would
    forge lines of output, so each becomes `?`."""
    return "".join(c if c.isprintable() else "?" for c in name)


def _use_color() -> bool:
    """Colour on a terminal, unless NO_COLOR is set (not empty: no-color.org) or the
    terminal says it has none (TERM=dumb: Emacs' shell, some CI logs)."""
    if "NO_COLOR" in os.environ and os.environ["NO_COLOR"] != "":
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty()


def fail(message: str):
    echo(message, err=True)
    sys.exit(1)

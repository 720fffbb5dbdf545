"""The `ship` command line: reads files, prints rendered diagnostics, sets exit codes.

Exit codes: 0 success, 1 the .ship file has errors, 2 usage errors and files that cannot be
read or written (click's code for usage errors), 3 an internal error: a bug in ship, never
the user's, reported with the input's name and no traceback (unless SHIP_DEBUG=1), 130
interrupted (Ctrl-C).

How files are read and written (size limit, regular files only, atomic writes) is in
`files.py`.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

# Only what `ship --help` and `--version` need is imported here; the compiler (and the
# stamp's digests) are imported by the commands that use them (see docs/performance.md).
from . import __version__
from .files import MAX_INPUT, FileProblem, read_source, read_stream, write_output

if TYPE_CHECKING:
    from .compiled import Compiled
    from .errors import Diagnostic, Span

INTERNAL_ERROR = 3
SHOWN = 100  # diagnostics printed in full; the rest are counted in one line
INTERRUPTED = 130

_EXAMPLES = f"""
\b
Examples:
  ship compile app.ship                 print the Dockerfile
  ship compile app.ship -o Dockerfile   write it (atomically, only if changed)
  ship compile --check app.ship -o Dockerfile
                                        exit 1 with a diff if it is stale
  cat app.ship | ship compile -         read standard input
  ship check app.ship                   diagnostics only
  ship explain app.ship                 what ship decided for each stage

\b
Exit codes: 0 success, 1 the file has errors, 2 usage or file errors,
3 internal error (a bug in ship: please report it), 130 interrupted.
Input is limited to {MAX_INPUT >> 20} MiB.
"""


_SOURCE = click.Path(dir_okay=False, allow_dash=True)
_WERROR = click.option("--werror", is_flag=True, help="Fail (exit 1) on warnings too.")
_STDIN_FILENAME = click.option(
    "--stdin-filename",
    metavar="NAME",
    help="The name of the file read from standard input ('-'), for messages, the header "
    "and the folder its includes are relative to (editors).",
)
_sink = None  # where diagnostics go instead of standard error (check --format json, sarif)


class _FileError(click.ClickException):
    """A file that cannot be read or written: exit 2, said in one line."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"ship: {self.format_message()}", err=True)


class _Ship(click.Group):
    """The command group; turns any exception that escapes a command into an internal error."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:  # exit 130, as shells do: 1 would say the file has errors
            click.echo("ship: interrupted", err=True)
            sys.exit(INTERRUPTED)
        except Exception as exc:  # a bug in ship, not in the user's file
            _internal_error(exc, None)


@click.group(cls=_Ship, epilog=_EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "--version", "-V", prog_name="ship", message="%(prog)s %(version)s"
)
def main() -> None:
    """Compile .ship files to multi-stage Dockerfiles."""


@main.command(epilog=_EXAMPLES)
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...", type=_SOURCE)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Where to write the Dockerfile ('-' for standard output, the default).",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False),
    help="Write each SOURCE's Dockerfile here, as NAME.Dockerfile for NAME.ship.",
)
@click.option(
    "--force", is_flag=True, help="Overwrite OUTPUT even if ship did not write it or it was edited."
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 with a diff if OUTPUT is not what a compile writes now.",
)
@click.option(
    "--annotate",
    is_flag=True,
    help="Precede each instruction with a comment naming the .ship lines it came from.",
)
@click.option(
    "--depfile",
    type=click.Path(dir_okay=False),
    help="Also write a Make rule: each output and every file it was compiled from.",
)
@click.option(
    "--dockerignore",
    is_flag=True,
    help="Also write OUTPUT.dockerignore (read by BuildKit for -f OUTPUT): .git and the "
    "toolchains' host outputs such as node_modules, never a path a COPY reads.",
)
@_WERROR
@_STDIN_FILENAME
def compile(sources, output, out_dir, depfile, **options) -> None:
    """Compile SOURCE (a .ship file, or '-' for standard input) to a Dockerfile; with
    --out-dir, any number of them, each to its own file.

    Errors and warnings go to standard error as file:line:col: messages. OUTPUT is
    written only when compilation succeeds, in one step, only if its content changes
    (an up-to-date file keeps its modification time), and never over a file that
    ship did not generate, or one edited by hand since, unless --force is given.
    OUTPUT must be a regular file (a symbolic link is followed); devices, pipes and
    folders are refused. A written file carries a stamp below its header: a digest
    of the inputs and of its own text. Every file is compiled and reported; the
    exit code is the worst of them.
    """
    from .compiling import Options, compile_files

    stdin_name = options.pop("stdin_filename")
    compile_files(sources, output, out_dir, depfile, Options(stdin_name=stdin_name, **options))


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...", type=_SOURCE)
@_WERROR
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    help="How to report: text on standard error (the default), or one JSON or SARIF 2.1.0 "
    "document on standard output.",
)
@_STDIN_FILENAME
def check(sources, werror: bool, form: str, stdin_filename: str | None) -> None:
    """Check each SOURCE for errors and warnings without writing anything. Every file
    is checked and reported; the exit code is the worst of them."""
    from .compiling import check_files

    sink = None
    if form != "text":
        from .findings import Findings

        sink = Findings(form, stdin_filename)
    check_files(sources, werror, stdin_filename, sink)


@main.command(context_settings={"max_content_width": 100})
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True))
@click.argument("context", required=False, type=click.Path(file_okay=False))
@click.option("--target", help="The stage to build (default: the last runtime).")
@click.option("--platform", help="The platform to build for, as docker takes it.")
@click.option("--build-arg", "build_args", multiple=True, metavar="K=V", help="A build arg.")
@click.option("-t", "--tag", "tags", multiple=True, help="Name the image (repeatable).")
@click.option(
    "--secret",
    "secrets",
    multiple=True,
    metavar="ID=FILE|ID=env:VAR",
    help="Where a secret the file declares comes from (default: $SHIP_SECRET_<ID>).",
)
@click.option("--no-cache", is_flag=True, help="Build without docker's cache.")
def build(source: str, context: str | None, secrets: tuple[str, ...], **options) -> None:
    """Compile SOURCE and build it with docker (BuildKit), in CONTEXT (default: the
    folder of SOURCE).

    The Dockerfile goes to `docker build -f -` and is never written. Docker's output is
    shown as it comes; when a step fails, ship names the .ship file, line and column it
    came from. The docker client is `docker` on PATH, or $SHIP_DOCKER.

    Exit codes: 0 built, 1 the file has errors, 2 usage errors (a secret without a source,
    an unknown target, docker not found), 4 the build failed.
    """
    from .build import BuildProblem, Request
    from .build import build as run_build

    text, name = _read(source)
    compiled = _compiled(text, name)
    if context is None:
        context = os.path.dirname(source) if source != "-" else "."
    request = Request(context or ".", secrets=secrets, **options)

    def report(diagnostic: Diagnostic) -> None:
        _report((diagnostic,), text, name, compiled.sources)

    try:
        code = run_build(compiled.dockerfile, compiled.image, compiled.lines, request, report)
    except BuildProblem as exc:
        raise _FileError(str(exc)) from None
    if code:
        click.echo("ship: docker build failed", err=True)
        sys.exit(code)


@main.command()
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True))
def explain(source: str) -> None:
    """Say what ship decided for SOURCE, stage by stage, once the presets are applied:
    the image, the dependency manager, its manifests and install step, the cache mounts,
    the steps, the user, the artifacts (their kind, where each lands in every runtime) and
    what they need from the runtimes. Errors and warnings as for 'ship check'.
    """
    from .explain import explain as describe

    text, name = _read(source)
    _print(describe(_compiled(text, name)))


@main.command()
@click.argument(
    "sources", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True)
)
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file is not formatted.")
@click.option("--diff", is_flag=True, help="Change nothing; print what would change.")
def fmt(sources: tuple[str, ...], check: bool, diff: bool) -> None:
    """Format SOURCES (.ship files, or '-' to format standard input to standard output) in
    the one canonical layout, every comment kept. A formatted file compiles to the same
    Dockerfile, byte for byte. A file that is already formatted is not written.

    Exit codes: 0 formatted (or nothing to do), 1 a file has syntax errors or, with
    --check, is not formatted, 2 a file cannot be read or written.
    """
    from .errors import ShipErrors
    from .fmt import format_source

    worst = 0
    for source in sources:
        text, name = _read(source)
        try:
            formatted = format_source(text)
        except ShipErrors as exc:
            _report(exc.diagnostics, text, name)
            errors = sum(d.is_error for d in exc.diagnostics)
            click.echo(
                f"ship: {errors} error{'s' if errors != 1 else ''} in {_shown(name)}", err=True
            )
            worst = 1
            continue
        if source == "-" and not (check or diff):
            _print(formatted)
        elif formatted == text:
            continue
        elif diff:
            _print_diff(text, formatted, _shown(name))
        elif check:
            click.echo(
                f"ship: {_shown(name)} is not formatted (run 'ship fmt {_shown(name)}')", err=True
            )
            worst = 1
        else:
            try:
                write_output(source, _shown(source), formatted.encode("utf-8"), refuse=None)
            except FileProblem as exc:
                raise _FileError(str(exc)) from None
            click.echo(f"ship: reformatted {_shown(name)}", err=True)
    sys.exit(worst)


def _print_diff(before: str, after: str, name: str) -> None:
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        name,
        f"{name} (formatted)",
    )
    _print("".join(lines))


def _read(source: str, stdin_name: str | None = None) -> tuple[str, str]:
    """The text of SOURCE, decoded as UTF-8 with line endings left for the parser, and
    its name as given (for standard input: `stdin_name`, or `<stdin>`)."""
    name = (stdin_name or "<stdin>") if source == "-" else source
    try:
        if source == "-":
            data = read_stream(sys.stdin.buffer.read, _shown(name))
        else:
            data = read_source(source, _shown(name))
    except FileProblem as exc:
        raise _FileError(str(exc)) from None
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        from .errors import Span, error

        problem = error("not UTF-8 text (.ship files are UTF-8)", Span.point(line, column))
        if _sink is not None:
            _sink.add((problem,), name, None)
        else:  # no source line to show: the line is not text
            click.echo(f"{_shown(name)}:{line}:{column}: error: {problem.message}", err=True)
        sys.exit(1)
    raise AssertionError("unreachable")


def _compiled(text: str, name: str, annotate: bool = False) -> Compiled:
    """The compiled file (`shipc.Compiled`), its warnings printed; errors printed, exit 1."""
    from . import compile_source
    from .errors import ShipErrors

    try:
        compiled = compile_source(text, name, annotate=annotate)
    except ShipErrors as exc:
        _report(exc.diagnostics, text, name, exc.sources)
        errors = sum(d.is_error for d in exc.diagnostics)
        _fail(f"ship: {errors} error{'s' if errors != 1 else ''} in {_shown(name)}")
    except Exception as exc:  # a bug in ship, not in the user's file
        _internal_error(exc, name)
    _report(compiled.warnings, text, name, compiled.sources)
    return compiled


def _report(diagnostics: tuple[Diagnostic, ...], text: str, name: str, sources=None) -> None:
    """Each diagnostic rendered against the file it is in (an included one names the
    includes that led there); past the first SHOWN, only how many more there are."""
    if _sink is not None:
        _sink.add(diagnostics, name, sources)
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
    click.echo("\n".join(shown), err=True, nl=bool(diagnostics))


def _render(
    diagnostic: Diagnostic, text: str, name: str, sources, color: bool, seen: dict[str, str]
) -> str:
    from .errors import render

    chain = ()
    if sources is not None and diagnostic.span.file:
        source = sources.of(diagnostic.span)
        text, name = source.text, source.name
        chain = tuple((_shown(n), at) for n, at in sources.chain(diagnostic.span))
    if name not in seen:
        seen[name] = text.removeprefix("\ufeff").replace("\r\n", "\n")
    return render(diagnostic, seen[name], _shown(name), color, chain)


def _print(text: str) -> None:
    """Write the Dockerfile to standard output; a full disk or a closed pipe is an error
    that says so, not a traceback."""
    try:
        click.echo(text, nl=False)
        sys.stdout.flush()
    except OSError as exc:
        _silence_stdout()  # else Python's own flush at exit fails again, with a traceback
        raise _FileError(f"cannot write standard output: {exc.strerror or exc}") from None


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests), nothing to do
        pass


def _internal_error(exc: Exception, name: str | None) -> None:
    """Say that ship failed, and where in the input it was, then exit 3."""
    debug = os.environ.get("SHIP_DEBUG", "") not in ("", "0")
    if debug:
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)
    message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    click.echo(f"ship: internal error, please report: {_shown(message)}", err=True)
    if name is not None:
        line = _innermost_line(exc)
        where = f"{_shown(name)}:{line}" if line else _shown(name)
        advice = "" if debug else " (SHIP_DEBUG=1 shows the traceback)"
        click.echo(f"ship: while compiling {where}{advice}", err=True)
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


def _shown(name: str) -> str:
    """A file name as messages show it: a newline or other control character in it would
    forge lines of output, so each becomes `?`."""
    return "".join(c if c.isprintable() else "?" for c in name)


def _use_color() -> bool:
    if "NO_COLOR" in os.environ and os.environ["NO_COLOR"] != "":
        return False
    return sys.stderr.isatty()


def _fail(message: str):
    click.echo(message, err=True)
    sys.exit(1)

"""The `ship` command line: reads files, prints rendered diagnostics, sets exit codes.

Exit codes: 0 success, 1 the .ship file has errors, 2 usage errors and files that cannot be
read or written (click's code for usage errors), 3 an internal error: a bug in ship, never
the user's, reported with the input's name and no traceback (unless SHIP_DEBUG=1), 130
interrupted (Ctrl-C).

Here are the commands and their options; what they share to read files and report (the
exit codes 1 and 3 included) is in `console.py`, loaded only by a command that runs. How
files are read and written (size limit, regular files only, atomic writes) is in `files.py`.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

# Only what `ship --help` and `--version` need is imported here; the compiler (and the
# stamp's digests) are imported by the commands that use them (see docs/performance.md).
from . import __version__
from .files import MAX_INPUT

if TYPE_CHECKING:
    from .errors import Diagnostic

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


class _Ship(click.Group):
    """The command group; turns any exception that escapes a command into an internal error."""

    def invoke(self, ctx: click.Context):
        from . import console  # Ctrl-C: 130; a file problem: 2; anything else: a bug, 3

        clicks = (click.ClickException, click.exceptions.Exit, click.Abort)
        return console.guarded(lambda: super(_Ship, self).invoke(ctx), passed=clicks)


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
    help="Write each SOURCE's Dockerfile here, as NAME.Dockerfile for NAME.ship (two"
    " sources of one NAME are refused: give each its own -o).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite OUTPUT even if ship did not write it or it was edited (never an input:"
    " the .ship file or a file it includes).",
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
    from .console import UsageError

    stdin_name = options.pop("stdin_filename")
    try:
        compile_files(sources, output, out_dir, depfile, Options(stdin_name=stdin_name, **options))
    except UsageError as exc:  # said with this command's usage line
        raise click.UsageError(str(exc)) from None


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
@click.argument(
    "context", required=False, type=click.Path(exists=True, file_okay=False, allow_dash=True)
)
@click.option("--target", help="The stage to build (default: the last runtime).")
@click.option(
    "--platform",
    help="The platform(s) to build for, as docker takes them; one the file's 'platforms'"
    " declares, if it has that line.",
)
@click.option(
    "--build-arg",
    "build_args",
    multiple=True,
    metavar="K=V",
    help="A value for an arg the file declares (another name is refused; docker's proxy"
    " args and BUILDKIT_* pass).",
)
@click.option("-t", "--tag", "tags", multiple=True, help="Name the image (repeatable).")
@click.option(
    "--secret",
    "secrets",
    multiple=True,
    metavar="ID=FILE|ID=env:VAR",
    help="Where a secret the file declares comes from (default: $SHIP_SECRET_<ID>);"
    " docker's id=ID,src=FILE and id=ID,env=VAR work too.",
)
@click.option("--no-cache", is_flag=True, help="Build without docker's cache.")
def build(source: str, context: str | None, secrets: tuple[str, ...], **options) -> None:
    """Compile SOURCE and build it with docker (BuildKit), in CONTEXT (default: the
    folder of SOURCE).

    The Dockerfile and its .dockerignore (as `ship compile --dockerignore` writes it, plus
    the lines of CONTEXT/.dockerignore) go to a private temporary folder, removed after the
    build, and docker reads them from there (`-f`). Docker's output is
    shown as it comes; when a step fails, ship names the .ship file, line and column it
    came from. The docker client is `docker` on PATH, or $SHIP_DOCKER.

    Exit codes: 0 built, 1 the file has errors, 2 usage errors (a missing CONTEXT, a
    --build-arg the file does not declare, a secret without a source, an unknown target,
    docker not found), 4 the build failed.
    """
    from . import console
    from .build import BuildProblem, Request
    from .build import build as run_build

    text, name = console.read_text(source)
    compiled = console.compile_text(text, name)
    if context is None:
        context = os.path.dirname(source) if source != "-" else "."
    request = Request(context or ".", secrets=secrets, **options)

    def report(diagnostic: Diagnostic) -> None:
        console.report((diagnostic,), text, name, compiled.sources)

    try:
        code = run_build(compiled, request, report)
    except BuildProblem as exc:
        if exc.diagnostic is None:
            raise console.FileError(str(exc)) from None
        report(exc.diagnostic)
        sys.exit(2)
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
    from . import console
    from .explain import explain as describe

    text, name = console.read_text(source)
    console.print_text(describe(console.compile_text(text, name)))


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
    from .compiling import format_files

    format_files(sources, check, diff)

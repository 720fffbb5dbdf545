"""`ship compile`, `ship check` and `ship fmt` over one file or many, as builds, CI and
editors run them: every file is done and reported, and the worst exit code wins (0 < 1
errors < 2 file problems < 3 internal errors); Ctrl-C stops the run.

What is written for a compile (the stamped Dockerfile, `--check`'s answer, the depfile)
is in `outputs.py` and `depfile.py`; the diagnostics' machine formats in `findings.py`.
No click here: cli.py registers the commands and calls these; entry.py calls
`compile_files` itself for a plain `ship compile`, without loading click (a usage error
is raised as `console.UsageError` before anything is read or written, for cli.py to say).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from . import console, depfile, outputs
from .files import FileProblem, read_existing, write_output


class Options:
    """The options of one `ship compile` run."""

    def __init__(
        self,
        *,
        force=False,
        check=False,
        annotate=False,
        werror=False,
        dockerignore=False,
        stdin_name=None,
    ):
        self.force, self.check, self.annotate = force, check, annotate
        self.werror, self.dockerignore, self.stdin_name = werror, dockerignore, stdin_name

    @property
    def output_options(self) -> tuple[str, ...]:
        """The options that change the output, as `entry.OUTPUT_OPTIONS` names them."""
        return ("annotate",) if self.annotate else ()


def compile_files(
    sources: tuple[str, ...], output: str | None, out_dir: str | None, dep: str | None, opts
) -> None:
    """Compile each source to its output; exit with the worst outcome."""
    targets = _targets(sources, output, out_dir, opts.stdin_name)
    if opts.check and any(target == "-" for _, target in targets):
        raise console.UsageError("--check compares with a file: give it with -o FILE or --out-dir")
    if dep is not None and any(target == "-" for _, target in targets):
        raise console.UsageError("--depfile names the output: give it with -o FILE or --out-dir")
    rules: list[tuple[str, list[str]]] = []
    worst = max(
        (_outcome(lambda s=s, t=t: _compile_one(s, t, opts, rules)) for s, t in targets),
        default=0,
    )
    if dep is not None and rules and not opts.check:
        worst = max(worst, _outcome(lambda: _write_depfile(dep, rules, opts.force)))
    sys.exit(worst)


def check_files(sources: tuple[str, ...], werror: bool, stdin_name: str | None, sink) -> None:
    """Check each source, writing nothing; exit with the worst outcome. `sink`, if given,
    receives the diagnostics instead of standard error (--format json, sarif)."""
    console.sink = sink

    def one(source: str) -> None:
        text, name = console.read_text(source, stdin_name)
        _warned(console.compile_text(text, name), name, werror)

    worst = max(_outcome(lambda s=s: one(s), s, sink) for s in sources)
    if sink is not None:
        console.sink = None
        console.print_text(sink.document())
    sys.exit(worst)


def _compile_one(source: str, target: str, opts: Options, rules: list) -> None:
    text, name = console.read_text(source, opts.stdin_name)
    compiled = console.compile_text(text, name, opts.annotate)
    _warned(compiled, name, opts.werror)
    if target == "-":
        console.print_text(compiled.dockerfile)
        return
    files = [(target, outputs.stamped(compiled, opts.output_options))]
    if opts.dockerignore:
        from .ignore import DOCKERIGNORE, dockerignore

        listed, warnings = dockerignore(compiled)
        console.report(tuple(warnings), text, name, compiled.sources)
        if opts.werror and warnings:
            console.fail(f"ship: warnings in {console.safe_name(name)} (--werror)")
        files.append(
            (
                target + ".dockerignore",
                outputs.stamped(compiled, DOCKERIGNORE, listed, len(warnings)),
            )
        )
    inputs = [n for n, _ in compiled.sources.inputs()]
    if not opts.check:
        for path, _ in files:
            _not_an_input(path, inputs, name)
    for path, written in files:
        _put(path, written, name, opts)
    rules.append((target, inputs))


def _not_an_input(path: str, inputs: list[str], name: str) -> None:
    """Nothing is ever lost: an output that is one of the files the compile read (the
    .ship file, an included file; by any name, a link too) is refused, --force or not."""
    for index, read in enumerate(inputs):
        if read == "<stdin>" or not _same_file(path, read):
            continue
        shown = console.safe_name(name)
        what = "the file being compiled" if index == 0 else f"a file {shown} includes"
        raise console.FileError(
            f"{console.safe_name(path)} is {what}: ship never writes over its inputs, not even"
            " with --force; give another output (-o FILE, --out-dir DIR, --depfile FILE)"
        )


def _same_file(path: str, other: str) -> bool:
    try:
        return os.path.samefile(path, other)
    except (OSError, ValueError):  # either is missing (a new output), or a name is not a path
        return False


def _put(path: str, written: bytes, name: str, opts: Options) -> None:
    """Write one output, or with --check say how it differs (exit 1)."""
    shown = console.safe_name(path)
    try:
        if opts.check:
            existing = read_existing(path, shown)
            if said := outputs.drift(existing, written, shown, console.safe_name(name)):
                console.fail("\n".join(said))
        else:
            write_output(path, shown, written, None if opts.force else outputs.refusal)
    except FileProblem as exc:
        raise console.FileError(str(exc)) from None


def _warned(compiled, name: str, werror: bool) -> None:
    """With --werror, a file with warnings fails as one with errors (exit 1)."""
    if werror and compiled.warnings:
        count = len(compiled.warnings)
        plural = "s" if count != 1 else ""
        console.fail(f"ship: {count} warning{plural} in {console.safe_name(name)} (--werror)")


def _write_depfile(path: str, rules: list[tuple[str, list[str]]], force: bool) -> None:
    for target, inputs in rules:
        _not_an_input(path, inputs, inputs[0])
        if _same_file(path, target):
            raise console.FileError(
                f"{console.safe_name(path)} is the Dockerfile this compile writes: give the"
                " depfile another name (--depfile FILE)"
            )
    try:
        data = depfile.rules(rules)
    except depfile.Unwritable as exc:
        raise console.FileError(f"cannot write {console.safe_name(path)}: {exc}") from None

    def refusal(existing: bytes) -> str | None:
        if existing.startswith(depfile.MARK):
            return None
        return "was not written by ship as a depfile; not overwriting it (use --force)"

    try:
        write_output(path, console.safe_name(path), data, None if force else refusal)
    except FileProblem as exc:
        raise console.FileError(str(exc)) from None


def _targets(
    sources: tuple[str, ...], output: str | None, out_dir: str | None, stdin_name: str | None
) -> list[tuple[str, str]]:
    """Each source with where its Dockerfile goes."""
    if output is not None and out_dir is not None:
        raise console.UsageError("give -o FILE or --out-dir DIR, not both")
    if sources.count("-") > 1:
        raise console.UsageError("standard input ('-') can be read once: give it once")
    given: dict[str, str] = {}
    for source in (s for s in sources if s != "-"):
        same = given.get(real := os.path.realpath(source))
        given[real] = source
        if same is not None:
            shown = console.safe_name
            also = "" if same == source else f" (as {shown(same)})"
            raise console.UsageError(f"{shown(source)} is given twice{also}: give it once")
    if out_dir is None:
        if len(sources) > 1:
            raise console.UsageError("several sources need --out-dir DIR (one Dockerfile each)")
        return [(sources[0], output or "-")]
    targets, seen = [], {}
    for source in sources:
        name = stdin_name if source == "-" else source
        if name is None:
            raise console.UsageError("with --out-dir, standard input needs --stdin-filename NAME")
        stem = os.path.basename(name)
        stem = stem[: -len(".ship")] if stem.endswith(".ship") else stem
        target = (
            os.path.join(out_dir, stem + ".Dockerfile") if out_dir != "." else stem + ".Dockerfile"
        )
        shown = name if source != "-" else f"standard input (--stdin-filename {name})"
        if target in seen:
            raise console.UsageError(_collision(seen[target], (shown, name), target))
        seen[target] = (shown, name)
        targets.append((source, target))
    return targets


def _collision(first: tuple[str, str], second: tuple[str, str], target: str) -> str:
    """Two sources of one name for one --out-dir (`api/app.ship`, `worker/app.ship`, the
    layout of a shared include): what to write instead, with the second's folder's name
    when that tells them apart (else a NAME to choose). Each is (as shown, its path)."""
    shown = console.safe_name
    said, path = second
    folder = os.path.dirname(os.path.abspath(path))
    own = os.path.join(os.path.dirname(target), os.path.basename(folder) + ".Dockerfile")
    if own == target or folder == os.path.dirname(os.path.abspath(first[1])):
        own = os.path.join(os.path.dirname(target), "NAME.Dockerfile")
    command = f"- --stdin-filename {shown(path)}" if said != path else shown(path)
    return (
        f"{shown(first[0])} and {shown(said)} would both write {shown(target)} (--out-dir"
        " names each output after its file); compile each with its own -o (ship compile"
        f" {command} -o {shown(own)}), or give each its own --out-dir"
    )


def format_files(sources: tuple[str, ...], check: bool, diff: bool) -> None:
    """Format each source (`ship fmt`); exit with the worst outcome: 1 for a file with
    syntax errors or, with `check`, one not formatted."""
    from .errors import ShipErrors
    from .fmt import format_source

    worst = 0
    for source in sources:
        text, name = console.read_text(source)
        shown = console.safe_name(name)
        try:
            formatted = format_source(text)
        except ShipErrors as exc:
            console.report(exc.diagnostics, text, name)
            errors = sum(d.is_error for d in exc.diagnostics)
            console.echo(f"ship: {errors} error{'s' if errors != 1 else ''} in {shown}", err=True)
            worst = 1
            continue
        if source == "-" and not (check or diff):
            console.print_text(formatted)
        elif formatted == text:
            continue
        elif diff:
            console.print_diff(text, formatted, shown)
        elif check:
            console.echo(f"ship: {shown} is not formatted (run 'ship fmt {shown}')", err=True)
            worst = 1
        else:
            try:
                write_output(
                    source, console.safe_name(source), formatted.encode("utf-8"), refuse=None
                )
            except FileProblem as exc:
                raise console.FileError(str(exc)) from None
            console.echo(f"ship: reformatted {shown}", err=True)
    sys.exit(worst)


def _outcome(work: Callable[[], None], source: str | None = None, sink=None) -> int:
    """Do one file's work; its exit code. The helpers in console.py end a file's work by
    exiting (1 errors, 3 internal error) or raising FileError (2), as for a single file;
    here that ends only this file's part of the run."""
    try:
        work()
    except console.FileError as exc:
        if sink is not None and source is not None:
            sink.problem(source, exc.format_message())
        exc.show()
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0

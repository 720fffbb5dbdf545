"""Checks on `$` in values: in every value Docker expands, each `$` is a reference or `$$`,
every name is defined where it is read, and the value an arg's default gives is still
valid. Which values those are is expanded_values.py's; the args' own checks are args.py's.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator

from . import expansion, model, presets
from .args import arg_defaults, blank_names, empty_args, empty_parts, incomplete
from .argv import COMMAND_OPTION, SHELLS
from .build_env import split_env
from .errors import Diagnostic, did_you_mean, error, warning
from .expanded_values import (
    Check,
    copied_images,
    dollar_problems,
    from_words,
    nested_references,
    part_span,
    stage_values,
)
from .expansion import Reference
from .places import leading_destinations, starts_with_reference
from .platforms import PREDEFINED
from .resolve import Setup, arg_values
from .values import Values

# Variables a stage may read without declaring them (see presets.IMAGE_ENV), and BuildKit's
# platform args, which ship declares in each stage that reads them.
BASE_IMAGE_ENV = presets.IMAGE_ENV | PREDEFINED


def undefined_variables(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """Every `$` of every value Docker expands: a reference to a name defined there, or `$$`."""
    args = {a.name.value: a for a in ship.args}
    known = arg_values(ship.args)
    stages = {s.name.value: s for s in ship.stages}
    env_names: dict[str, frozenset[str]] = {}
    arg_names = frozenset(args)
    global_names = arg_names | presets.ENV_NAMES | PREDEFINED  # defined in every stage
    images: dict[str, frozenset[str]] = {}
    # The args without a default (or an empty one): empty unless a --build-arg gives them.
    blank_args = empty_args(ship.args)
    yield from _app(ship.app)
    yield from arg_defaults(ship.args)
    for image in ship.images:  # a FROM line of its own: args only
        yield from _value(image.ref, arg_names, Values.image_ref, known)
        yield from incomplete(image.ref, blank_args)
    for stage in ship.stages:
        for text, check in (*from_words(stage.base), *copied_images(stage)):
            yield from _value(text, arg_names, check, known)
            yield from incomplete(text, blank_args)
        # Only a value with '$' reads a name: a stage without one (most) needs no names.
        values = [(text, check) for text, check in stage_values(stage) if "$" in text.value]
        reads = _step_reads(stage)
        if values or reads or any("$" in pair.value.value for pair in stage.env):
            env = _env_names(stage, stages, env_names)
            hidden = env & known.keys()  # ENV hides an ARG (copy `known` only then: it is long)
            visible = {k: v for k, v in known.items() if k not in hidden} if hidden else known
            base = stage.base
            parent = stages.get(base.stage.value) if isinstance(base, model.FromStage) else None
            inherited = _env_names(parent, stages, env_names) if parent else frozenset()
            # What is set before the stage's ENV: by the stages it is built from, by its image.
            image = _image_names(stage.name.value, setups, images)
            before = _Names(global_names, image, inherited, {t.value for t in stage.base_env})
            own = {p.key.value: p for p in stage.env}
            yield from _env_values(stage, before, visible, own)
            if reads:
                yield from _read_by_steps(stage, reads, before, visible, own)
            defined = _Names(global_names, image, env)
            with_env = _with_env(stage, visible)
            blank = blank_names(blank_args, stage, env) if blank_args else {}
            # An empty label is a label; a runtime's destination that starts with a
            # reference whose value is unknown is refused by paths.py.
            skipped = {id(p.value) for p in stage.labels} | leading_destinations(stage, setups)
            for text, check in values:
                if text is stage.workdir and stage.kind != "runtime":
                    why = _workdir_reads_env(own)
                    found = list(_value(text, before, check, visible, why))
                else:
                    found = list(_value(text, defined, check, with_env))
                yield from found
                if blank and not found and id(text) not in skipped:
                    separator = ":" if text is stage.user else "/"
                    yield from empty_parts(text, check, with_env, blank, separator)
        yield from _artifact_paths(stage, arg_names | PREDEFINED, blank_args)
        yield from _exec_forms(stage)


def _image_names(name: str, setups: dict[str, Setup], seen: dict[str, frozenset[str]]):
    """The variables a stage's image sets: its preset's (`$GOPATH` on golang, `$APP_UID` on
    the .NET images), through the stages it is built from; an `image` base sets only what
    every image has (`base-env` declares the rest). Without a setup (its base was refused),
    any preset's, so one error does not bring others."""
    if name not in seen:
        setup = setups.get(name)
        preset = setup and (setup.toolchain or setup.runtime)
        if setup is None:
            seen[name] = presets.IMAGE_ENV
        elif setup.from_stage:
            seen[name] = frozenset()  # guards a cycle; the parent's names replace it
            seen[name] = _image_names(setup.from_stage, setups, seen)
        else:
            seen[name] = presets.COMMON_ENV | frozenset(preset.image_env if preset else ())
    return seen[name]


Why = Callable[[str], "tuple[str, str] | None"]


def _with_env(stage: model.Stage, known: dict[str, str]) -> dict[str, str]:
    """The values known before the build once the stage's ENV is set: its env values in
    order, each expanded with what was set before it (unknown if it reads an unknown)."""
    if not stage.env:
        return known
    known = dict(known)
    for pair in stage.env:
        value = expansion.substitute(pair.value.value, known)
        if value is None:
            known.pop(pair.key.value, None)
        else:
            known[pair.key.value] = value
    return known


class _Names:
    """Names defined in a place: the union of a few sets, asked without copying them (a
    stage with many args, or an env of many pairs, would otherwise copy them per value)."""

    def __init__(self, *sets: set[str] | frozenset[str]):
        self.sets = sets

    def __contains__(self, name: object) -> bool:
        return any(name in s for s in self.sets)

    def __sub__(self, other: frozenset[str]) -> set[str]:
        return {name for s in self.sets for name in s} - other


def _env_values(
    stage: model.Stage, before: _Names, known: dict[str, str], own: dict[str, model.Pair]
) -> Iterator[Diagnostic]:
    """Docker expands an ENV value with what was set before that instruction, so an env
    value reads only the names set before it (in order, across this stage's env lines)."""
    seen: set[str] = set()
    defined = _Names(*before.sets, seen)  # grows with `seen`: no copy per pair
    for pair in stage.env:

        def why(name: str, key: str = pair.key.value) -> tuple[str, str] | None:
            if name not in own:
                return None
            where = "it is set" if name == key else f"'env' sets it (line {own[name].span.line})"
            return (
                f"'{name}' is read before {where}: an env value reads only what is set before it",
                f"set {name} in an earlier 'env' line, or use an arg",
            )

        yield from _value(pair.value, defined, None, known, why)
        seen.add(pair.key.value)


def _step_reads(stage: model.Stage) -> list[model.Run]:
    """The commands ship wrote that read names from a value of their directive
    (`binary … ldflags="-X main.version=${VERSION}"`), one per value."""
    runs = [s for s in stage.steps if isinstance(s, model.Run) and s.reads is not None]
    found = {id(r.reads): r for r in reversed(runs) if "$" in r.reads.value}
    return list(reversed(found.values()))


def _read_by_steps(
    stage: model.Stage,
    runs: list[model.Run],
    before: _Names,
    known: dict[str, str],
    own: dict[str, model.Pair],
) -> Iterator[Diagnostic]:
    """A value a written command reads (`ldflags="…${VERSION}"`) is the user's, not the
    shell's: it reads args and the env set before its line (an env line stands where it
    is written, build_env.py), as an env value does; a name set by a later env line is
    read before it is set."""
    opening, placed = split_env(stage)
    seen = {p.key.value for p in opening}
    defined = _Names(*before.sets, presets.RUN_TIME_ENV, seen)  # grows with `seen`
    for step in stage.steps:
        seen.update(p.key.value for p in placed.get(id(step), ()))
        if not any(step is run for run in runs):
            continue
        assert isinstance(step, model.Run) and step.reads is not None

        def why(name: str, line: int = step.span.line) -> tuple[str, str] | None:
            if name not in own:
                return None
            return (
                f"'{name}' is read before it is set: 'env' sets it on line"
                f" {own[name].span.line}, after this line",
                f"move that 'env' line above line {line}, or use an arg",
            )

        yield from _value(step.reads, defined, None, known, why)


def _workdir_reads_env(own: dict[str, model.Pair]) -> Why:
    """In a build or test stage the WORKDIR comes before the ENV (see lower.py), so its
    workdir cannot read the stage's own env."""

    def why(name: str) -> tuple[str, str] | None:
        if name not in own:
            return None
        return (
            f"the workdir cannot read '{name}': this stage's WORKDIR comes before its ENV",
            f"use an arg ('arg {name}=/PATH' at the top), or write the path out",
        )

    return why


def _artifact_paths(
    stage: model.Stage, args: set[str], blank: dict[str, str]
) -> Iterator[Diagnostic]:
    """An artifact's paths are read by `COPY --from` in each runtime, where only args are
    set. (A path that starts with a reference is paths.py's: it must know the value.)"""
    for text in (t for a in stage.artifacts for t in (a.source, a.dest) if t is not None):
        problems = list(dollar_problems(text))
        yield from problems
        parts, _ = expansion.split(text.value)
        if blank and not problems and not starts_with_reference(text.value):
            yield from empty_parts(text, None, {}, blank, "/")
        for ref in nested_references(parts) if not problems else ():
            if ref.name not in args and ref.offset > 0:
                yield error(
                    f"undefined variable '{ref.name}' in an artifact's path",
                    part_span(text, ref.offset, len(ref.raw)),
                    "the path is read by 'COPY --from' in each runtime, where this build's"
                    f" env is not set: use an arg ('arg {ref.name}=…' at the top)",
                )


def _app(app: model.Text) -> Iterator[Diagnostic]:
    if "$" in app.value:
        yield error(
            f"the app name '{app.value}' cannot hold '$': it is the image's title, written as is",
            app.span,
            "write the name itself, e.g. 'app shop'",
        )


def _value(
    text: model.Text,
    defined: set[str] | frozenset[str] | _Names,
    check: Check | None,
    known: dict[str, str],
    why: Why | None = None,
) -> Iterator[Diagnostic]:
    """A value's problems, its undefined names, and its check with the args' defaults."""
    if "$" not in text.value:  # most values: no reference, no problem, nothing to fill in
        return
    problems = list(dollar_problems(text))
    if problems:
        yield from problems
        return
    parts, _ = expansion.split(text.value)
    undefined = [r for r in nested_references(parts) if r.name not in defined]
    for ref in {r.name: r for r in reversed(undefined)}.values():
        suggestions = defined - BASE_IMAGE_ENV  # the user's own names, not the bases'
        message, hint = (why and why(ref.name)) or _run_time(ref) or (
            f"undefined variable '{ref.name}'{did_you_mean(ref.name, suggestions)}",
            f"this stage's image does not set it (others' do); if yours does, say so in "
            f"the block: 'base-env {ref.name}'"
            if ref.name in presets.IMAGE_ENV
            else f"declare it: 'arg {ref.name}=…' at the top",
        )
        yield error(message, part_span(text, ref.offset, len(ref.raw)), hint)
    if check is not None and not undefined:
        yield from _with_defaults(text, check, known)


def _run_time(ref: Reference) -> tuple[str, str] | None:
    """HOME and HOSTNAME: set in a running shell, not in the image Docker reads."""
    name = ref.name
    if name not in presets.RUN_TIME_ENV:
        return None
    # what Docker makes of the reference with the name unset: a default is what it gives
    gives = expansion.substitute(ref.raw, {n: None for n in expansion.references(ref.raw)})
    if gives:
        message = f"Docker would expand '{ref.raw}' to its default, '{gives}', here"
        fix = f"write '{gives}' out"
    else:
        message, fix = "Docker would expand it to nothing here", "write its value out"
    return (
        f"'{name}' is set when a command runs, not in the image: {message}",
        f"{fix}, or $${name} for the text '${name}'; if the base image's"
        f" config sets it, say so in the block: 'base-env {name}'",
    )


def _with_defaults(text: model.Text, check: Check, known: dict[str, str]) -> Iterator[Diagnostic]:
    """The value as the args' defaults make it, checked like a literal value: a reference
    passes the shape check, but `user ${U}` with `arg U=root` is still a user name."""
    names = list(dict.fromkeys(expansion.references(text.value)))
    if not names:
        return  # nothing to fill in
    value = expansion.substitute(text.value, known)
    shaped = Values()
    check(shaped, text)
    if value is None or any(d.is_error for d in shaped.diagnostics):
        return  # unknown, or already refused while reading the file
    probe = Values()
    check(probe, model.Text(value, text.span))
    given = ", ".join(f"{n}={known[n]!r}" for n in names)
    for found in probe.diagnostics:
        where = f"with {given}: "
        make = error if found.is_error else warning
        hint = found.hint or "change the default, or pass a value that fits with --build-arg"
        yield make(where + found.message, text.span, hint)


def _shell_reads_from(argv: tuple[model.Text, ...]) -> int | None:
    """The index from which a shell reads the words (its `-c` script and the script's
    arguments), when the program is a shell run with `-c`; else None."""
    if not argv or posixpath.basename(argv[0].value) not in SHELLS:
        return None
    for index, word in enumerate(argv[1:], start=1):
        if COMMAND_OPTION.fullmatch(word.value):
            return index + 1
        if not word.value.startswith("-"):
            return None
    return None


def _exec_forms(stage: model.Stage) -> Iterator[Diagnostic]:
    """A `$` in an exec-form word is passed on as is, unless a shell reads that word
    (`cmd sh -c "exec app --port $PORT"`, or `cmd` words after `entrypoint sh -c`)."""
    health = stage.healthcheck and stage.healthcheck.command
    entry = stage.entrypoint.argv if stage.entrypoint else ()
    shell_cmd = bool(entry) and _shell_reads_from(entry) == len(entry)
    for command in (stage.cmd, stage.entrypoint, health):
        argv = command.argv if command else ()
        start = 0 if (command is stage.cmd and shell_cmd) else _shell_reads_from(argv)
        for index, word in enumerate(argv):
            if start is not None and index >= start:
                continue
            if expansion.passes_dollar(word.value):
                yield warning(
                    f"'{word.value}' is not expanded: commands are written in exec form",
                    word.span,
                    "use 'sh -c \"…\"' if the base has a shell",
                )


def _set_names(stage: model.Stage) -> set[str]:
    """The names a stage sets: its env's, and those its base image sets (`base-env`)."""
    return {p.key.value for p in stage.env} | {t.value for t in stage.base_env}


def _env_names(
    stage: model.Stage, stages: dict[str, model.Stage], known: dict[str, frozenset[str]]
) -> frozenset[str]:
    """The env names set in a stage and in the stages it is built `from`. `known` keeps
    those of every stage met, so a long chain of `from` is walked once in all, not once
    per stage (which was quadratic)."""
    chain: list[model.Stage] = []
    seen: set[str] = set()
    while stage is not None and stage.name.value not in seen:
        if stages.get(stage.name.value) is stage and stage.name.value in known:
            break
        seen.add(stage.name.value)
        chain.append(stage)
        base = stage.base
        stage = stages.get(base.stage.value) if isinstance(base, model.FromStage) else None
    names = frozenset() if stage is None else known.get(stage.name.value)
    if names is None:  # back to a stage of this chain: each stage on the cycle sees them all
        start = [s.name.value for s in chain].index(stage.name.value)
        chain, cycle = chain[:start], chain[start:]
        names = frozenset(n for s in cycle for n in _set_names(s))
        known.update((s.name.value, names) for s in cycle if stages.get(s.name.value) is s)
    for link in reversed(chain):
        names = names | _set_names(link) if link.env or link.base_env else names
        if stages.get(link.name.value) is link:
            known[link.name.value] = names
    return names

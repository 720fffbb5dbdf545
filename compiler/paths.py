"""Checks on paths that ship joins or mounts: whether a path that starts with a reference
is absolute, whether a work directory may be the base of a cache mount, and whether a
writable folder or a volume is the root folder.

ship writes a runtime's relative `copy` destinations and the artifacts' paths out in full,
joined to a work directory, so it must know whether each path is absolute. A path that
starts with `${NAME}` is absolute or relative only once NAME is substituted: it is taken as
absolute when NAME's value is known and absolute (an arg's default, an `env` value), and
refused otherwise, rather than guessed.

A relative cache path (Rust's `target`, `cache .next/cache`) is mounted under the work
directory, and `--mount` options are never expanded by Docker and split at `,` and `=`: a
work directory that feeds one must be a plain mount path.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import model
from .errors import Diagnostic, error
from .expansion import Reference, split, substitute
from .places import absolute, placed_absolute
from .record import record
from .resolve import Setup, arg_values, workdir_of
from .values import MOUNT_PATH
from .variables import BASE_IMAGE_ENV


@record
class _Scope:
    """What a path may read where Docker expands it: the names with a value known before
    the build, every name defined there, and the args among them."""

    known: dict[str, str]
    defined: frozenset[str]
    args: frozenset[str]


def path_checks(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """Every path problem of the file."""
    stages = {s.name.value: s for s in ship.stages}
    defaults = arg_values(ship.args)
    arg_names = frozenset(a.name.value for a in ship.args)
    # An artifact's paths are read by each runtime's COPY --from: only the args are shared.
    shared = _Scope(defaults, BASE_IMAGE_ENV | arg_names, arg_names)
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        if setup is None:
            continue
        texts = []  # a workdir's value is checked as a path in variables.py
        if placed_absolute(stage, setup):
            dests = (s.dest for s in stage.steps if isinstance(s, model.Copy) and s.dest)
            texts.extend(("a destination", dest) for dest in dests)
        if texts:  # the scope walks the chain of `from`: only where a path needs it
            scope = _scope(stage, stages, setup, defaults, arg_names)
            for what, text in texts:
                yield from _leading(what, text, scope)
        for artifact in stage.artifacts:
            for text in (artifact.source, artifact.dest):
                if text is not None:
                    yield from _leading("an artifact's path", text, shared, in_runtimes=True)
    yield from _mount_bases(ship, stages, setups)
    yield from _root_folders(ship, setups)


def _root_folders(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """A writable folder or a volume that is the root folder: a WORKDIR made as the user
    changes the owner of a folder it creates, never of `/`, so nothing would be writable."""
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        if setup is None:
            continue
        workdir = workdir_of(stage, setup)
        for what, text in [
            *(("writable", t) for t in stage.writable),
            *(("volume", t) for t in stage.volumes),
        ]:
            if "$" in text.value or absolute(text.value, workdir).rstrip("/"):
                continue
            here = "" if text.value.startswith("/") else f" (from the work directory {workdir})"
            yield error(
                f"'{what} {text.value}' is the root folder{here}: the app cannot be given the"
                " whole file system"
                + (" to write" if what == "writable" else " as a volume"),
                text.span,
                f"name the folder the app writes ('{what} /var/lib/{ship.app.value}')",
            )


def _scope(stage, stages, setup: Setup, defaults: dict[str, str], arg_names) -> _Scope:
    """The args' defaults, then the preset's env, the env of the stages the stage is built
    from and its own (an ENV hides an ARG)."""
    chain = [stage]
    while isinstance(chain[-1].base, model.FromStage) and len(chain) <= len(stages):
        parent = stages.get(chain[-1].base.stage.value)
        if parent is None:
            break
        chain.append(parent)
    pairs = list(setup.toolchain.env if setup.toolchain else ())
    pairs += setup.manager.env if setup.manager else ()
    pairs += [(p.key.value, p.value.value) for s in reversed(chain) for p in s.env]
    known = dict(defaults)
    for key, value in pairs:
        found = substitute(value, known)
        if found is None:
            known.pop(key, None)
        else:
            known[key] = found
    defined = BASE_IMAGE_ENV | arg_names | {key for key, _ in pairs}
    return _Scope(known, frozenset(defined), arg_names)


def _first_reference(path: str) -> Reference | None:
    parts, _ = split(path)
    return parts[0] if parts and isinstance(parts[0], Reference) else None


def _leading(
    what: str, text: model.Text, scope: _Scope, in_runtimes: bool = False
) -> Iterator[Diagnostic]:
    """A path that starts with a reference must be known to be absolute. An undefined name
    is reported by variables.py."""
    first = _first_reference(text.value)
    if first is None or first.name not in scope.defined:
        return
    value = substitute(first.raw, scope.known)
    if value is not None and value.startswith("/"):
        return
    if value is None:
        why = "whose value is not known before the build"
        if in_runtimes:
            why += " (the path is read in each runtime, where only args are shared)"
        why += ": ship cannot tell whether the path is absolute"
    else:
        why = f"whose value '{value}' is relative: ship takes such a path as absolute only"
        why += " when that value is"
    if first.name in scope.args:
        hint = f"give {first.name} an absolute default ('arg {first.name}=/PATH')"
    else:
        hint = "start the path with an arg that has an absolute default ('arg DIR=/PATH')"
    hint += ", or write the path out in full"
    yield error(f"{what} '{text.value}' starts with {first.raw}, {why}", text.span, hint)


def _mount_bases(ship, stages, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """A work directory under which a relative cache is mounted is part of a --mount
    option: literal (Docker does not expand it there) and free of option separators."""
    reported: set[int] = set()
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        if setup is None:
            continue
        relative = [p for p in _cache_paths(stage, setup) if not p.startswith("/")]
        workdir = _workdir_text(stage, stages) if relative else None
        if workdir is None or id(workdir) in reported:
            continue
        reported.add(id(workdir))
        mounted = f"cache mount '{relative[0]}' lies under it"
        if "$" in workdir.value:
            yield error(
                f"this work directory holds a reference, and the {mounted}: Docker does not"
                " expand variables in --mount options",
                workdir.span,
                f"write the work directory out in full, as in 'workdir {setup.workdir}'",
            )
        elif not MOUNT_PATH.fullmatch(workdir.value):
            yield error(
                f"this work directory is part of a --mount option (the {mounted}), so it may"
                " hold only ASCII letters, digits and . _ / @ + ~ % : -",
                workdir.span,
                "Docker reads --mount options byte by byte: a blank, comma, '=', quote,"
                " backslash or non-ASCII letter would end the path or add an option",
            )


def _cache_paths(stage: model.Stage, setup: Setup) -> list[str]:
    paths = list(setup.manager.caches if setup.manager else ())
    paths += setup.toolchain.caches if setup.toolchain else ()
    return paths + [c.path.value for c in stage.caches]


def _workdir_text(stage: model.Stage, stages: dict[str, model.Stage]) -> model.Text | None:
    """The `workdir` that sets a stage's work directory: its own or that of a stage it is
    built from; None when it is the preset's."""
    seen: set[str] = set()
    while stage.workdir is None and isinstance(stage.base, model.FromStage):
        if stage.name.value in seen or stage.base.stage.value not in stages:
            return None
        seen.add(stage.name.value)
        stage = stages[stage.base.stage.value]
    return stage.workdir

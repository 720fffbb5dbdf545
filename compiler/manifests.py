"""A build's dependency layer: which `file` lines it writes before the install (the ones
written before the block's first step and its `install` line: a `.npmrc`, a `pip.conf`
the install reads), and its checks: a `deps` line that leaves out a manifest the preset's
install command reads (`deps requirements/prod.txt` with `pip install -r
requirements.txt`), which would fail the build at that command instead of here; a `file`
written before the `install` line but after a step, which cannot be both."""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Collection, Iterator

from . import model
from .errors import Diagnostic, error
from .places import absolute, starts_with_reference, within
from .resolve import Setup, workdir_of

_GLOB = frozenset("*?[")


def installs(stage: model.Stage, setup: Setup) -> bool:
    """Whether the stage has an install step in a dependency layer of its own: its
    `install` line, or its preset manager's install with manifests to read (none with
    `deps none`, or with `copy none` and no `deps`)."""
    if stage.kind != model.BUILD or setup.from_stage is not None:
        return False
    if stage.install is not None:
        return True
    manager = setup.manager
    if manager is None or not manager.install:
        return False
    if stage.deps is not None:
        return bool(stage.deps)
    return bool(manager.manifests) and not reads_no_context(stage)


def reads_no_context(stage: model.Stage) -> bool:
    """`copy none`: nothing of the context, so none of the preset's manifests either."""
    steps = stage.steps
    return any(isinstance(s, model.Copy) and not s.sources and s.origin is None for s in steps)


def install_files(
    stage: model.Stage, setup: Setup, images: Collection[str] = ()
) -> tuple[model.Copy, ...]:
    """The stage's `file` lines written before its first step (a `run`, a copy from the
    context or from a stage; a copy from an image, or from an `images` name, is a tool
    written before the dependency layer anyway) and before its `install` line: the
    dependency layer writes them before the install, which reads them. None when the
    stage has no install."""
    if not installs(stage, setup):
        return ()
    files = []
    for step in stage.steps:
        if before_install(stage, step) and _is_file(step):
            files.append(step)
        elif not (is_tool(step, images) or _is_file(step) or _is_none(step) or is_env(step)):
            break
    return tuple(files)


def written_again(
    stage: model.Stage, setup: Setup, files: tuple[model.Copy, ...]
) -> tuple[model.Copy, ...]:
    """Of the files written before the install, those written again after the whole
    context (`COPY . .`, when no line copies from the context): the context may hold a
    file at the same place, which would replace the one declared. Those are the ones in the
    work directory, and the ones whose path starts with a reference (ship cannot tell)."""
    if any(isinstance(s, model.Copy) and s.origin is None for s in stage.steps):
        return ()
    workdir = workdir_of(stage, setup)
    places = ((f, f.dest.value) for f in files if f.dest is not None)
    return tuple(
        f
        for f, dest in places
        if starts_with_reference(dest) or within(absolute(dest, workdir), workdir)
    )


def declared_manifests(
    stage: model.Stage, setup: Setup, files: tuple[model.Copy, ...]
) -> frozenset[str]:
    """The preset's manifests (as its list writes them) that one of the `files` written
    before the install writes at their place (`file requirements.txt "flask==3.0"`): left
    out of the manifests' COPY, which would replace the declared file with the context's
    (or fail without one), so the install reads the file the block declares."""
    if stage.deps is not None or setup.manager is None:
        return frozenset()
    workdir = workdir_of(stage, setup)
    written = {absolute(f.dest.value, workdir) for f in files if f.dest is not None}
    return frozenset(
        m
        for m in setup.manager.manifests
        if _one_file(m) and absolute(m.rstrip("?"), workdir) in written
    )


def _one_file(manifest: str) -> bool:
    """A manifest that names one file (not a folder, a glob)."""
    name = manifest.rstrip("?")
    return not name.endswith("/") and not (_GLOB & set(name))


def _replacing(stage: model.Stage, setup: Setup, path: str) -> str | None:
    """The manifest (a `deps` path, or the preset's folder or glob) whose COPY, made after
    the files written before the install, lands on the file at `path`, or None."""
    workdir = workdir_of(stage, setup)
    if stage.deps is not None:
        written = [d.value for d in stage.deps]
    elif setup.manager is not None and not reads_no_context(stage):
        written = [m for m in setup.manager.manifests if not _one_file(m)]
    else:
        return None
    for manifest in written:
        name = manifest.rstrip("?")
        if name.startswith("/") or "$" in name:
            continue  # refused elsewhere, or only its value says
        place = absolute(name, workdir)
        if place == workdir:
            return manifest  # the whole context
        if _GLOB & set(name):
            same = posixpath.dirname(place) == posixpath.dirname(path)
            if same and fnmatch.fnmatchcase(posixpath.basename(path), posixpath.basename(place)):
                return manifest
        elif within(path, place):
            return manifest
    return None


def before_install(stage: model.Stage, step: model.Step) -> bool:
    install = stage.install
    return install is None or position(step.span) < position(install.span)


def position(span) -> tuple[int, int]:
    return span.line, span.column


def _is_file(step: model.Step) -> bool:
    return isinstance(step, model.Copy) and isinstance(step.origin, model.Inline)


def is_env(step: model.Step) -> bool:
    return isinstance(step, model.Mark) and step.kind == "env"


def _is_none(step: model.Step) -> bool:
    return isinstance(step, model.Copy) and not step.sources and step.origin is None


def is_tool(step: model.Step, images: Collection[str]) -> bool:
    if not isinstance(step, model.Copy):
        return False
    origin = step.origin
    named = isinstance(origin, model.FromStage) and origin.stage.value in images
    return isinstance(origin, model.Image) or named


def manifest_checks(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """Each build whose `deps` leaves out a manifest its preset install reads, when the
    block does not write its own `install`; each `file` written before the `install` line
    but after a step."""
    images = named_image_names(ship)
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        if setup is not None:
            yield from _late_files(stage, setup, images)
            yield from _replaced_files(stage, setup, images)
        manager = setup.manager if setup is not None else None
        if stage.deps is None or not stage.deps or stage.install is not None or manager is None:
            continue  # the preset's list, 'deps none' (no install), or the block's install
        if not manager.install or any(_covers_all(d.value) for d in stage.deps):
            continue
        given = {d.value.removeprefix("./").rstrip("/") for d in stage.deps}
        # The manifests the install cannot do without (not `?`), each a name (a glob such as
        # .NET's `*.csproj` may be matched by a file in a folder: not judged here).
        needed = [
            m.rstrip("/") for m in manager.manifests if not m.endswith("?") and not _covers_all(m)
        ]
        missing = [m for m in needed if m not in given]
        if missing:
            names = " ".join(missing)
            yield error(
                f"'deps' leaves out {names}, which the preset's install step"
                f" ('{manager.install}') reads",
                stage.deps[0].span.to(stage.deps[-1].span),
                f"add {names} to 'deps', or write the install step that reads yours:"
                " 'install …'",
            )


def _covers_all(path: str) -> bool:
    """A `deps` path that may bring any manifest (the whole context, a glob, a reference),
    or one already refused (outside the context): then nothing more is said."""
    outside = path.startswith("/") or ".." in path.split("/")
    return path in (".", "./") or outside or any(c in _GLOB or c == "$" for c in path)


def named_image_names(ship: model.Ship) -> frozenset[str]:
    """The names of `image NAME: REF` lines: `copy from NAME` copies from that image."""
    return frozenset(i.name.value for i in ship.images)


def _late_files(stage: model.Stage, setup: Setup, images) -> Iterator[Diagnostic]:
    """A `file` written before the `install` line but after a step: the install runs
    before every step, so the file cannot come before the one and after the other."""
    if stage.install is None or not installs(stage, setup):
        return
    early = {id(f) for f in install_files(stage, setup, images)}
    first = None  # the first step, after which a file is a step
    for step in stage.steps:
        if not before_install(stage, step):
            return
        if _is_file(step) and id(step) not in early and first is not None:
            path = step.dest.value if step.dest is not None else ""
            yield error(
                f"'file {path}' is written before the 'install' line but after a step (line"
                f" {first.span.line}): the install runs before every step of the build, so"
                " the file cannot come after the one and before the other",
                step.span,
                f"move it above line {first.span.line} for the install to read it, or below"
                " the 'install' line",
            )
        elif first is None and not (_is_file(step) or is_tool(step, images) or is_env(step)):
            first = None if _is_none(step) else step


def _replaced_files(stage: model.Stage, setup: Setup, images) -> Iterator[Diagnostic]:
    """A `file` written before the install at a place a manifest's COPY then writes (a
    `deps` path, the preset's folder or glob): the install would read the context's."""
    workdir = workdir_of(stage, setup)
    for file in install_files(stage, setup, images):
        if file.dest is None or starts_with_reference(file.dest.value):
            continue
        manifest = _replacing(stage, setup, absolute(file.dest.value, workdir))
        if manifest is None:
            continue
        declared = stage.deps is not None
        copied = f"'deps {manifest}'" if declared else f"the preset's manifest '{manifest}'"
        yield error(
            f"'file {file.dest.value}' is written before the install, and {copied} is then"
            " copied from the context onto it: the install would read the context's file,"
            " not the declared one",
            file.dest.span,
            (
                f"leave {manifest} out of 'deps'"
                if declared
                else f"name the manifests with 'deps' (without {manifest})"
            )
            + ": the file is written before the install, which reads it",
        )

"""Two things that land on one path in a stage: the second replaces the first, silently
(the last COPY wins), or fails the build. A forgotten `->` makes one such pair
(`artifact /out/a /usr/local/bin/a` is two artifacts, both landing at /usr/local/bin/a).

What lands where: a runtime's artifacts (where `ships` stands, first without one), each
copy's sources and each `file`, in the order of the stage's steps; a `run` between two
of them may read the first, so it starts afresh. ship cannot see whether a path is a file
or a folder: a source written as a folder (`dist/`, `.`) or a glob, whose contents are
merged into the destination, lands nowhere in particular and is left out.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from . import model
from .artifacts import shipped, shipped_again
from .errors import Diagnostic, Span, error
from .places import absolute, artifact_dest, in_place
from .record import record
from .resolve import Setup, workdir_of

_GLOB = frozenset("*?[")


@record
class _Landed:
    """A path something lands on: what (as written), the span to point at, its line."""

    path: str
    what: str
    span: Span
    directive: str
    arrow: bool
    build: str | None = None  # an artifact's build


def landing_checks(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    builds = [s for s in ship.stages if s.kind == model.BUILD]
    said: set[tuple[int, int, str | None]] = set()  # a pair two runtimes receive: said once
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        if setup is None:
            continue
        for diagnostic in _stage(stage, setup, builds, setups):
            key = (diagnostic.span.line, diagnostic.span.column, diagnostic.span.file)
            if key not in said:
                said.add(key)
                yield diagnostic


def _stage(
    stage: model.Stage, setup: Setup, builds: list[model.Stage], setups: dict[str, Setup]
) -> Iterator[Diagnostic]:
    workdir = workdir_of(stage, setup)
    artifacts: list[_Landed] = []
    if stage.kind == model.RUNTIME and setup.from_stage is None:
        for build, chosen, whole in shipped(stage, builds):
            if build.name.value not in setups:
                continue
            build_setup = setups[build.name.value]
            if whole:
                artifacts.extend(_manager_folders(build, build_setup, chosen))
            for artifact in chosen:
                dest = artifact_dest(build, build_setup, artifact, workdir)
                artifacts.extend(_artifact(artifact, dest, build.name.value))
    marked = any(isinstance(s, model.Mark) and s.kind == "ships" for s in stage.steps)
    landed: dict[str, _Landed] = {}
    groups: list[list[_Landed] | None] = [] if marked else [artifacts]
    for step in stage.steps:
        if isinstance(step, model.Run):
            groups.append(None)  # a run may read what landed before it
        elif isinstance(step, model.Copy):
            groups.append(list(_copy(step, workdir)))
        elif isinstance(step, model.Mark) and step.kind == "ships":
            groups.append(artifacts)
            artifacts = []
    for group in groups:
        if group is None:
            landed = {}
            continue
        for second in group:
            first = landed.setdefault(second.path, second)
            if first is not second:
                yield _doubled(first, second, stage)


def _manager_folders(
    build: model.Stage, setup: Setup, chosen: tuple[model.Artifact, ...]
) -> Iterator[_Landed]:
    """The folders the build's manager ships to a runtime that takes the whole build (a
    venv, Bundler's bundle), each at its own path, pointed at by the build's toolchain:
    two builds' would merge into one folder, the second's files over the first's. One that
    an artifact of the build ships at the same place is shipped once (`shipped_again`)."""
    if setup.manager is None or setup.from_stage is not None:
        return
    assert isinstance(build.base, model.Preset)
    for path in setup.manager.artifacts:
        if not shipped_again(build, setup, chosen, path):
            yield _Landed(path, path, build.base.span, "folder", False, build.name.value)


def _artifact(artifact: model.Artifact, dest: str, build: str) -> Iterator[_Landed]:
    source = artifact.source.value
    if _merged(source):
        return
    if dest.endswith("/"):
        dest = posixpath.join(dest, posixpath.basename(source))
    arrow = artifact.dest is not None
    directive = "binary" if artifact.program is not None else "artifact"
    what = f"binary {artifact.program}" if artifact.program is not None else source
    yield _Landed(dest, what, artifact.source.span, directive, arrow, build)


def _copy(copy: model.Copy, workdir: str) -> Iterator[_Landed]:
    arrow = copy.dest is not None
    if isinstance(copy.origin, model.Inline):
        assert copy.dest is not None
        path = absolute(copy.dest.value, workdir)
        yield _Landed(path, f"file {copy.dest.value}", copy.dest.span, "file", True)
        return
    for source in copy.sources:
        value = source.value
        if _merged(value):
            continue
        if copy.dest is None:
            place = value if copy.origin is not None and value.startswith("/") else in_place(value)
        elif copy.dest.value.endswith("/") or len(copy.sources) > 1:
            place = posixpath.join(copy.dest.value, posixpath.basename(value))
        else:
            place = copy.dest.value
        yield _Landed(absolute(place, workdir), value, source.span, "copy", arrow)


def _merged(source: str) -> bool:
    """A source whose contents are merged into the destination, or several files."""
    name = posixpath.basename(source)
    return source.endswith("/") or name in ("", ".", "..") or bool(_GLOB & set(source))


def _doubled(first: _Landed, second: _Landed, stage: model.Stage) -> Diagnostic:
    if "folder" in (first.directive, second.directive):
        return _merged_folders(first, second, stage)
    where = first.span.where(second.span)
    builds = bool(first.build and second.build and first.build != second.build)
    what = [f"'{x.what}'" + (f" of build '{x.build}'" if builds and x.build else "")
            for x in (first, second)]
    into = f" in {stage.kind} '{stage.name.value}'" if second.build else ""
    message = (
        f"{what[1]} lands at {second.path}{into}, where {what[0]} ({where}) landed:"
        " the second would replace the first"
    )
    same_line = first.span.line == second.span.line and first.span.file == second.span.file
    ships = f"let each runtime receive one of the builds ('ships {second.build}')"
    if same_line and not second.arrow and second.what == second.path:
        hint = f"is '->' missing? '{second.directive} {first.what} -> {second.what}'"
    elif "binary" in (first.directive, second.directive):  # its program has no `->`
        other = "write the file at a path of its own" if "file" in (
            first.directive, second.directive
        ) else "give the other a destination of its own"
        hint = ships if builds else other
    else:
        hint = "give each a destination of its own"
        if second.directive != "file":
            folder = posixpath.dirname(second.path)
            hint += f" ('{second.directive} {second.what} -> {folder.rstrip('/')}/NAME')"
        if builds:
            hint += f", or {ships}"
        if first.arrow and second.arrow and "file" not in (first.directive, second.directive):
            hint += (
                "; if both are folders whose contents go into one, end both with '/'"
                " ('SOURCE/ -> DEST/')"
            )
    return error(message, second.span, hint)


def _merged_folders(first: _Landed, second: _Landed, stage: model.Stage) -> Diagnostic:
    """A folder a build's manager ships (a venv) where another build's lands: COPY merges
    the second into the first, its files over the first's of the same name, silently."""

    def described(x: _Landed) -> str:
        if x.directive == "folder":
            return f"the manager's {x.path} of build '{x.build}'"
        return f"'{x.what}' of build '{x.build}'"

    message = (
        f"{described(second)} lands at {second.path} in {stage.kind} '{stage.name.value}',"
        f" where {described(first)} ({first.span.where(second.span)}) landed: the second"
        " would be merged into the first, its files over the first's"
    )
    artifact = second if second.directive != "folder" else first
    own = f"give '{artifact.what}' a destination of its own"
    hint = f"let each runtime receive one of the builds ('ships {second.build}')"
    if first.build == second.build:
        hint = own
    elif artifact.directive != "folder":
        hint = f"{own}, or {hint}"
    return error(message, second.span, hint)

"""`copies linked`: a stage whose every `COPY` is `COPY --link`.

A linked copy is made on an empty file system and laid over the stage as a layer of its
own, which BuildKit can reuse when what comes before it changes. What it cannot do is look
at the stage. On a builder that keeps its layer apart (BuildKit in a container, the
containerd image store; Docker's own store applies it through the base), a destination
through a folder that is a symbolic link in the base (`/bin` on an image with a merged
/usr, where it points to `/usr/bin`) becomes a real folder holding only the copied files,
and the link, with all it gave, is gone. ship cannot see a base's links, but it knows the
folders that are links on the usual images, and refuses a linked copy through one (except
on `scratch`, which has none): the real folder works the same with or without link.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from . import ir, model
from .artifacts import shipped
from .errors import Diagnostic, Span, error
from .places import absolute, artifact_dest, starts_with_reference, within
from .record import replace
from .resolve import Setup, workdir_of

# Folders that are symbolic links on Debian and Ubuntu (merged /usr) and, for /var/run and
# /var/lock, on most distributions (Alpine too): each with the folder it points to.
LINKED_FOLDERS = {
    "/bin": "/usr/bin",
    "/sbin": "/usr/sbin",
    "/lib": "/usr/lib",
    "/lib32": "/usr/lib32",
    "/lib64": "/usr/lib64",
    "/libx32": "/usr/libx32",
    "/var/run": "/run",
    "/var/lock": "/run/lock",
}


def link_checks(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """A linked copy whose destination goes through a folder that is a link on the base."""
    builds = [s for s in ship.stages if s.kind == model.BUILD]
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        if stage.link is None or setup is None or setup.base == "scratch":
            continue
        for path, written, span in _destinations(stage, setup, builds, setups):
            folder = next((f for f in LINKED_FOLDERS if within(path, f)), None)
            if folder is None:
                continue
            real = LINKED_FOLDERS[folder] + path[len(folder) :]
            real += "/" if written.endswith("/") and not real.endswith("/") else ""
            yield error(
                f"a linked copy to '{written}' goes through {folder}, a link to"
                f" {LINKED_FOLDERS[folder]} on most images: it would replace that link with a"
                " folder holding only what it copies",
                span,
                f"copy to the real folder ('{real}'), or drop 'copies linked'",
            )


def _destinations(stage, setup, builds, setups) -> Iterator[tuple[str, str, Span]]:
    """The destinations ship can know of the stage's copies: each absolute, as written (or
    as ship places it), and the span of the words that place it."""
    workdir = workdir_of(stage, setup)
    if starts_with_reference(workdir):
        return
    if stage.workdir is not None:
        yield workdir, workdir, stage.workdir.span
    for step in stage.steps:
        if isinstance(step, model.Copy) and step.dest is not None:
            yield _known(step.dest.value, workdir), step.dest.value, step.dest.span
        elif isinstance(step, model.Copy) and step.origin is not None:
            for source in step.sources:
                yield _known(source.value, workdir), source.value, source.span
    if stage.kind == model.RUNTIME:
        for build, artifacts, _ in shipped(stage, builds):
            for artifact in artifacts if build.name.value in setups else ():
                dest = artifact_dest(build, setups[build.name.value], artifact, workdir)
                yield _known(dest, workdir), dest, (artifact.dest or artifact.source).span


def _known(path: str, workdir: str) -> str:
    return "" if starts_with_reference(path) else posixpath.normpath(absolute(path, workdir))


def linked(stage: ir.Stage) -> ir.Stage:
    """The stage with every COPY made `COPY --link`."""
    return replace(
        stage,
        instructions=tuple(
            replace(i, link=True) if isinstance(i, ir.Copy) else i
            for i in stage.instructions
        ),
    )

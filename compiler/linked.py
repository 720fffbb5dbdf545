"""`copies linked`: a stage whose every `COPY` is `COPY --link`.

A linked copy is made on an empty file system and laid over the stage as a layer of its
own, which BuildKit can reuse when what comes before it changes. What it cannot do is look
at the stage. On a builder that keeps its layer apart (BuildKit in a container, Docker's
containerd image store; Docker's classic store applies it through the stage), every folder
on the way to its destination is the copy's own, root's with mode 0755:

- a folder that is a symbolic link in the base (`/bin` on an image with a merged /usr,
  where it points to `/usr/bin`) becomes a real folder holding only the copied files, and
  the link, with all it gave, is gone;
- a folder with other owners or modes in the base loses them: `/tmp` is no longer
  writable by all, `/root` no longer root's alone, a user's home no longer the user's.

ship cannot see a base's folders, but it knows the ones that are links or have such modes
on the usual images, and refuses a linked copy through one (except on `scratch`, which has
none): the real folder works the same with or without link. The folders ship makes itself
(the work directory, root's; the writable ones, whose copies are the user's) come out as
they were: a copy into a writable folder is made `--chown`, and a linked copy so made
makes every folder on its way the user's, so it stays a plain COPY.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from . import ir, model
from .artifacts import shipped
from .errors import Diagnostic, Span, error, warning
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


# Folders whose owner or mode a linked copy would replace with root's 0755.
KEPT_FOLDERS = {
    "/tmp": "writable by all (mode 1777)",
    "/var/tmp": "writable by all (mode 1777)",
    "/root": "root's alone (mode 0700)",
}


def link_checks(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """A linked copy whose destination goes through a folder that is a link on the base,
    or one whose owner or mode it would replace."""
    builds = [s for s in ship.stages if s.kind == model.BUILD]
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        if stage.link is None or setup is None or setup.base == "scratch":
            continue
        workdir = workdir_of(stage, setup)
        writable = [absolute(t.value, workdir) for t in (*stage.writable, *stage.volumes)]
        for path, written, span in _destinations(stage, setup, builds, setups):
            if any(within(path, folder) for folder in writable):
                continue  # a plain COPY (see `linked`)
            kept = _kept_folder(path)
            if kept is not None:
                yield error(
                    f"a linked copy to '{written}' would leave {kept[0]} root's with mode 0755"
                    f" on builders that lay it apart (Docker's containerd image store): in the"
                    f" base it is {kept[1]}",
                    span,
                    "copy it to another folder, or drop 'copies linked'",
                )
                continue
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


def _kept_folder(path: str) -> tuple[str, str] | None:
    """The folder of KEPT_FOLDERS, or the user's home under /home, a copy to `path` goes
    through (or into), and what it is in the base."""
    folder = next((f for f in KEPT_FOLDERS if within(path, f)), None)
    if folder is not None:
        return folder, KEPT_FOLDERS[folder]
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "home" and parts[2]:
        return f"/home/{parts[2]}", "its user's"
    return None


def _destinations(stage, setup, builds, setups) -> Iterator[tuple[str, str, Span]]:
    """The destinations ship can know of the stage's copies: each absolute, as written (or
    as ship places it), and the span of the words that place it."""
    workdir = workdir_of(stage, setup)
    if starts_with_reference(workdir):
        return
    for step in stage.steps:
        if isinstance(step, model.Copy) and step.dest is not None:
            yield _known(step.dest.value, workdir), step.dest.value, step.dest.span
        elif isinstance(step, model.Copy):  # each source to its own place
            for source in step.sources:
                place = _known(source.value, workdir)
                yield place, place, source.span
    if stage.kind == model.RUNTIME:
        for build, artifacts, _ in shipped(stage, builds):
            for artifact in artifacts if build.name.value in setups else ():
                dest = artifact_dest(build, setups[build.name.value], artifact, workdir)
                yield _known(dest, workdir), dest, (artifact.dest or artifact.source).span


def _known(path: str, workdir: str) -> str:
    return "" if starts_with_reference(path) else posixpath.normpath(absolute(path, workdir))


def linked(stage: ir.Stage) -> ir.Stage:
    """The stage with every COPY made `COPY --link`, except a copy made `--chown` (into a
    writable folder or a volume): BuildKit makes every folder on the way to a linked copy's
    destination with that copy's owner, so `/app` itself would become the user's (the app
    could then replace its own code). Such a copy stays a plain COPY, into the folder the
    WORKDIR before it made, whose parents stay as they were."""
    return replace(
        stage,
        instructions=tuple(
            replace(i, link=True) if isinstance(i, ir.Copy) and i.chown is None else i
            for i in stage.instructions
        ),
    )


def unlinked(ship: model.Ship, dockerfile: ir.Dockerfile) -> list[Diagnostic]:
    """A `copies linked` that links nothing, as the output shows it: the stage has no COPY,
    or each lands in a writable folder or a volume (made --chown, so kept plain). The
    output is still what the file says, so a warning. A stage written out from a runtime
    takes that runtime's line: the line links nothing if none of them links anything."""
    lowered = {s.name: s for s in dockerfile.stages}
    lines: dict[Span, tuple[model.Stage, list[ir.Copy]]] = {}  # each line: its first stage
    linking: set[Span] = set()
    for stage in ship.stages:  # in the order written: a line is said of its own stage
        if stage.link is None or stage.name.value not in lowered:
            continue
        instructions = lowered[stage.name.value].instructions
        copies = [i for i in instructions if isinstance(i, ir.Copy)]
        lines.setdefault(stage.link.span, (stage, copies))
        if any(c.link for c in copies):
            linking.add(stage.link.span)
    return [_unlinked(span, *lines[span]) for span in lines if span not in linking]


def _unlinked(span: Span, stage: model.Stage, copies: list[ir.Copy]) -> Diagnostic:
    what = f"{stage.kind} '{stage.name.value}'"
    why = (
        f"{what} has no COPY"
        if not copies
        else f"every COPY of {what} lands in a writable folder or a volume, made --chown,"
        " which stays a plain COPY (linked, it would make the folders on its way the user's)"
    )
    hint = "drop the line: it changes nothing here"
    hint += " (a copy outside those folders would be linked)" if copies else ""
    return warning(f"'copies linked' links nothing: {why}", span, hint)

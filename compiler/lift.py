"""Artifacts a build leaves in a cache mount, copied out of it.

A cache mount does not outlive its `RUN`, so an artifact in one (Cargo's `target/`, a
CMake build folder) is copied at the end of the stage's last `RUN` to `/out` followed by
its own path, and shipped from there: `/src/target/release/app` from
`/out/src/target/release/app`. Two artifacts never share a place (`target/release/app` and
`target/debug/app` do not overwrite each other), and a glob's matches are copied into a
folder that holds only artifacts of the folder they came from, so the runtime's COPY of
the same glob there matches what the build's shell matched.
"""

from __future__ import annotations

from . import crossbuild, ir, model, shell
from .errors import Span
from .places import absolute, cache_targets, folder, within
from .resolve import Setup, workdir_of

LIFT_DIR = "/out"


def in_cache(source: str, targets) -> bool:
    """Whether an artifact's absolute path is one of the cache mounts or inside one."""
    return any(within(source, t) for t in targets)


def lifted(source: str) -> str:
    """Where an artifact at the absolute path `source` (in .ship syntax) is copied to."""
    return LIFT_DIR + source


def lift_artifacts(
    out: list[ir.Instruction], stage: model.Stage, caches, workdir: str, cross: Setup | None
) -> None:
    """Copy the artifacts that the build leaves in a cache mount out of it, at the end of
    the last RUN: the mount then holds what that very RUN built, never another build's.
    Each goes into its folder under /out (made first), the artifacts of one folder in one
    `cp -a`. A glob's characters stay unquoted (`shell.glob`): one that matches nothing
    fails the copy. In a `cross` build, one written in the toolchain's output folder is
    taken from the target's folder there (`crossbuild.lifted_source`)."""
    targets = [dict(m.options)["target"] for m in caches]
    into: dict[str, list[str]] = {}  # folder under /out -> the shell words copied there
    lines: dict[str, Span] = {}  # folder under /out -> the first artifact copied there
    copied: list[Span] = []
    for artifact in stage.artifacts:
        source = absolute(artifact.source.value, workdir)
        if in_cache(source, targets):
            moved = crossbuild.lifted_source(cross, source, workdir) if cross else None
            parent = folder(source)
            assert parent is not None, "a lifted artifact's path is absolute"
            into.setdefault(lifted(parent), []).append(moved or shell.glob(source))
            lines.setdefault(lifted(parent), artifact.span)
            copied.append(artifact.span)
    runs = [i for i, x in enumerate(out) if isinstance(x, ir.Run)]
    if not into or not runs:
        return
    last = out[runs[-1]]
    made = " ".join(shell.quote(f) for f in into)
    copies = tuple((f"cp -a {' '.join(w)} {shell.quote(f + '/')}",) for f, w in into.items())
    commands = ((f"mkdir -p {made}",), *copies)
    own = (copied[0], *(lines[f] for f in into))  # the `mkdir`, then each folder's `cp`
    spans = (last.spans or (last.span,) * len(last.commands)) + own
    out[runs[-1]] = ir.Run(
        last.commands + commands, last.mounts, last.span, len(commands), spans, tuple(copied)
    )


def artifact_source(stage: model.Stage, setup: Setup, artifact: model.Artifact) -> str:
    """Where an artifact is in its build stage once it is built: lifted out of a cache
    mount if it was in one."""
    source = absolute(artifact.source.value, workdir_of(stage, setup))
    return lifted(source) if in_cache(source, cache_targets(stage, setup)) else source

"""A runtime whose command looks for its artifacts in the wrong folder (a warning).

An artifact without `->` lands at the path the build made it at (`artifact dist` of a node
build working in /app lands at /app/dist), whatever the runtime's work directory. A runtime
that works in another folder (`workdir /srv/app`) and names the artifact relatively in its
command or entrypoint (`cmd node dist/index.js`) looks for /srv/app/dist/index.js, which
nothing puts there: the image builds and fails on start. Warned when a relative word of
the command lies under where a received artifact lands, read from the build's work
directory, and nothing the runtime copies or receives lands at it read from its own.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from . import model
from .artifacts import shipped
from .errors import Diagnostic, warning
from .places import absolute, artifact_dest, within
from .record import replace
from .resolve import Setup, workdir_of


def lost_artifact_warnings(ship: model.Ship, setups: dict[str, Setup]) -> list[Diagnostic]:
    return list(_lost(ship, setups))


def _lost(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    builds = [s for s in ship.stages if s.kind == model.BUILD and s.name.value in setups]
    stages = {s.name.value: s for s in ship.stages}
    for runtime in ship.stages:
        setup = setups.get(runtime.name.value)
        if runtime.kind != model.RUNTIME or setup is None:
            continue
        # Its own command: one it takes from the runtime it is from is checked there, or
        # refused when this one works elsewhere (moved_workdir.py).
        words = [w for c in (runtime.entrypoint, runtime.cmd) if c is not None for w in c.argv]
        # The program is looked up in PATH without a '/'.
        words = [w for i, w in enumerate(words) if _path_like(w.value) and (i or "/" in w.value)]
        if not words:
            continue  # before walking its chain: a long chain of `from` stays cheap
        chain = _chain(runtime, stages)
        if chain is None:
            continue  # from a build: it works in the build's tree, where its artifacts are
        workdir = workdir_of(runtime, setup)
        ships = next((s.ships for s in chain if s.ships is not None), None)
        landed = []  # (artifact, where it lands, the build's work directory)
        for build, artifacts, _ in shipped(replace(runtime, ships=ships), builds):
            build_setup = setups[build.name.value]
            for artifact in artifacts:
                dest = artifact_dest(build, build_setup, artifact, workdir).rstrip("/") or "/"
                landed.append((artifact, dest, workdir_of(build, build_setup)))
        copied = [d for s in chain for d in _copied(s, workdir)]  # relative ones: refused if moved
        placed = [dest for _, dest, _ in landed] + copied
        for word in words:
            yield from _word(word, workdir, landed, placed)


def _path_like(text: str) -> bool:
    return bool(text) and text[0] not in "/-~" and not any(c in text for c in "$=: \t")


def _word(word: model.Text, workdir: str, landed, placed) -> Iterator[Diagnostic]:
    text = word.value
    here = absolute(text, workdir)
    if any(within(here, p) or within(p, here) for p in placed):
        return  # something lands at it (or in it) in the work directory
    for artifact, dest, built_in in landed:
        there = absolute(text, built_in)
        if built_in != workdir and within(there, dest):
            relative = posixpath.relpath(dest, built_in)
            yield warning(
                f"'{text}' is looked for in the work directory ({here}), but artifact"
                f" '{artifact.source.value}' lands at {dest}, where the build made it",
                word.span,
                f"write '{there}', or ship it into the work directory ('artifact"
                f" {artifact.source.value} -> {relative}')",
            )
            return


def _chain(runtime: model.Stage, stages: dict[str, model.Stage]) -> list[model.Stage] | None:
    """The runtime and those it is written out from, nearest first; None for one `from` a
    build or test stage (or a cycle, an error of its own)."""
    chain, seen = [runtime], {runtime.name.value}
    while isinstance(chain[-1].base, model.FromStage):
        parent = stages.get(chain[-1].base.stage.value)
        if parent is None or parent.kind != model.RUNTIME or parent.name.value in seen:
            return None
        chain.append(parent)
        seen.add(parent.name.value)
    return chain


def _copied(runtime: model.Stage, workdir: str) -> Iterator[str]:
    for step in runtime.steps:
        if not isinstance(step, model.Copy):
            continue
        if step.dest is not None:
            yield absolute(step.dest.value, workdir).rstrip("/") or "/"
        else:
            yield from (absolute(s.value, workdir) for s in step.sources)

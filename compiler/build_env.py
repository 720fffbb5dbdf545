"""Where a build's `env` lines stand (and a test's of a build: both are lowered by
`lower._build`), in the order written, as a runtime's do.

The env lines written before the block's first step (a `run`, or a copy from the context or
from a stage) and before its `install` line open the stage: their pairs join the preset's
in the stage's first `ENV`, which the dependency install sees. An env line written after
the `install` line or after a step is an `ENV` at that place among the steps (one written
after the `install` line and before any step comes after the sources, `COPY . .`, right
before the first step), so what runs before it does not see it, and a change of its value
keeps what comes before it cached.

Checks: an env line written after a step but before the `install` line (the install runs
before every step, so the env cannot be both after the one and before the other); a copy
from an image (copied before every step) written after such an env line, reading a name it
sets.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from . import expansion, model
from .errors import Diagnostic, error
from .manifests import before_install, is_env, is_tool, named_image_names, position


def opening_env(stage: model.Stage, images: Collection[str] = ()) -> frozenset[int]:
    """The ids of the env lines (`model.Mark`) that open the stage: written before its
    first step and before its `install` line. A copy from an image (a tool, copied before
    the dependency layer anyway), a `file` and `copy none` are not steps here."""
    opening = set()
    for step in stage.steps:
        if _is_step(step, images) or not before_install(stage, step):
            break
        if is_env(step):
            opening.add(id(step))
    return frozenset(opening)


def split_env(
    stage: model.Stage, images: Collection[str] = ()
) -> tuple[tuple[model.Pair, ...], dict[int, tuple[model.Pair, ...]]]:
    """The pairs of the opening env lines, and the pairs of each other env line by the id
    of its mark. Pairs no mark counts (a stage made without marks) open the stage."""
    opening = opening_env(stage, images)
    pairs = iter(stage.env)
    first: list[model.Pair] = []
    placed: dict[int, tuple[model.Pair, ...]] = {}
    for step in filter(is_env, stage.steps):
        taken = tuple(next(pairs) for _ in range(step.count))
        if id(step) in opening:
            first.extend(taken)
        else:
            placed[id(step)] = taken
    first.extend(pairs)
    return tuple(first), placed


def build_env_checks(ship: model.Ship) -> Iterator[Diagnostic]:
    """The env lines of the builds and of the tests of builds (a test of a runtime is
    lowered as that runtime: order.py checks it)."""
    images = named_image_names(ship)
    stages = {s.name.value: s for s in ship.stages}
    for stage in ship.stages:
        if model.on_runtime(stage, stages):
            continue
        if not any(is_env(s) for s in stage.steps):
            continue
        yield from _between_step_and_install(stage, images)
        yield from _tools_after_env(stage, images)


def _between_step_and_install(stage: model.Stage, images) -> Iterator[Diagnostic]:
    if stage.install is None:
        return
    first = next((s for s in stage.steps if _is_step(s, images)), None)
    if first is None or not before_install(stage, first):
        return
    _, placed = split_env(stage, images)
    for step in stage.steps:
        if not before_install(stage, step):
            return
        if is_env(step) and position(step.span) > position(first.span):
            keys = " ".join(p.key.value for p in placed.get(id(step), ()))
            yield error(
                f"'env {keys}' is written before the 'install' line but after a step (line"
                f" {first.span.line}): the install runs before every step of the build, so"
                " the env cannot come after the one and before the other",
                step.span,
                f"move it above line {first.span.line} for the install to see it, or below"
                " the 'install' line",
            )


def _tools_after_env(stage: model.Stage, images) -> Iterator[Diagnostic]:
    """A copy from an image (a tool, copied before the dependency layer) written after an
    env line placed among the steps, reading a name that line sets: copied before it."""
    _, placed = split_env(stage, images)
    set_before: dict[str, model.Pair] = {}
    for step in stage.steps:
        set_before.update((p.key.value, p) for p in placed.get(id(step), ()))
        if not set_before or not is_tool(step, images):
            continue
        assert isinstance(step, model.Copy)
        for text in (*step.sources, *((step.dest,) if step.dest is not None else ())):
            for name in dict.fromkeys(expansion.references(text.value)):
                if name in set_before:
                    yield error(
                        f"'{name}' is set by the env on"
                        f" {set_before[name].span.where(text.span)}, but the files of an"
                        " image are copied before the build's steps and its dependency"
                        f" layer, so '{text.value}' is read before that env",
                        text.span,
                        "move that 'env' line above the block's first step and its"
                        " 'install' line",
                    )


def _is_step(step: model.Step, images) -> bool:
    """A run, or a copy from the context or from a stage (not `copy none`, not a `file`,
    not a tool from an image)."""
    if isinstance(step, model.Run):
        return True
    if not isinstance(step, model.Copy) or isinstance(step.origin, model.Inline):
        return False
    if step.origin is None:
        return bool(step.sources)
    return not is_tool(step, images)

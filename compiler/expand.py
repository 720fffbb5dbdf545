"""Runtimes written out: a pass between `check` and `lower`.

A runtime or test `from` a runtime is that runtime plus its own declarations, written out
in full. It does not build on the other stage (BuildKit still shares the identical
layers), so runtimes stay in the order written and the last one written is the last
stage: the default target. A test from a runtime (through tests of it, whatever the
runtime's base) is marked `from_runtime`: `lower` makes it that runtime plus its steps.
A stage built `FROM` a build or test stage takes from it what Docker's FROM does not carry
(its caches: a test of a build runs with the build's cache mounts).
"""

from __future__ import annotations

from . import model
from .errors import ShipErrors, error
from .record import replace

# How many declarations (steps, env pairs, ports, …) the runtimes written out from others may
# hold in all. A chain of runtimes each `from` the one before repeats the whole chain above
# each link, so the output grows with the square of the chain: a 300 KB file of 10,000
# runtimes adding one env each would write 50,000,000. Far above any real file (a handful
# of runtimes, tens of declarations each), far below what takes minutes.
WRITTEN_OUT = 100_000


def expand(ship: model.Ship) -> model.Ship:
    """The model with every stage built from a runtime written out in full."""
    stages = _inherit(ship.stages)
    by_name = {s.name.value: s for s in ship.stages}
    marked = tuple(
        replace(s, from_runtime=True)
        if s.kind == model.TEST and model.on_runtime(by_name[s.name.value], by_name)
        else s
        for s in stages
    )
    return replace(ship, stages=_from_builds(marked))


def _inherit(stages: tuple[model.Stage, ...]) -> tuple[model.Stage, ...]:
    """A runtime or test `from` a runtime is that runtime plus its own declarations, written
    out in full. It does not build on the other stage (BuildKit still shares the identical
    layers), so runtimes stay in the order written and the last one written is the last
    stage: the default target."""
    by_name = {s.name.value: s for s in stages}

    def parent_of(stage: model.Stage) -> model.Stage | None:
        parent = (
            by_name.get(stage.base.stage.value) if isinstance(stage.base, model.FromStage) else None
        )
        if stage.kind == "build" or parent is None or parent.kind != "runtime":
            return None
        return parent

    concat = model.stage_fields(inherit="concat")
    return _write_out(stages, parent_of, _merged, concat, _too_many)


def _from_builds(stages: tuple[model.Stage, ...]) -> tuple[model.Stage, ...]:
    """Every stage built `FROM` a build or test stage (not a test written out from a
    runtime) with the fields Docker's FROM does not carry (`from_build` metadata) taken
    from that stage, written out first: its own, then the stage's."""
    by_name = {s.name.value: s for s in stages}
    fields = model.stage_fields(from_build="concat")

    def builder_of(stage: model.Stage) -> model.Stage | None:
        if stage.from_runtime or not isinstance(stage.base, model.FromStage):
            return None
        parent = by_name.get(stage.base.stage.value)
        if parent is None or parent.kind == model.RUNTIME or parent.from_runtime:
            return None
        return parent

    def taken(full: model.Stage, child: model.Stage) -> model.Stage:
        own = {f.name: getattr(full, f.name) + getattr(child, f.name) for f in fields}
        return replace(child, **own)

    return _write_out(stages, builder_of, taken, fields, _too_many_caches)


def _write_out(stages, parent_of, merge, fields, too_many) -> tuple[model.Stage, ...]:
    """Each stage merged (`merge(parent written out, stage)`) with the chain of stages
    `parent_of` finds above it, each written out once however long the chain. A loop up the
    chain, not recursion: thousands of stages each `from` the one before must not exhaust
    Python's stack. What the merged `fields` hold in all is bounded by WRITTEN_OUT."""
    written: dict[str, model.Stage] = {}
    total = 0

    def written_out(stage: model.Stage) -> model.Stage:
        nonlocal total
        chain = [stage]
        while chain[-1].name.value not in written and (parent := parent_of(chain[-1])):
            if len(chain) > len(stages):
                raise ValueError(f"stages are built from each other in a cycle: {stage.name.value}")
            chain.append(parent)
        full = written.get(chain[-1].name.value, chain[-1])
        for child in reversed(chain[:-1]):
            full = written[child.name.value] = merge(full, child)
            total += sum(len(getattr(full, f.name)) for f in fields)
            if total > WRITTEN_OUT:
                raise ShipErrors([too_many(child)])
        return full

    return tuple(written_out(s) for s in stages)


def _too_many_caches(stage: model.Stage):
    message = (
        f"the stages built from other stages would mount more than {WRITTEN_OUT:,} caches"
        " in all: each mounts every cache of the stage it is 'from'"
    )
    return error(message, stage.name.span, "build fewer stages from one another")


def _too_many(stage: model.Stage):
    message = (
        f"the runtimes written out from other runtimes would hold more than {WRITTEN_OUT:,}"
        " declarations: each repeats everything of the runtime it is 'from'"
    )
    hint = "build fewer runtimes from one another, or share a build stage instead"
    return error(message, stage.name.span, hint)


def _merged(parent: model.Stage, stage: model.Stage) -> model.Stage:
    """A runtime written out in full: its parent's declarations, then its own (how each
    field is taken is its `inherit` metadata, see model.py)."""
    merged = {
        f.name: getattr(parent, f.name) + getattr(stage, f.name)
        for f in model.stage_fields(inherit="concat")
    }
    stepped = any(not (isinstance(s, model.Mark) and s.kind == "env") for s in parent.steps)
    if stage.kind == model.RUNTIME and stepped and stage.steps:
        # The runtime's own steps start as root, whatever `as` its parent ended with, and
        # never join the parent's last RUN: its layers stay the parent's, shared.
        own = (model.Mark("root", stage.name.span),) + stage.steps
        merged["steps"] = parent.steps + own
    for f in model.stage_fields(inherit="override"):
        own = getattr(stage, f.name)  # None when not given ('ships none' is an empty tuple)
        merged[f.name] = own if own is not None else getattr(parent, f.name)
    inherited = len(parent.steps) if stage.kind == "test" else len(merged["steps"])
    assert isinstance(stage.base, model.FromStage), "only a stage from a runtime is written out"
    return replace(
        stage,
        base=parent.base,
        inherited_steps=inherited,
        from_runtime=stage.kind == "test",
        written_from=stage.base.stage,
        **merged,
    )

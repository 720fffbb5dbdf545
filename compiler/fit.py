"""Whether each build's artifacts can run on each runtime: what the artifacts need (a C
library, an interpreter of some version, the .NET runtime of a major) against what the
runtime's preset provides, both resolved in `resolve.py`.

A need is served by the same value, or, for a capability compared `at_least` (Java), by a
later version. Output that carries its own runtime (`dotnet publish --self-contained`) needs
only its C library; on a runtime that provides one anyway, that is said as a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import model, presets
from .artifacts import shipped
from .errors import Diagnostic, error, warning
from .resolve import Setup


def fit(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """A mismatch per build and runtime, each reported at the runtime's base."""
    builds = [s for s in ship.stages if s.kind == "build" and _ships_artifacts(s, setups)]
    for runtime in (s for s in ship.stages if s.kind == "runtime"):
        setup = setups.get(runtime.name.value)
        if setup is None or setup.provides is None or isinstance(runtime.base, model.FromStage):
            continue  # unknown base, or built from a stage that is checked itself
        for build, _, _ in shipped(runtime, builds):  # what this runtime receives
            built = setups.get(build.name.value)
            if built is not None and built.needs is not None:
                yield from _one(build, built, runtime, setup.provides, setup.family is not None)


def _one(build, built: Setup, runtime, provides, family: bool) -> Iterator[Diagnostic]:
    """Each need of a build's artifacts against a runtime's provisions (for an `image`
    runtime of a declared family, only its C library is known)."""
    hints = built.toolchain.hints if built.toolchain else {}
    where = f"build '{build.name.value}' ({build.span.where(runtime.base.span)})"
    for key, wanted in built.needs.items():
        if family and key not in provides:
            continue  # a family says what C library an image has, not what else
        capability = presets.CAPABILITIES[key]
        if capability.met(wanted, provides.get(key)) is False:
            message = (
                f"the artifacts of {where} need {capability.say_needed(wanted)}, but runtime"
                f" '{runtime.name.value}' has {capability.say(provides.get(key))}"
            )
            hint = hints.get(key, capability.hint)
            static = _static_link(build) if key == "libc" and build.links is None else None
            if static is not None:
                hint = (
                    f"{static.where(runtime.base.span)} links with '-static': if every artifact"
                    " of the build is static, say so in it with 'links static'"
                )
            yield error(message, runtime.base.span, hint)
            return  # one mismatch per build and runtime says enough
    if built.bundled is None or built.toolchain is None:
        return
    unused = [key for key in built.toolchain.needs if key in provides]
    if unused:
        what = presets.CAPABILITIES[unused[0]].say(provides[unused[0]])
        yield warning(
            f"the artifacts of {where} carry their own runtime ('{built.bundled}'), so"
            f" {what} of runtime '{runtime.name.value}' goes unused",
            runtime.base.span,
            built.toolchain.bundled_hint,
        )


def _static_link(stage: model.Stage):
    """The first command of a build that links with `-static` (gcc, clang, LDFLAGS), if any:
    ship cannot tell which artifacts it made, so it does not decide 'links static' alone."""
    runs = (s for s in (stage.install, *stage.steps) if isinstance(s, model.Run))
    found = (run for run in runs if any(_STATIC.search(line) for line in run.lines))
    return next((run.span for run in found), None)


_STATIC = re.compile(r"(?<![\w-])-static(?:-pie)?(?![\w-])")


def _ships_artifacts(stage: model.Stage, setups: dict[str, Setup]) -> bool:
    setup = setups.get(stage.name.value)
    return bool(stage.artifacts) or bool(setup and setup.manager and setup.manager.artifacts)

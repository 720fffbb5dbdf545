"""Builds that send the runtimes none of the app: a build with no `artifact` line, which no
stage is built `from` or copies from, while a runtime receives it.

- On a Python manager (pip, poetry, uv), the runtimes still get its venv, which holds the
  dependencies only (the presets install them without the project): the app's code never
  reaches the image, and its sources (`COPY . .`) serve nothing. Unless a `run` line
  installs the project into the venv (`pip install .`, `uv sync` without
  `--no-install-project`, `poetry install` without `--no-root`): then the venv is the app.
  (Bundler's and Deno's shipped folders need files of the app at run time, which the
  artifacts check in artifacts.py warns of already, with the same hint.)
- Otherwise a build of an interpreted toolchain (node, composer, bun, …: its code is what
  it would ship) ships nothing, while another build does (when none does, each runtime is
  told it gets nothing, artifacts.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import model
from .errors import Diagnostic, warning
from .resolve import Setup, workdir_of
from .sources import origin_copies

# A run line that installs the project into the venv.
_INSTALLS_PROJECT = re.compile(
    r"\bpip3?\s+install\b|\buv\s+pip\s+install\b|\bsetup\.py\b"
    r"|\buv\s+sync\b(?![^;&|\n]*--no-install-project)"
    r"|\bpoetry\s+install\b(?![^;&|\n]*--no-root)"
)


def unshipped_builds(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    used = _used_builds(ship)
    # A runtime from a build receives nothing; one from a runtime, what that one does.
    runtimes = [
        s
        for s in ship.stages
        if s.kind == model.RUNTIME and not isinstance(s.base, model.FromStage)
    ]
    builds = [s for s in ship.stages if s.kind == model.BUILD and s.name.value in setups]
    shipping = any(b.artifacts or _manager_ships(setups[b.name.value]) for b in builds)
    for build in builds:
        setup = setups[build.name.value]
        if build.artifacts or setup.from_stage or build.name.value in used:
            continue
        if not any(_receives(r, build) for r in runtimes):
            continue
        manager = setup.manager
        if _manager_ships(setup):
            assert manager is not None
            if manager.companions or _installs_project(build):
                continue
            folders = ", ".join(manager.artifacts)
            yield warning(
                f"build '{build.name.value}' has no 'artifact': the runtimes get only"
                f" {folders}, which holds the app's dependencies, not the app",
                build.base.span,
                f"ship the app's code: 'artifact .' (all of {workdir_of(build, setup)}), or"
                " its package ('artifact src/myapp'); or install the project into the venv"
                " with a 'run' line ('pip install --no-deps .')",
            )
        elif shipping and setup.toolchain and not setup.toolchain.artifact_dir:
            yield warning(
                f"build '{build.name.value}' has no 'artifact': it sends the runtimes nothing,"
                " so what it builds is lost",
                build.base.span,
                "add 'artifact PATH' for what the runtimes need ('artifact .' for an"
                " interpreted app's code), or make it a 'test' if it only checks",
            )


def _manager_ships(setup: Setup) -> bool:
    return bool(setup.manager and setup.manager.artifacts)


def _installs_project(build: model.Stage) -> bool:
    runs = (s for s in (build.install, *build.steps) if isinstance(s, model.Run))
    return any(_INSTALLS_PROJECT.search("\n".join(r.lines)) for r in runs)


def _receives(runtime: model.Stage, build: model.Stage) -> bool:
    if runtime.ships is None:
        return True
    return any(w.value == build.name.value for w in runtime.ships)


def _used_builds(ship: model.Ship) -> set[str]:
    """The stages another is built `from` or copies files from."""
    used = set()
    for stage in ship.stages:
        if isinstance(stage.base, model.FromStage):
            used.add(stage.base.stage.value)
        copies = origin_copies(stage)
        used.update(c.origin.stage.value for c in copies if isinstance(c.origin, model.FromStage))
    return used

"""Meaning: the checks that need the whole file. Returns every diagnostic, never raises.

Local mistakes (a bad port, an unknown directive) are reported while reading the file in
`interpret.py`; here are the ones that relate stages, args and presets to each other.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator

from . import expansion, model, presets
from .args import unused_args
from .argv import SHELLS
from .artifacts import artifact_errors
from .bases import base_checks
from .build_env import build_env_checks
from .crossbuild import cross_checks, foreign_system_checks
from .errors import Diagnostic, did_you_mean, error, warning
from .fit import fit
from .image_entry import doubled_interpreter
from .landing import landing_checks
from .linked import link_checks
from .manifests import manifest_checks
from .moved_workdir import moved_workdir_checks
from .order import order_checks
from .packages import build_package_checks, installed_by_hand
from .paths import path_checks
from .places import absolute, cache_targets, within
from .resolve import Setup, piping_run, preset_users, user_id, workdir_of
from .secret_names import secret_names
from .sources import source_checks
from .variables import undefined_variables

RESERVED_STAGE_NAMES = ("scratch", "context")


def check(ship: model.Ship, setups: dict[str, Setup]) -> list[Diagnostic]:
    """Every problem that involves more than one directive, given each stage's resolved
    base (`resolve`)."""
    found = [
        *_stage_names(ship),
        *_stage_references(ship),
        *source_checks(ship),
        *order_checks(ship, setups),
        *moved_workdir_checks(ship, setups),
        *base_checks(ship, setups),
        *fit(ship, setups),
        *_cached_artifacts(ship, setups),
        *_secrets_in_artifacts(ship, setups),
        *path_checks(ship, setups),
        *link_checks(ship, setups),
        *artifact_errors(ship, setups),
        *secret_names(ship),
        *undefined_variables(ship, setups),
        *_capabilities(ship, setups),
        *_extensions(ship, setups),
        *build_package_checks(ship, setups),
        *installed_by_hand(ship, setups),
        *manifest_checks(ship, setups),
        *build_env_checks(ship),
        *cross_checks(ship, setups),
        *foreign_system_checks(ship, setups),
        *_unknown_shells(ship, setups),
        *_shells_without_one(ship, setups),
        *_user_names(ship, setups),
        *unused_args(ship),
    ]
    # Two things on one path: not said of a line already in error (`copy from NOSUCH`).
    flagged = {(d.span.file, d.span.line) for d in found if d.is_error}
    found += [d for d in landing_checks(ship, setups) if (d.span.file, d.span.line) not in flagged]
    return found


def _stage_names(ship: model.Ship) -> Iterator[Diagnostic]:
    first: dict[str, model.Stage] = {}
    for stage in ship.stages:
        name = stage.name.value
        if name in RESERVED_STAGE_NAMES:
            yield error(f"'{name}' is reserved by Docker and cannot name a stage", stage.name.span)
        elif name in first:
            hint = f"name it: '{stage.kind} NAME: …'" if name == stage.kind else None
            where = first[name].span.where(stage.name.span)
            yield error(
                f"duplicate stage name '{name}' (first on {where})",
                stage.name.span,
                hint,
            )
        else:
            first[name] = stage


def _stage_references(ship: model.Ship) -> Iterator[Diagnostic]:
    stages = {s.name.value: s for s in ship.stages}
    cycles = _cycles(stages)
    for stage in ship.stages:
        if not isinstance(stage.base, model.FromStage):
            continue
        for text in (*(stage.deps or ())[:1], stage.install):
            if text is not None:
                yield error(
                    f"a {stage.kind} from another stage has that stage's dependencies already",
                    text.span,
                    "declare 'deps' and 'install' in the stage it is built from",
                )
        target = stage.base.stage
        if target.value not in stages:
            others = [name for name in stages if name != stage.name.value]
            message = f"unknown stage '{target.value}'{did_you_mean(target.value, others)}"
            yield error(message, target.span)
            continue
        cycle = cycles.get(stage.name.value, [])
        if cycle and cycle[0] == stage.name.value:
            path = " -> ".join(cycle + [cycle[0]])
            yield error(f"stages are built from each other in a cycle: {path}", target.span)
        elif not cycle and stage.kind == "build" and model.on_runtime(stages[target.value], stages):
            yield error(
                f"a build cannot start from {stages[target.value].kind} '{target.value}': every"
                " runtime receives the builds' artifacts, so each would need the other first",
                target.span,
                f"start the build from a toolchain or an image; to check the runtime's image,"
                f" write 'test NAME: from {target.value} {{ … }}'",
            )


def _cycles(stages: dict[str, model.Stage]) -> dict[str, list[str]]:
    """Every stage on a cycle of `from`, mapped to its cycle, written from its smallest
    name. Each stage is walked once: following the chain from every stage in turn took
    time quadratic in the length of a long chain."""
    walked: dict[str, int] = {}  # stage name -> the walk that reached it first
    cycles: dict[str, list[str]] = {}
    for walk, name in enumerate(stages):
        path: list[str] = []
        current: str | None = name
        while current in stages and current not in walked:
            walked[current] = walk
            path.append(current)
            base = stages[current].base
            current = base.stage.value if isinstance(base, model.FromStage) else None
        if current is not None and walked.get(current) == walk:  # back on this very walk
            cycle = path[path.index(current) :]
            first = cycle.index(min(cycle))
            cycle = cycle[first:] + cycle[:first]
            cycles.update(dict.fromkeys(cycle, cycle))
    return cycles


def _cached_artifacts(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """An artifact in a cache mount is copied out by the stage's last RUN: there must be one."""
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        if setup is None or any(isinstance(s, model.Run) for s in stage.steps):
            continue
        targets = cache_targets(stage, setup)
        for artifact in stage.artifacts:
            source = absolute(artifact.source.value, workdir_of(stage, setup))
            cache = next((t for t in targets if within(source, t)), None)
            if cache is not None:
                where = "is" if source == cache else "is in"
                yield error(
                    f"'{artifact.source.value}' {where} the cache mount {cache}, which exists only"
                    " while a 'run' step runs, and this build has none",
                    artifact.source.span,
                    "add the 'run' that builds it; ship copies it out of the cache in that step",
                )


def _secrets_in_artifacts(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """An artifact is copied (out of a cache mount, in the RUN that built it, or into a
    runtime) with all it holds: a secret mounted inside it would ship in the image."""
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        if setup is None:
            continue
        workdir = workdir_of(stage, setup)
        for secret in stage.secrets:
            target = secret.target.value if secret.target else f"/run/secrets/{secret.id.value}"
            for artifact in stage.artifacts:
                source = absolute(artifact.source.value, workdir)
                if within(target, source) and expansion.literal(artifact.source.value) is not None:
                    yield error(
                        f"the secret '{secret.id.value}' is mounted at {target}, inside the"
                        f" artifact '{artifact.source.value}': copying the artifact would copy"
                        " the secret into the image",
                        (secret.target or secret.id).span,
                        "mount it elsewhere, e.g. at its default place"
                        f" /run/secrets/{secret.id.value}",
                    )


def _capabilities(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    stages = {s.name.value: s for s in ship.stages}
    for stage in (s for s in ship.stages if s.kind != "build"):
        setup = setups.get(stage.name.value)
        known = setup is not None and (setup.runtime is not None or setup.family is not None)
        if stage.kind == "test" and not known:
            continue  # a test from a build stage has the toolchain's shell
        if not known:
            if stage.packages and isinstance(stage.base, model.Image):
                families = ", ".join(presets.FAMILIES)
                yield error(
                    "cannot install packages on an image of unknown kind",
                    stage.packages[0].span,
                    f"declare its family ({families}): 'family debian'; or use 'run apt-get …'"
                    " or 'run apk add …' yourself",
                )
            elif stage.packages and setup is not None:
                yield error(
                    f"cannot install packages here: this runtime is built from"
                    f" {_base_label(stage, stages)}, which is not a runtime preset, so ship does"
                    " not know its package manager",
                    stage.packages[0].span,
                    "use 'run apt-get …' or 'run apk add …' yourself, or start the runtime"
                    " from a runtime preset (debian, alpine, …)",
                )
            continue

        # Said only in an error: following `from` up a chain for every stage of it was
        # quadratic (10,000 chained runtimes took 40 s).
        def label(stage=stage) -> str:
            return _base_label(stage, stages)

        if stage.packages and setup.packages is None:
            yield error(
                f"{label()} has no package manager",
                stage.packages[0].span,
                "install them in a build stage and ship them as artifacts, or use debian or alpine",
            )
        runs = [s for s in stage.steps if isinstance(s, model.Run)]
        if runs and setup.shell is None:
            yield error(
                f"'run' needs a shell, and {label()} has none",
                runs[0].span,
                "do this work in a build stage and ship the result as an artifact",
            )
        yield from _shell_programs(stage, setup, label)
        yield from doubled_interpreter(stage, setup)
        for package in stage.packages:
            if "=" not in package.value:
                yield warning(
                    f"package '{package.value}' is not pinned to a version",
                    package.span,
                    f"write '{package.value}=VERSION' for reproducible images",
                )


# The shells an image has, by the shell ship runs its commands with.
_HAS_SHELLS = {"bash": frozenset({"sh", "bash", "dash"}), "ash": frozenset({"sh", "ash"})}


def _shell_programs(
    stage: model.Stage, setup: Setup, label: Callable[[], str]
) -> Iterator[Diagnostic]:
    """A `cmd`, `entrypoint`, `healthcheck` or `shell` that runs a shell the base does not
    have: none on distroless or scratch, no bash on Alpine (unless `packages` installs it;
    a `shell` on a base without one is `_shells_without_one`'s)."""
    commands = [stage.entrypoint or stage.cmd]
    commands.append(stage.healthcheck.command if stage.healthcheck else None)
    commands.append(stage.shell if setup.shell is not None else None)
    shells = _HAS_SHELLS.get(posixpath.basename(setup.shell[0]), ()) if setup.shell else ()
    has = {*shells, *(p.value.partition("=")[0] for p in stage.packages)}  # the table stays
    for command in (c for c in commands if c is not None):
        program = posixpath.basename(command.argv[0].value)
        if program not in SHELLS or program in has:
            continue
        if setup.shell is None:
            message = f"'{command.argv[0].value}' is a shell, and {label()} has none"
            hint = "run the program itself (exec form needs no shell), or use a base with a shell"
        else:
            message = f"{label()} has no {program}: its shell is {setup.shell[0]}"
            hint = f"use {setup.shell[0]} or sh, or install it with 'packages {program}=VERSION'"
        yield error(message, command.argv[0].span, hint)


def _extensions(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """`extensions` needs a runtime preset that knows how to add them (php)."""
    stages = {s.name.value: s for s in ship.stages}
    for stage in (s for s in ship.stages if s.extensions):
        setup = setups.get(stage.name.value)
        if setup is not None and setup.runtime is not None and setup.runtime.extensions:
            continue
        with_them = [n for n, r in presets.RUNTIMES.items() if r.extensions]
        yield error(
            f"{_base_label(stage, stages)} has no way to add extensions: 'extensions' needs a"
            f" runtime preset that has one ({', '.join(with_them)})",
            stage.extensions[0].span,
            "start the runtime from 'php VERSION fpm|apache|cli', or install them with 'run'",
        )


def _user_names(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """`user NAME` is written as the UID:GID the base defines for NAME: a base ship knows."""
    for stage in (s for s in ship.stages if s.user is not None):
        setup = setups.get(stage.name.value)
        if setup is None or user_id(stage.user.value, setup) is not None:
            continue
        users = preset_users(setup)
        if users:
            known = ", ".join(f"{n} ({u})" for n, u in users.items())
            message = f"the base of {stage.kind} '{stage.name.value}' defines no user"
            message += f" '{stage.user.value}'{did_you_mean(stage.user.value, users)}"
            hint = f"it defines {known}; or give the numeric UID:GID"
        else:
            message = (
                f"ship does not know which users the base of {stage.kind}"
                f" '{stage.name.value}' defines"
            )
            hint = "give the numeric UID:GID (names fail on images without /etc/passwd)"
        yield error(message, stage.user.span, hint)


def _shells_without_one(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """`shell` on a runtime preset that has no shell (scratch, distroless)."""
    for stage in (s for s in ship.stages if s.shell is not None):
        setup = setups.get(stage.name.value)
        if setup is not None and setup.runtime is not None and setup.shell is None:
            yield error(
                f"'shell' chooses the shell of 'run' lines, and {stage.kind} '{stage.name.value}'"
                " has none",
                stage.shell.span,
                "drop it: a base without a shell runs no 'run' lines",
            )


def _unknown_shells(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """On an `image` base ship cannot choose a pipefail shell: say what that costs."""
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        run = piping_run(stage)
        if setup is None or setup.shell is not None or setup.runtime is not None or run is None:
            continue
        if stage.shell is not None:  # the user chose the shell, pipefail or not
            continue
        if setup.family is not None:
            continue  # a family without a shell: 'run' is an error there (_capabilities)
        yield warning(
            "this command pipes ('|'), but ship does not know the image's shell, so a failure"
            " before the pipe will not fail the build",
            run.span,
            "put 'set -o pipefail;' in front if the image's shell supports it",
        )


def _base_label(stage: model.Stage, stages: dict[str, model.Stage]) -> str:
    """What a stage runs on, in words: `the base 'distroless static'`, followed through
    `from` to the runtime that has the base. (`stages` by name: built once by the caller,
    not once per stage.)"""
    seen = set()
    while isinstance(stage.base, model.FromStage) and stage.base.stage.value in stages:
        if stage.name.value in seen:
            break
        seen.add(stage.name.value)
        stage = stages[stage.base.stage.value]
    if isinstance(stage.base, model.Preset):
        base = stage.base
        parts = (base.name, base.version, *base.variants, base.release)
        words = " ".join(w.value for w in sorted((w for w in parts if w), key=lambda w: w.span))
        return f"the base '{words}'"
    if isinstance(stage.base, model.Image) and stage.family is not None:
        return f"the image {stage.base.ref.value} (family {stage.family.value})"
    return f"the base of '{stage.name.value}'"

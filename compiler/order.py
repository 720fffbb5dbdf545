"""Checks on a runtime's order and ownership: what `ships` names, folders the app writes
(`writable`, `volume`) that a copy may bring root's on a base without a shell, and `env`
written after the steps that a value set before them would read.

A runtime is lowered in the order written (runtime.py): the `env` lines before any step
come first, with the packages; the work directory, the user and the writable folders are
set up before the steps; so those may read only that first env.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import expansion, model
from .artifacts import shipped
from .errors import Diagnostic, did_you_mean, error
from .places import absolute, artifact_dest, claimed_folders, handed_folders, within
from .resolve import Setup, workdir_of


def order_checks(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    stages = {s.name.value: s for s in ship.stages}
    builds = [s for s in ship.stages if s.kind == model.BUILD]
    memo: dict[str, bool] = {}  # per runtime: whether it or one it is built from has a step
    for stage in ship.stages:
        if stage.kind == model.BUILD:
            continue
        yield from _ships(stage, stages, builds)
        yield from _late_env(stage, _after_steps(stage, stages, memo))
        for path in stage.writable:
            if "$" in path.value:
                yield error(
                    "a writable path cannot use variables: ship hands the folder to the user"
                    " when it compiles",
                    path.span,
                )
        setup = setups.get(stage.name.value)
        if setup is not None and setup.shell is None and stage.kind == model.RUNTIME:
            yield from _claimed_without_shell(stage, setup, builds, setups)


def _ships(stage, stages, builds) -> Iterator[Diagnostic]:
    if stage.ships is None:
        return
    base = stage.base
    parent = stages.get(base.stage.value) if isinstance(base, model.FromStage) else None
    if parent is not None and parent.kind == model.BUILD:
        yield error(
            f"a runtime built from build '{parent.name.value}' has its files already: it"
            " receives no artifacts",
            stage.ships[0].span if stage.ships else stage.span,
        )
        return
    names = {b.name.value for b in builds}
    paths = {a.source.value for b in builds for a in b.artifacts}
    paths |= {a.program for b in builds for a in b.artifacts if a.program is not None}
    for word in stage.ships:
        yield from _program_or_build(word, builds)
        renamed = [a for b in builds for a in b.artifacts if a.renames == word.value]
        if word.value not in names | paths and renamed:
            yield _renamed(word, renamed)
        elif word.value not in names | paths:
            yield error(
                f"'{word.value}' is neither a build nor an artifact"
                f"{did_you_mean(word.value, names | paths)}",
                word.span,
                "name a build (all its artifacts), an artifact's path as its build writes it"
                " or a program a 'binary' line builds"
                f"; builds: {', '.join(sorted(names)) or 'none'}",
            )


def _renamed(word: model.Text, artifacts: list[model.Artifact]) -> Diagnostic:
    """`ships server` for `binary ./cmd/server -> /usr/local/bin/status-page`: the program
    has the name its line gives it, one name everywhere."""
    names = sorted({a.program for a in artifacts if a.program is not None})
    return error(
        f"there is no program '{word.value}': the 'binary' line that builds it names it"
        f" {' and '.join(repr(n) for n in names)} (its destination's file name)",
        word.span,
        "write " + " or ".join(f"'ships {n}'" for n in names)
        + f" (or its path in the build: 'ships {artifacts[0].source.value}')",
    )


def _program_or_build(word: model.Text, builds: list[model.Stage]) -> Iterator[Diagnostic]:
    """`ships api` with a build `api` and a program `api` another line of it or another
    build makes (or one a `binary` line renamed from `api`): the two readings ship
    different artifacts."""
    build = next((b for b in builds if b.name.value == word.value), None)
    programs = [
        (b, a) for b in builds for a in b.artifacts if word.value in (a.program, a.renames)
    ]
    if build is None or not programs or [a for _, a in programs] == list(build.artifacts):
        return
    maker, artifact = programs[0]
    renamed = f" (named '{artifact.program}' by its line)" if artifact.renames else ""
    yield error(
        f"'{word.value}' names build '{build.name.value}' (all its artifacts) and the program"
        f" '{word.value}'{renamed} of build '{maker.name.value}'",
        word.span,
        f"name the program by its path: 'ships {artifact.source.value}'; or rename the build",
    )


def _after_steps(stage: model.Stage, stages: dict[str, model.Stage], memo: dict[str, bool]) -> bool:
    """Whether a stage written out from a runtime (expand.py) has its own lines after the
    steps of the runtimes it is built from: a test's always (they run last), a runtime's
    when one of those runtimes has a step, `ships` or `as`."""
    if not isinstance(stage.base, model.FromStage):
        return False
    if stage.kind == model.TEST:
        return model.on_runtime(stage, stages)
    return _steps_above(stages.get(stage.base.stage.value), stages, memo)


def _steps_above(
    parent: model.Stage | None, stages: dict[str, model.Stage], memo: dict[str, bool]
) -> bool:
    """Whether `parent`, or a runtime it is built from, has a step that is not env. Each
    runtime's answer is kept in `memo`, so a chain of n runtimes is walked once, not once
    per runtime (10,000 chained runtimes took 50 s)."""
    chain: dict[str, None] = {}  # the runtimes walked, in order (a dict: `in` at once)
    answer = False
    while parent is not None and parent.kind == model.RUNTIME and parent.name.value not in chain:
        if parent.name.value in memo:
            answer = memo[parent.name.value]
            break
        chain[parent.name.value] = None
        if any(not (isinstance(s, model.Mark) and s.kind == "env") for s in parent.steps):
            answer = True
            break
        base = parent.base
        parent = stages.get(base.stage.value) if isinstance(base, model.FromStage) else None
    memo.update(dict.fromkeys(chain, answer))
    return answer


def _late_env(stage: model.Stage, started: bool) -> Iterator[Diagnostic]:
    """Env written after a step, read where the runtime's set-up reads it (the work
    directory, the user, the folders), or by a copy written before that env line."""
    late: dict[str, model.Pair] = {}
    pairs = iter(stage.env)
    early_copies: list[tuple[model.Text, set[str]]] = []  # a copy and the late env set before it
    for step in stage.steps:
        if isinstance(step, model.Mark) and step.kind == "env":
            taken = [next(pairs) for _ in range(step.count)]
            if started:
                late.update((p.key.value, p) for p in taken)
            continue
        started = True
        if isinstance(step, model.Copy) and step.dest is not None:
            early_copies.append((step.dest, set(late)))
    texts = [*(t for t in (stage.workdir, stage.user) if t), *stage.volumes, *stage.writable]
    checks = [(text, set()) for text in texts] + early_copies
    for text, set_before in checks:
        for name in expansion.references(text.value):
            if name in late and name not in set_before:
                yield error(
                    f"'{name}' is set by the env on {late[name].span.where(text.span)}, after"
                    f" the runtime's steps begin, but '{text.value}' is read before it",
                    text.span,
                    "move that 'env' line above the first step, 'ships' or 'as'",
                )


def folder_forms(stage, setup, builds, setups) -> dict[str, tuple[model.Text, str]]:
    """How each folder the app writes (absolute) is made the user's, as runtime.py makes it:
    `made` (new: the user's WORKDIR makes it), `handed` (the base may have it: a RUN before
    the steps) or `claimed` (a copy may bring it: a RUN right after that copy)."""
    workdir = workdir_of(stage, setup)
    texts = (*stage.writable, *stage.volumes)
    folders: dict[str, model.Text] = {}
    for text in texts:
        folders.setdefault(absolute(text.value, workdir).rstrip("/") or "/", text)
    dests = [
        artifact_dest(b, setups[b.name.value], a, workdir)
        for b, arts, _ in shipped(stage, builds)
        if b.name.value in setups and setup.from_stage is None
        for a in arts
    ]
    dests += [
        absolute(s.dest.value, workdir)
        for s in stage.steps
        if isinstance(s, model.Copy) and s.dest is not None
    ]
    claimed = claimed_folders(folders, dests)
    handed = handed_folders(folders, dests, setup)
    return {
        f: (t, "claimed" if f in claimed else "handed" if f in handed else "made")
        for f, t in folders.items()
    }


def _claimed_without_shell(stage, setup, builds, setups) -> Iterator[Diagnostic]:
    forms = folder_forms(stage, setup, builds, setups)
    folders = {f: t for f, (t, _) in forms.items()}
    for folder in (f for f, (_, form) in forms.items() if form == "handed"):
        yield _handed_without_shell(folders[folder], folder, setup)
    for folder in (f for f, (_, form) in forms.items() if form == "claimed"):
        yield error(
            f"'{folders[folder].value}' is inside what a copy brings, so it may arrive root's,"
            " and this runtime's base has no shell to hand it to the user",
            folders[folder].span,
            "copy into the folder instead, or ship what goes around it without the folder",
        )


def _handed_without_shell(text: model.Text, folder: str, setup) -> Diagnostic:
    """A writable folder the base may have already, on a base without a shell: the user's
    WORKDIR would leave an existing folder root's, and no RUN can hand it over."""
    if setup.runtime is None:
        hint = (
            "ship knows nothing of an image's folders: if it has a shell, say which family"
            " it is ('family debian', 'ubuntu' or 'alpine') and ship hands the folder to the"
            " user with a RUN"
        )
    else:
        lacks = [f"under {setup.runtime.missing}"] if setup.runtime.missing else []
        if setup.runtime.roots is not None:
            lacks.append("in a folder of its own at the root (/data)")
        hint = f"make it {' or '.join(lacks) or 'in a folder the image lacks'}, which the"
        hint += " image lacks: the user's WORKDIR makes it the user's"
    tmp = next((t for t in ("/tmp", "/var/tmp") if within(folder, t)), None)
    if tmp is not None:
        hint += f"; {tmp} is writable by all already: the app may write there undeclared"
    return error(
        f"'{text.value}' may be a folder this runtime's base has already (ship cannot show it"
        " is new), and ship knows no shell in the base to hand it to the user with: a WORKDIR"
        " leaves a folder that exists as it is",
        text.span,
        hint,
    )

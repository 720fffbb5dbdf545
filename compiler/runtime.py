"""A runtime stage, lowered: the steps in the order written, the artifacts where `ships`
stands, each step as the user it is written for, the app's writable folders its own.

The layout, slowest-changing first (docs/language.md, "The runtime stage"):

- `USER 0:0` only if the base runs as another user and something runs before the app's user;
- SHELL (pipefail) if a step pipes, the packages, the env the shipped artifacts need (a
  venv's PATH) and the `env` lines written before any step;
- the work directory, root's (a folder the app cannot rewrite), when anything needs it;
- the writable folders (`writable`, `volume`): those the base may have already (not under
  the folder the preset knows its base lacks, /app) handed over by one RUN as root (a
  WORKDIR leaves an existing folder as it is); then `USER <user>` and a WORKDIR for each
  new one, which BuildKit creates owned by that user, so this works without a shell;
- the steps as written: `copy`, `run` (as root, or as the user after `as user`), `env`,
  and the artifacts where `ships` stands (first, without one). Files are root's, unless
  they land in a writable folder: then `COPY --chown=<user>`;
- `USER <user>`, then what the container runs and how.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator

from . import expansion, ir, model, presets, shell
from .artifacts import shipped, shipped_again
from .lower import (
    TITLE_LABEL,
    _caches,
    _env,
    _install,
    _Origins,
    _secret_mount,
    _shell,
    _ssh_mounts,
    _steps,
    artifact_paths,
)
from .places import absolute, claimed_folders, handed_folders, inside, within
from .places import folder as folder_of
from .record import record, replace
from .resolve import Setup, preset_user, user_id, workdir_of

ROOT = "0:0"


def lower_runtime(
    ship: model.Ship, stage: model.Stage, setup: Setup, builds, setups, origins: _Origins
) -> ir.Stage:
    """A runtime, or a test of one (its own steps run last, as the runtime's user)."""
    inherited = setup.from_stage is not None
    workdir = workdir_of(stage, setup)
    user = _user(stage, setup)
    received = shipped(stage, builds)
    artifacts = [] if inherited else list(_artifact_copies(received, setups, workdir))
    folders = _folders(stage, workdir)
    own = stage.steps[stage.inherited_steps :] if stage.kind == "test" else ()
    steps = list(stage.steps[: len(stage.steps) - len(own)])
    lead = leading_env(stage)
    pairs = iter(stage.env)
    who = _Who(_first_user(setup), [])
    out = who.out
    runs = any(isinstance(s, model.Run) for s in steps)  # the runtime's own, not a test's
    if stage.packages or stage.extensions:
        who.be(ROOT)  # the base runs as its own user: installing needs root
    # Packages run in the image's own shell, so the SHELL comes after them when there are
    # some: a shell they install (`packages bash` on Alpine) is not there before them.
    if stage.packages or stage.extensions:
        out.append(_packages(stage, setup))
    out.extend(_shell(stage, setup, origins))
    env = tuple((pair, None) for pair in (() if inherited else _shipped_env(received, setups)))
    for mark in steps[:lead]:
        env += _pairs(_take(pairs, mark))
    if env:
        out.extend(_env(env))
    copies = (
        i for c in stage.steps if isinstance(c, model.Copy) for i in origins.copies(c, workdir)
    )
    copied = [c.dest for c in artifacts] + [_absolute_copy(i, workdir).dest for i in copies]
    lands = workdir != "/" and any(within(d, workdir) for d in copied)
    wanted = stage.workdir is not None or lands or bool(folders)
    wanted = wanted or (runs and setup.runtime is not None and workdir != "/")
    span = stage.workdir.span if stage.workdir else None
    # A folder inside what a copy brings (`tmp` of an artifact `.`) may come with that copy,
    # root's: it is handed to the user after the copy (which needs a shell; see order.py).
    claimed = claimed_folders(folders, copied)
    # A folder the base may have already is handed over by a RUN (a WORKDIR leaves an
    # existing folder as it is); only a new one is made by the user's WORKDIR (order.py
    # refuses the former on a base without a shell).
    handed = handed_folders(folders, copied, setup)
    made = [f for f in folders if f not in claimed and f not in handed]
    # `/` is there, root's, in every image: set once, after the writable folders are made.
    mine = workdir in folders and workdir not in handed  # made the user's by a WORKDIR
    if wanted and not mine and not (workdir == "/" and (made or handed)):
        who.be(ROOT)  # BuildKit makes a missing work directory the current user's
        out.append(ir.Workdir(workdir, span))
    opened = [f for f in (setup.runtime.open_folders if setup.runtime else ()) if f not in folders]
    commands = []
    if opened:  # the image left them writable by all: root's, as every undeclared folder
        paths = " ".join(shell.quote(f) for f in opened)
        commands.append((f"chown 0:0 {paths} && chmod 755 {paths}",))
    if handed:
        paths = " ".join(shell.quote(f) for f in handed)
        commands.append((f"mkdir -p {paths} && chown -R {user} {paths}",))
    if commands:  # one RUN, as root
        who.be(ROOT)
        out.append(ir.Run(tuple(commands), (), folders[handed[0]] if handed else stage.span))
    parents = _parents(made, folders, workdir)
    if parents:  # made root's first: a WORKDIR makes the folders on its way its user's
        who.be(ROOT)
        out.extend(ir.Workdir(p, span) for p, span in parents.items())
    if made:
        who.be(user, stage.user.span if stage.user else None)
        out.extend(ir.Workdir(f, folders[f]) for f in made)
        if made[-1] != workdir and wanted:
            out.append(ir.Workdir(workdir, span))
    elif handed and wanted and workdir == "/":
        out.append(ir.Workdir(workdir, span))

    def place(instruction: ir.Instruction) -> Iterator[ir.Instruction]:
        if not isinstance(instruction, ir.Copy):
            yield instruction
            return
        instruction = _absolute_copy(instruction, workdir)
        if any(within(instruction.dest, f) for f in folders):
            instruction = replace(instruction, chown=user)
        yield instruction
        mine = [f for f in claimed if inside(f, instruction.dest)]
        if mine and not instruction.chown:
            who.be(ROOT)
            paths = " ".join(shell.quote(f) for f in mine)
            command = f"mkdir -p {paths} && chown -R {user} {paths}"
            out.append(ir.Run(((command,),), (), instruction.span))

    def put(instructions) -> None:
        for instruction in instructions:
            for placed in place(instruction):
                out.append(placed)

    as_root = _caches(stage, setup, ship.app.value)  # a runtime's own steps mount its caches

    def segment(items, as_user: str, mounts=None) -> None:
        if mounts is None:  # the runtime's own steps: its caches, the user's for `as user`
            mounts = _owned_by(user, as_root) if as_user == user else as_root
        if any(isinstance(s, model.Run) for s in items):
            who.be(as_user)
        put(_steps(tuple(items), mounts, origins, workdir, False))

    has_mark = any(isinstance(s, model.Mark) and s.kind == "ships" for s in steps)
    if not has_mark:
        put(artifacts)
    as_user = ROOT
    batch: list[model.Step] = []
    for step in steps[lead:]:
        if not isinstance(step, model.Mark):
            batch.append(step)
            continue
        segment(batch, as_user)
        batch = []
        if step.kind == "env":
            out.extend(_env(_pairs(_take(pairs, step))))
        elif step.kind == "ships":
            put(artifacts)
            artifacts = []  # at the first `ships` only (a runtime written out may hold two)
        else:
            as_user = user if step.kind == "user" else ROOT
    segment(batch, as_user)
    # A test's own steps, as the runtime's user, with its mounts owned by that user.
    mounts = _caches(stage, setup, ship.app.value)
    mounts += tuple(_secret_mount(s) for s in stage.secrets)
    mounts = _owned_by(user, mounts + _ssh_mounts(stage))
    batch = []
    for step in own:
        if isinstance(step, model.Mark) and step.kind == "env":
            segment(batch, user, mounts)
            batch = []
            out.extend(_env(_pairs(_take(pairs, step))))
        elif not isinstance(step, model.Mark):
            batch.append(step)
    segment(batch, user, mounts)
    # Every runtime ends with its USER, written out even when the base runs as that user.
    if who.current != user or not any(isinstance(i, ir.User) for i in out):
        out.append(ir.User(user, stage.user.span if stage.user else None))
    out.extend(_container(ship, stage))
    return ir.Stage(stage.name.value, setup.base, tuple(out), stage.span)


def leading_env(stage: model.Stage) -> int:
    """How many env lines open a runtime's steps (a test's: those of the runtime it is
    of): their pairs join the stage's first ENV, before any step (`ship explain` says so)."""
    own = len(stage.steps) - stage.inherited_steps if stage.kind == "test" else 0
    steps = stage.steps[: len(stage.steps) - own]
    lead = 0
    while lead < len(steps) and isinstance(steps[lead], model.Mark) and steps[lead].kind == "env":
        lead += 1
    return lead


@record(frozen=False)
class _Who:
    """Who the next RUN runs as (None: the base image's own user, unknown), and the
    instructions so far: `be` adds a USER only when it changes."""

    current: str | None
    out: list[ir.Instruction]

    def be(self, user: str, span=None) -> None:
        if self.current != user and {self.current, user} != {"0", ROOT}:  # `0` is root
            self.out.append(ir.User(user, span))
            self.current = user


def _first_user(setup: Setup) -> str | None:
    """Who a runtime's base runs as: root for the presets (and the toolchains a runtime
    `from` a build starts from), unless the preset says otherwise; unknown for `image`."""
    if setup.runtime is not None:
        return setup.runtime.image_user or ROOT
    return ROOT if setup.toolchain is not None else None


def _take(pairs, mark: model.Mark) -> list[model.Pair]:
    """The pairs of the env line at `mark`: the next ones of the stage's env, in order."""
    return [next(pairs) for _ in range(mark.count)]


def _pairs(pairs: list[model.Pair]):
    return tuple(((p.key.value, p.value.value), p.span) for p in pairs)


def _folders(stage: model.Stage, workdir: str) -> dict[str, object]:
    """The folders the app writes, absolute, in order, once each: `writable` (relative to
    the work directory) and the volumes."""
    found: dict[str, object] = {}
    for text in (*stage.writable, *stage.volumes):
        found.setdefault(absolute(text.value, workdir).rstrip("/") or "/", text.span)
    return found


def _parents(made: list[str], folders: dict[str, object], workdir: str) -> dict[str, object]:
    """The folder each writable folder is made in, when the user's WORKDIR would make it
    (with the folders on its way) the user's: not the root, the work directory or one
    above it (made root's before), nor a folder the app writes anyway."""
    parents: dict[str, object] = {}
    for made_folder in made:
        parent = folder_of(made_folder)
        if (
            parent is None  # `${D:-/q}`: only the value says
            or parent == "/"
            or any(within(parent, f) for f in folders)
            or (workdir not in folders and within(workdir, parent))
        ):
            continue
        parents.setdefault(parent, folders[made_folder])
    return parents


def _shipped_env(received, setups) -> tuple[tuple[str, str], ...]:
    """The run-time env that shipped artifacts need (a venv's PATH), once each."""
    pairs = (
        pair
        for build, _, whole in received
        if whole and setups[build.name.value].manager
        for pair in setups[build.name.value].manager.runtime_env
    )
    return tuple(dict.fromkeys(pairs))


def _artifact_copies(received, setups, workdir: str) -> Iterator[ir.Copy]:
    for build, artifacts, whole in received:
        setup = setups[build.name.value]
        for path in setup.manager.artifacts if setup.manager and whole else ():
            if not shipped_again(build, setup, artifacts, path):
                yield ir.Copy((path,), path, build.name.value)
        for artifact in artifacts:
            source, dest = artifact_paths(build, setup, artifact, workdir)
            yield ir.Copy((source,), dest, build.name.value, artifact.span)


def _owned_by(user: str, mounts: tuple[ir.Mount, ...]) -> tuple[ir.Mount, ...]:
    """Mounts a test's steps use as the runtime's user: owned by that user, or its steps
    could neither read the secrets (root's, mode 0400) nor write to the caches. A user given
    by a reference stays root's: mount options are never expanded."""
    uid, _, gid = user.partition(":")
    if not (uid.isascii() and uid.isdigit()) or (gid and not (gid.isascii() and gid.isdigit())):
        return mounts
    owner = (("uid", uid), ("gid", gid or uid))
    return tuple(
        replace(m, options=m.options + owner) if m.type != "bind" else m for m in mounts
    )


def _absolute_copy(instruction: ir.Instruction, workdir: str) -> ir.Instruction:
    """A runtime copies before its WORKDIR is set: its destinations are made absolute."""
    if not isinstance(instruction, ir.Copy):
        return instruction
    dest = absolute(instruction.dest, workdir)
    if instruction.dest.endswith("/") and not dest.endswith("/"):
        dest += "/"
    return instruction if dest == instruction.dest else replace(instruction, dest=dest)


def _user(stage: model.Stage, setup: Setup) -> str:
    if stage.user:
        uid = user_id(stage.user.value, setup)
        assert uid is not None, "check refuses a user name the base does not define"
        return uid
    return preset_user(setup) or presets.NONROOT


def _packages(stage: model.Stage, setup: Setup) -> ir.Run:
    """OS packages (names sorted), then the language's extensions (in the order written,
    bundled ones first), in one RUN: the extensions may build against the packages."""
    run = ir.Run((), (), (stage.packages or stage.extensions)[0].span)
    if stage.packages:
        assert setup.packages is not None
        run = _install(setup.packages, [p.value for p in stage.packages], run.span)
    if stage.extensions:
        assert setup.runtime is not None and setup.runtime.extensions is not None
        commands = _extension_commands(setup.runtime.extensions, stage.extensions)
        run = replace(run, commands=run.commands + commands)
    return run


def _extension_commands(installer: presets.ExtensionInstaller, words) -> tuple[tuple[str], ...]:
    """Configure (the `--options` after a bundled extension), install the bundled ones, then
    fetch, build and enable the versioned ones; each extension once."""
    options, versioned = extension_plan(words)
    commands = [
        c.format(name=shlex.quote(name), options=" ".join(shlex.quote(o) for o in flags))
        for name, flags in options.items()
        if flags
        for c in installer.configure
    ]
    if options:
        names = " ".join(shlex.quote(n) for n in options)
        commands += [c.format(names=names) for c in installer.bundled]
    if versioned:
        names = " ".join(shlex.quote(n) for n in versioned)
        pairs = " ".join(
            shlex.quote(installer.pair.format(name=n, version=v)) for n, v in versioned.items()
        )
        commands += [c.format(names=names, pairs=pairs) for c in installer.versioned]
    return tuple((c,) for c in commands)


def extension_plan(words) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The `extensions` words read: each bundled extension with its configure options (the
    `--options` written after it), and each versioned one (`NAME=VERSION`) with its version;
    each extension once, in the order written."""
    options: dict[str, list[str]] = {}  # bundled extension -> its configure options
    versioned: dict[str, str] = {}
    current = ""  # the bundled extension the options that follow configure
    for word in (w.value for w in words):
        if word.startswith("--"):
            options[current].append(word)  # interpret: an option follows a bundled one
        elif "=" in word:
            name, _, version = word.partition("=")
            versioned.setdefault(name, version)
        else:
            current = word
            options.setdefault(word, [])
    return options, versioned


def _container(ship, stage: model.Stage) -> Iterator[ir.Instruction]:
    # Each port and volume once, at its first place (a runtime written out from another
    # may repeat them).
    ports = {_port(p.value): p.span for p in stage.expose}
    if ports:
        spans = tuple(ports.values())
        yield ir.Expose(tuple(ports), spans[0], spans)
    volumes = {v.value: v.span for v in stage.volumes}
    if volumes:
        spans = tuple(volumes.values())
        yield ir.Volume(tuple(volumes), spans[0], spans)
    # A key labelled again (by a runtime written out from another, or twice) is written
    # once, at its first place, with the value in effect: the last.
    effective: dict[str, model.Pair] = {}
    for pair in stage.labels:
        effective[pair.key.value] = pair
    labels = tuple((key, pair.value.value) for key, pair in effective.items())
    spans = tuple(pair.span for pair in effective.values())
    if TITLE_LABEL not in dict(labels):
        labels = ((TITLE_LABEL, ship.app.value),) + labels
        spans = (ship.app.span,) + spans
    if labels:
        yield ir.Label(labels, spans[0], spans)
    if stage.healthcheck:
        yield _healthcheck(stage.healthcheck)
    if stage.stopsignal:
        yield ir.Stopsignal(stage.stopsignal.value, stage.stopsignal.span)
    if stage.entrypoint:
        yield ir.Entrypoint(_exec(stage.entrypoint), stage.entrypoint.span)
    if stage.cmd:
        yield ir.Cmd(_exec(stage.cmd), stage.cmd.span)


def _port(port: str) -> str:
    """The protocol written out, `/tcp` unless the word gives one: a reference stands for
    the port number (`${PORT}` is `${PORT}/tcp`, as `8080` is `8080/tcp`)."""
    return port if "/" in port else f"{port}/tcp"


def _exec(command: model.Command) -> tuple[str, ...]:
    """An exec-form command's argv as passed on (`$$` is a literal `$`)."""
    return tuple(expansion.exec_word(w.value) for w in command.argv)


def _healthcheck(check: model.Healthcheck) -> ir.Healthcheck:
    options = tuple((p.key.value, p.value.value) for p in check.options)
    argv = _exec(check.command) if check.command else None
    return ir.Healthcheck(options, argv, check.span)

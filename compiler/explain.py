"""`ship explain`: what the compiler decided for each stage, once the presets are applied.

Reads a compiled file (`Compiled.model`, `Compiled.setups`) and says, stage by stage, the
image, the dependency manager with its manifests and install step, the cache mounts, the
steps, the user, the artifacts (their kind and where each lands in every runtime), what
they need and what each runtime provides. Nothing here decides anything: every value is
the one `resolve` and `lower` use.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import Compiled, frontend, ir, model, presets
from .artifacts import shipped, shipped_again
from .build_env import split_env
from .command import IMPLIED, implied_program
from .crossbuild import cross_packages, guarded_outputs
from .lower import artifact_paths, effective_env, in_effect, shell_in_effect, shell_line
from .manifests import declared_manifests, install_files, named_image_names, written_again
from .order import folder_forms
from .places import absolute, cache_targets, within
from .platforms import cross_compiles, cross_env, describe
from .resolve import Setup, build_packages, preset_user, workdir_of
from .runtime import extension_plan, leading_env

_WIDTH = 14  # the labels' column


def explain(compiled: Compiled) -> str:
    """The effective declaration of every stage, in the order the file has them."""
    assert compiled.model is not None and compiled.setups is not None
    ship, setups = compiled.model, compiled.setups
    builds = [s for s in ship.stages if s.kind == model.BUILD]
    stages = {s.name.value: s for s in ship.stages}
    shells: dict = {}  # shell_in_effect's answers, kept across stages (a chain walked once)
    blocks = [
        "\n".join(_stage(stage, setups[stage.name.value], builds, setups, stages, ship, shells))
        for stage in ship.stages
    ]
    return f"app {ship.app.value}\n\n" + "\n\n".join(blocks) + "\n"


def _line(label: str, value: str) -> str:
    """`  label:  value`; an empty label continues the line above."""
    return f"  {label + ':' if label else '':<{_WIDTH}} {value}"


def _stage(
    stage: model.Stage, setup: Setup, builds, setups, stages, ship: model.Ship, shells: dict
) -> Iterator[str]:
    yield f"{stage.kind} '{stage.name.value}' (line {stage.span.line}): {_base(stage, setup)}"
    yield _line("image", setup.base if not setup.from_stage else f"stage '{setup.from_stage}'")
    yield _line("work dir", workdir_of(stage, setup))
    yield _line("shell", _shell(stage, setup, setups, stages, shells))
    if ship.platforms and (where := describe(stage, setup, ship)):
        yield _line("runs on", where)
    if stage.link is not None:
        major, minor = frontend.NEEDS["COPY --link"]
        needs = f"needs {frontend.IMAGE}:{major}.{minor}"
        but = (
            " except those into a writable folder (made --chown: a linked one would make the"
            " folders on its way the user's)"
            if stage.writable or stage.volumes
            else ""
        )
        yield _line("copies", f"linked: every COPY is COPY --link{but} ({needs})")
    if stage.kind == model.RUNTIME or stage.from_runtime:
        yield from _runtime(stage, setup, builds, setups)
    else:
        yield from _build(stage, setup, ship)


def _shell(stage: model.Stage, setup: Setup, setups, stages, shells: dict) -> str:
    """The shell the stage's RUN instructions run in: its SHELL instruction (as `lower`
    decides it), else the one of the stage it is built from (Docker keeps SHELL in the
    image), else Docker's default, /bin/sh -c, or none for an image ship knows has none."""
    argv = shell_line(stage, setup)
    owner, inherited = shell_in_effect(stage, setup, stages, setups, shells)
    if argv is not None and argv != inherited:
        why = "declared" if stage.shell is not None else "a command pipes"
        return f"{' '.join(argv)} (SHELL: {why})"
    if inherited is not None:
        return f"{' '.join(inherited)} (SHELL: from stage '{owner}')"
    # A stage built `from` another has its setup's shell, runtime and family (resolve).
    if setup.shell is None and (setup.runtime is not None or setup.family is not None):
        return "none (the image has no shell)"
    return "/bin/sh -c (Docker's default)"


def _base(stage: model.Stage, setup: Setup) -> str:
    base = stage.base
    if isinstance(base, model.FromStage):
        return f"from stage '{base.stage.value}'"
    if stage.written_from is not None:  # its base is the runtime's, whose lines it repeats
        return f"from runtime '{stage.written_from.value}', written out on its base: " + _own_base(
            stage, setup, model.RUNTIME
        )
    return _own_base(stage, setup, stage.kind)


def _own_base(stage: model.Stage, setup: Setup, kind: str) -> str:
    base = stage.base
    if isinstance(base, model.Image):
        family = f" (family {stage.family.value})" if stage.family else " (unknown kind)"
        return f"image {base.ref.value}{family}"
    words = [base.name.value, *(w.value for w in base.variants)]
    if base.release is not None:
        words.append(base.release.value)
    what = "toolchain" if kind != model.RUNTIME else "runtime"
    version = f", version {setup.version}" if setup.version else ""
    if setup.defaulted_version:
        version += " (the default)"
    return f"{what} preset {' '.join(words)}{version}"


def _build(stage: model.Stage, setup: Setup, ship: model.Ship) -> Iterator[str]:
    manager = setup.manager
    inherited = setup.from_stage is not None
    if manager is not None and setup.toolchain is not None:
        # The preset's entry (the setup's may be a copy, with the tool version filled in).
        names = [
            n
            for n, m in setup.toolchain.managers.items()
            if (m.manifests, m.install) == (manager.manifests, manager.install)
        ]
        yield _line("manager", names[0] if names else "?")
    if manager is not None and manager.setup:
        yield _line("set-up", manager.setup)
    cross = cross_packages(stage, setup, ship)
    packages = build_packages(stage, setup)
    if own := {n: w for n, w in packages.items() if n not in cross}:
        names = [w.value if w else f"{n} (the toolchain's, unpinned)" for n, w in own.items()]
        yield _line("packages", f"{', '.join(names)} (with {setup.packages})")
    if cross:
        names = [packages[n].value if packages.get(n) else f"{n} (unpinned)" for n in cross]
        yield _line("cross tools", f"{', '.join(names)} (each platform's, if not there)")
    images = named_image_names(ship)
    files = install_files(stage, setup, images)
    if not inherited:
        yield from _dependency_layer(stage, setup, files)
    opening, placed = split_env(stage, images)  # the others: among the steps
    pairs = [] if inherited else [(pair, None) for pair in _preset_env(setup)]
    pairs += [((p.key.value, p.value.value), None) for p in opening]
    if pairs:  # the values in effect, as the ENV writes them
        yield _line("env", " ".join(f"{k}={v}" for (k, v), _ in effective_env(pairs)))
    caches = cache_targets(stage, setup)
    yield _line("cache mounts", ", ".join(caches) if caches else "none")
    if guarded := [c for c in guarded_outputs(stage, setup, ship) if c in caches]:
        yield _line(
            "per platform",
            f"{', '.join(guarded)} locked, emptied first when another platform's build"
            " (or a cross build) filled it",
        )
    if stage.secrets:
        yield _line("secrets", ", ".join(s.id.value for s in stage.secrets))
    again = written_again(stage, setup, files)
    known = None  # the literal values in effect before the steps, as lower.py knows them
    if not inherited:
        known = in_effect([ir.Env(tuple(pair for pair, _ in effective_env(pairs)))])
        if cross_compiles(stage, setup, ship):
            in_effect([ir.Env(tuple(cross_env(setup) or ()))], known)
    yield from _steps(stage, not inherited, files, again, placed, known)
    if stage.kind == model.BUILD:
        yield from _artifacts(stage, setup)


def _preset_env(setup: Setup) -> tuple[tuple[str, str], ...]:
    toolchain = setup.toolchain.env if setup.toolchain else ()
    return toolchain + (setup.manager.env if setup.manager else ())


def _dependency_layer(stage: model.Stage, setup: Setup, files) -> Iterator[str]:
    manager = setup.manager or presets.Manager()
    if files:
        paths = ", ".join(f.dest.value for f in files if f.dest is not None)
        yield _line("files", f"{paths} (written before the install, which reads them)")
    if stage.deps is not None:
        manifests = ", ".join(d.value for d in stage.deps) or "none ('deps none')"
        yield _line("manifests", f"{manifests} (declared)")
    elif manager.manifests:
        declared = declared_manifests(stage, setup, files)
        names = [
            m.rstrip("?") + " (the file above)"
            if m in declared
            else m[:-1] + " (if present)" if m.endswith("?") else m
            for m in manager.manifests
        ]
        yield _line("manifests", ", ".join(names))
    if stage.install is not None:
        yield _line("install", " && ".join(stage.install.lines) + " (declared)")
    elif manager.install and (stage.deps is None or stage.deps):
        yield _line("install", f"{manager.install} (before the sources)")


# A runtime's place markers among its steps (model.Mark), as explain says them.
_MARKS = {
    "ships": "the artifacts arrive here",
    "user": "the steps after this run as the app user",
    "root": "the steps after this run as root",
    "env": "env {pairs} set here",
}


def _steps(
    stage: model.Stage, default_copy: bool, files=(), again=(), placed=None, known=None
) -> Iterator[str]:
    """The steps in order, but the `files` written before the install (`again`: those
    written again over the sources); the env lines that open the stage are not among them
    (their pairs are in its first ENV, shown under `env`): a runtime's first ones; a
    build's but those `placed` among its steps (by the id of their mark, build_env.py)."""
    steps = []
    context = [s for s in stage.steps if isinstance(s, model.Copy) and s.origin is None]
    if default_copy and not context:
        steps.append("copy the sources (COPY . .)")
        steps.extend(f"file {f.dest.value} again, over the sources'" for f in again if f.dest)
    early = {id(f) for f in files}
    lead = leading_env(stage) if placed is None else 0
    opening = sum(m.count for m in stage.steps[:lead] if isinstance(m, model.Mark))
    pairs = iter(stage.env[opening:])  # the pairs of the env lines among the steps, in order
    for step in stage.steps[lead:]:
        if id(step) in early:
            continue
        if placed is not None and isinstance(step, model.Mark) and step.kind == "env":
            if id(step) in placed:
                written = placed[id(step)]
                said = " ".join(f"{p.key.value}={p.value.value}" for p in written)
                if known is not None:  # a value in effect already is set by no ENV (lower.py)
                    same = [p for p in written if known.get(p.key.value) == p.value.value]
                    in_effect([ir.Env(tuple((p.key.value, p.value.value) for p in written))], known)
                    if len(same) == len(written):
                        steps.append(f"env {said} (the value in effect already: no ENV)")
                        continue
                steps.append(_MARKS["env"].format(pairs=said))
            continue
        if isinstance(step, model.Run):
            command = " ".join(line.strip() for line in step.lines)
            steps.append(f"{step.written}: run {command}" if step.written else f"run {command}")
        elif isinstance(step, model.Mark):
            taken = [next(pairs) for _ in range(step.count)] if step.kind == "env" else []
            said = " ".join(f"{p.key.value}={p.value.value}" for p in taken)
            steps.append(_MARKS[step.kind].format(pairs=said))
        elif isinstance(step.origin, model.Inline):
            mode = f" mode={step.origin.mode.value}" if step.origin.mode else ""
            count = len(step.origin.lines)
            said = f"{count} line{'s' if count != 1 else ''}"
            steps.append(f"file {step.dest.value if step.dest else ''}{mode} ({said}, COPY <<)")
        elif not step.sources:
            steps.append("copy none (nothing of the build context)")
        else:
            origin = step.origin
            where = (
                f"image {origin.ref.value} "
                if isinstance(origin, model.Image)
                else f"from {origin.stage.value} "
                if origin is not None
                else ""
            )
            dest = f" -> {step.dest.value}" if step.dest else ""
            steps.append(f"copy {where}{' '.join(s.value for s in step.sources)}{dest}")
    for index, step in enumerate(steps):
        yield _line("steps" if index == 0 else "", step)


def _artifacts(stage: model.Stage, setup: Setup) -> Iterator[str]:
    paths = list(setup.manager.artifacts if setup.manager else ())
    paths = [p for p in paths if not shipped_again(stage, setup, stage.artifacts, p)]
    paths += [a.source.value for a in stage.artifacts]
    program_dir = setup.toolchain.artifact_dir if setup.toolchain else None
    kind = f"programs, to {program_dir}" if program_dir else "files, at the same path"
    yield _line("artifacts", f"{', '.join(paths)} ({kind} unless '->')" if paths else "none")
    if setup.needs is not None:
        needs = [presets.CAPABILITIES[k].say_needed(v) for k, v in setup.needs.items()]
        yield _line("needs", ", ".join(needs) if needs else "nothing (static)")


def _runtime(stage: model.Stage, setup: Setup, builds, setups) -> Iterator[str]:
    if setup.provides is not None:
        provides = [presets.CAPABILITIES[k].say(v) for k, v in setup.provides.items()]
        yield _line("provides", ", ".join(provides) or "nothing")
    if setup.runtime is not None or setup.family is not None:
        yield _line("packages", _packages(stage, setup))
    if stage.extensions:
        yield _line("extensions", _extensions(stage))
    user = stage.user.value if stage.user else preset_user(setup)
    source = "" if stage.user else " (the preset's)" if setup.runtime else " (ship's default)"
    yield _line("user", f"{user or presets.NONROOT}{source}")
    workdir = workdir_of(stage, setup)
    owner = user or presets.NONROOT
    folders = [absolute(t.value, workdir) for t in (*stage.writable, *stage.volumes)]
    forms = folder_forms(stage, setup, builds, setups)
    for index, (folder, (_, form)) in enumerate(forms.items()):
        said = f"{folder} (owned by {owner}): {_FORMS[form]}"
        yield _line("writable" if index == 0 else "", said)
    declared = [f.rstrip("/") or "/" for f in folders]
    opened = [f for f in (setup.runtime.open_folders if setup.runtime else ()) if f not in declared]
    if opened:
        yield _line("made root's", ", ".join(opened) + " (the image leaves it writable by all)")
    parent = next((b for b in builds if b.name.value == setup.from_stage), None)
    got = [] if parent is not None else shipped(stage, builds)
    received = [
        f"{src} from '{b.name.value}' -> {dest}"
        + (f" (owned by {owner})" if any(within(dest, f) for f in folders) else " (root's)")
        for b, artifacts, whole in got
        for src, dest in _received(b, setups[b.name.value], workdir, artifacts, whole)
    ]
    if parent is not None:  # a runtime from a build: its files stay where the build put them
        paths = ", ".join(a.source.value for a in parent.artifacts) or "its files"
        received = [f"nothing copied: build '{parent.name.value}' left {paths} in place"]
    for index, line in enumerate(received or ["nothing"]):
        yield _line("receives" if index == 0 else "", line)
    needed = [] if setup.from_stage else _shipped_env([b for b, _, w in got if w], setups)
    env = needed + [f"{p.key.value}={p.value.value}" for p in stage.env]
    if env:
        yield _line("env", " ".join(env))
    yield from _steps(stage, default_copy=False) if stage.steps else ()
    if stage.expose:
        yield _line("ports", ", ".join(p.value for p in stage.expose))
    for label, command in (("entrypoint", stage.entrypoint), ("cmd", stage.cmd)):
        if command is not None:
            implied = f" (implied: {IMPLIED})" if command.implied else ""
            yield _line(label, " ".join(w.value for w in command.argv) + implied)
    if stage.entrypoint is None and stage.cmd is None:
        _, reason = implied_program(stage, setup, builds, setups)
        yield _line("command", f"none written, none implied: {reason}")
    if stage.healthcheck is not None and stage.healthcheck.command is not None:
        yield _line("healthcheck", " ".join(w.value for w in stage.healthcheck.command.argv))


# How runtime.py makes each folder the app writes the user's (order.folder_forms).
_FORMS = {
    "made": "new, made by the user's WORKDIR",
    "handed": "the base may have it: RUN mkdir -p, chown -R as root, before the steps",
    "claimed": "a copy may bring it: RUN mkdir -p, chown -R as root, after that copy",
}


def _shipped_env(builds, setups) -> list[str]:
    """The env the shipped artifacts need (a venv's PATH), as lower sets it."""
    managers = [setups[b.name.value].manager for b in builds]
    pairs = dict.fromkeys(p for m in managers if m is not None for p in m.runtime_env)
    return [f"{k}={v}" for k, v in pairs]


def _extensions(stage: model.Stage) -> str:
    """The extensions as the install reads them: the bundled ones (with the configure
    options written after them), then the versioned ones."""
    options, versioned = extension_plan(stage.extensions)
    bundled = [n + (f" (configured {' '.join(o)})" if o else "") for n, o in options.items()]
    return ", ".join(bundled + [f"{n}={v}" for n, v in versioned.items()])


def _packages(stage: model.Stage, setup: Setup) -> str:
    if setup.packages is None:
        return "no package manager"
    names = ", ".join(p.value for p in stage.packages) or "none asked"
    return f"{names} (with {setup.packages})"


def _received(build, setup: Setup, workdir: str, artifacts, whole) -> Iterator[tuple[str, str]]:
    for path in setup.manager.artifacts if setup.manager and whole else ():
        if not shipped_again(build, setup, artifacts, path):
            yield path, path
    for artifact in artifacts:
        yield artifact.source.value, artifact_paths(build, setup, artifact, workdir)[1]

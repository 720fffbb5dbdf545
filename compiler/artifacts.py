"""Checks on what the builds ship to the runtimes: artifacts ship cannot place without
`->`, a runtime that receives nothing, and a program to run that nothing puts in the image.

A program toolchain (go, rust, c) puts an artifact among the programs
(`/usr/local/bin/NAME`) by default; ship cannot see whether a path is a program, a file or a
folder, so it refuses to guess where a folder, a glob or a name with an extension goes.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from . import model, presets, shell
from .errors import Diagnostic, did_you_mean, error, warning
from .lift import in_cache
from .places import absolute, artifact_dest, cache_targets, unplaced_artifact, within
from .record import replace
from .resolve import Setup, workdir_of
from .unshipped import unshipped_builds

# Docker's PATH when an image sets none, and the usual one of the images that do.
PATH = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")


def shipped(
    runtime: model.Stage, builds: list[model.Stage]
) -> list[tuple[model.Stage, tuple[model.Artifact, ...], bool]]:
    """What a runtime receives (its `ships`; every build's artifacts without one): each
    build with the artifacts it sends, and whether the runtime takes the whole build (then
    also what its manager ships, a venv, and the env that needs)."""
    if runtime.ships is None:
        return [(b, b.artifacts, True) for b in builds]
    names = {w.value for w in runtime.ships}
    received = []
    for build in builds:
        if build.name.value in names:
            received.append((build, build.artifacts, True))
        elif chosen := tuple(
            a for a in build.artifacts if a.source.value in names or a.program in names
        ):
            received.append((build, chosen, False))
    return received


def shipped_again(
    build: model.Stage, setup: Setup, chosen: tuple[model.Artifact, ...], path: str
) -> bool:
    """Whether one of the artifacts `chosen` of a build ships its manager's folder at
    `path` to the same place (`artifact /opt/venv`): the manager's copy is then left out."""
    workdir = workdir_of(build, setup)
    return any(
        absolute(a.source.value, workdir) == path
        and (a.dest is None or a.dest.value.rstrip("/") == path)
        for a in chosen
    )


def artifact_errors(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """Artifacts ship cannot place without `->`; a destination that is a folder of
    programs written without its `/`."""
    for stage in ship.stages:
        if stage.kind == "build" and stage.name.value in setups:
            yield from _placement(stage, setups[stage.name.value])
            yield from _lifted_globs(stage, setups[stage.name.value])
        copies = (s for s in stage.steps if isinstance(s, model.Copy))
        for sources, dest in [
            *(((a.source,), a.dest) for a in stage.artifacts),
            *((c.sources, c.dest) for c in copies),
        ]:
            if dest is not None and dest.value in PATH:
                yield _bare_folder(sources, dest)


def _lifted_globs(build: model.Stage, setup: Setup) -> Iterator[Diagnostic]:
    """An artifact in a cache mount is copied out by the shell (`lift.py`), then shipped by
    COPY: its glob may only be in its last part (its matches are copied into one folder)
    and only of the forms both read alike (`shell.GLOB`)."""
    targets = cache_targets(build, setup)
    workdir = workdir_of(build, setup)
    for artifact in build.artifacts:
        path = artifact.source.value
        source = absolute(path, workdir)
        if not _GLOB_CHARS & set(path) or not in_cache(source, targets):
            continue
        name = posixpath.basename(path.rstrip("/"))
        if _GLOB_CHARS & set(path[: len(path.rstrip("/")) - len(name)]):
            what = "a glob in a folder name"
        elif _GLOB_CHARS & set(shell.GLOB.sub("", name)):
            what = "a glob other than '*', '?' or '[abc]'"
        elif path.endswith("/"):
            what = "a glob of folders (a '/' at its end)"
        else:
            continue
        target = next(t for t in targets if within(source, t))
        yield error(
            f"'{path}' has {what}, which ship cannot copy out of the cache mount {target}",
            artifact.source.span,
            "in a cache mount a glob may only be in the last part of the path, with '*', '?'"
            " and '[abc]' (e.g. 'artifact target/release/*.so -> /usr/local/lib/')",
        )


_GLOB_CHARS = frozenset("*?[]")


def _bare_folder(sources: tuple[model.Text, ...], dest: model.Text) -> Diagnostic:
    """`-> /usr/bin`: COPY puts a file into that folder where the image has it, and writes a
    file of that name where it has not (`scratch`): which one depends on the image."""
    single = len(sources) == 1 and "$" not in sources[0].value
    name = posixpath.basename(sources[0].value.rstrip("/")) if single else "NAME"
    return error(
        f"'{dest.value}' is a folder of programs in most images, but not in all: COPY puts a"
        f" file into it where the image has it, and writes a file named {dest.value} where"
        " it has not",
        dest.span,
        f"write '{dest.value}/' to copy into the folder, or '{dest.value}/{name}' for a file"
        " of that name",
    )


def received_warnings(ship: model.Ship, setups: dict[str, Setup]) -> list[Diagnostic]:
    """A runtime that gets nothing from the builds; a program to run that nothing puts in
    the image. For a file without errors, whose every base is known."""
    return [
        *_received(ship, setups),
        *_companions(ship, setups),
        *unshipped_builds(ship, setups),
        *_holding_output_caches(ship, setups),
    ]


def _holding_output_caches(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """An artifact that holds a toolchain's output cache (`artifact .` of a Rust build,
    whose `target` is a cache mount): the mount is not in the stage's files, so the
    artifact ships that folder empty, without what the build wrote there. A cache the user
    declares (`cache .next/cache`) holds what a later build reuses, and ships empty as
    meant."""
    for build in ship.stages:
        setup = setups.get(build.name.value)
        if build.kind != model.BUILD or setup is None or setup.toolchain is None:
            continue
        workdir = workdir_of(build, setup)
        outputs = [absolute(p, workdir) for p in setup.toolchain.output_caches]
        for artifact in build.artifacts:
            source = absolute(artifact.source.value, workdir)
            held = next((o for o in outputs if within(o, source) and o != source), None)
            if held is None:
                continue
            inside = posixpath.relpath(held, workdir)
            binary = " or 'binary NAME'" if setup.toolchain.binary else ""
            yield warning(
                f"'{artifact.source.value}' holds the cache mount {held}, which is empty"
                " outside the build's run steps: the artifact ships it without what the build"
                " wrote there",
                artifact.source.span,
                f"ship what you need from it by its path ('artifact {inside}/…'){binary};"
                " ship copies that out of the cache",
            )


def _received(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    builds = [s for s in ship.stages if s.kind == "build"]
    shipping = [b for b in builds if _ships(b, setups[b.name.value])]
    names = {b.name.value for b in builds}
    based_on_builds = any(
        isinstance(s.base, model.FromStage) and s.base.stage.value in names for s in ship.stages
    )
    by_name = {b.name.value: b for b in builds}
    for runtime in ship.stages:
        if runtime.kind == "runtime" and isinstance(runtime.base, model.FromStage):
            build = by_name.get(runtime.base.stage.value)
            if build is not None and build.name.value in setups:
                yield from _program_in_build(runtime, build, setups[build.name.value])
        if runtime.kind != "runtime" or isinstance(runtime.base, model.FromStage):
            continue
        if builds and not shipping and not based_on_builds:
            yield warning(
                f"runtime '{runtime.name.value}' gets nothing from the builds: no build has an"
                " 'artifact'",
                runtime.name.span,
                "add 'artifact PATH' to the build that makes what the runtime needs",
            )
        if runtime.name.value in setups:
            received = [  # each build as the runtime receives it (most: whole)
                b if a is b.artifacts else replace(b, artifacts=a)
                for b, a, _ in shipped(runtime, shipping)
            ]
            yield from _program(runtime, setups[runtime.name.value], received, setups)
            yield from _served(runtime, setups[runtime.name.value], received, setups)


def _companions(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """A manager's shipped folder that needs files of the build's work directory at run time
    (Bundler's bundle: the Gemfile and its lock), when no artifact ships them. A runtime
    that copies files of its own may bring them: ship cannot tell, so it says nothing."""
    runtimes = [s for s in ship.stages if s.kind == "runtime"]
    if any(isinstance(step, model.Copy) for r in runtimes for step in r.steps):
        return
    for build in (s for s in ship.stages if s.kind == "build" and s.name.value in setups):
        setup = setups[build.name.value]
        if setup.manager is None or not setup.manager.companions or setup.from_stage:
            continue
        workdir = workdir_of(build, setup)
        shipped = [absolute(a.source.value, workdir) for a in build.artifacts]
        missing = [
            name
            for name in setup.manager.companions
            if not any(within(absolute(name, workdir), path) for path in shipped)
        ]
        one = setup.manager.companions_any
        if missing and not (one and len(missing) < len(setup.manager.companions)):
            assert isinstance(build.base, model.Preset)
            shipping = ", ".join(setup.manager.artifacts)
            yield warning(
                f"the runtimes get {shipping} from build '{build.name.value}', but not"
                f" {(' or ' if one else ' and ').join(missing)}, which programs read at run"
                " time to use it",
                build.base.span,
                f"add {'; '.join(f'artifact {m}' for m in missing[: 1 if one else None])}"
                f"{' or whichever of them the app has' if one else ''}"
                " (or ship the whole app: 'artifact .')",
            )


def _ships(build: model.Stage, setup: Setup) -> bool:
    return bool(build.artifacts) or bool(setup.manager and setup.manager.artifacts)


def _placement(build: model.Stage, setup: Setup) -> Iterator[Diagnostic]:
    """Without `->`, a program toolchain's artifact must look like one program."""
    if not (setup.toolchain and setup.toolchain.artifact_dir):
        return
    for artifact in (a for a in build.artifacts if a.dest is None):
        reason = unplaced_artifact(artifact.source.value)
        if reason is None:
            continue
        path = artifact.source.value
        name = posixpath.basename(posixpath.normpath(path))
        if reason == "folder":
            message = f"'{path}' is a folder or several files: say where they go in the runtime"
            hint = f"write 'artifact {path} -> /usr/local/bin/' for programs, or '-> /PATH/'"
        else:
            message = (
                f"'{name}' may be no program, so ship will not put it in"
                f" {setup.toolchain.artifact_dir}: say where it goes in the runtime"
            )
            hint = f"write 'artifact {path} -> /usr/local/bin/{name}' for a program, or '-> /PATH'"
            if artifact.program is not None:
                hint = _binary_hint(build, artifact, name)
        yield error(message, artifact.source.span, hint)


def _binary_hint(build: model.Stage, artifact: model.Artifact, name: str) -> str:
    """The hint for a program a `binary` line builds: its line with a destination (one for
    its one program, the programs' folder for several), not an `artifact` line."""
    line = next(
        (s.written for s in build.steps if isinstance(s, model.Run) and s.span == artifact.span),
        None,
    )
    if sum(a.span == artifact.span for a in build.artifacts) > 1 or line is None:
        return "end the 'binary' line with '-> /usr/local/bin/': each program keeps its name there"
    return f"write '{line} -> /usr/local/bin/{name}' for a program, or '-> /PATH'"


def _program(
    runtime: model.Stage, setup: Setup, builds: list[model.Stage], setups: dict[str, Setup]
) -> Iterator[Diagnostic]:
    """On a base with no programs of its own (scratch, distroless static, base, cc), the
    program a container runs, and its healthcheck's, must be ones the artifacts put there."""
    if (
        setup.runtime is None
        or setup.shell is not None
        or any(presets.CAPABILITIES[key].interpreter for key in setup.provides or {})
        or any(isinstance(s, model.Copy) for s in runtime.steps)  # may bring it: unknown
    ):
        return
    health = runtime.healthcheck.command if runtime.healthcheck else None
    for command in (runtime.entrypoint or runtime.cmd, health):
        word = command.argv[0].value if command is not None else ""
        # An option (`cmd --verbose`) is no program: command.option_commands says so.
        if command is not None and "$" not in word and not word.startswith("-"):
            yield from _program_landed(runtime, setup, builds, setups, command.argv[0])


def _program_landed(
    runtime: model.Stage,
    setup: Setup,
    builds: list[model.Stage],
    setups: dict[str, Setup],
    program: model.Text,
) -> Iterator[Diagnostic]:
    workdir = workdir_of(runtime, setup)
    landed = [
        artifact_dest(b, setups[b.name.value], a, workdir).rstrip("/") or "/"
        for b in builds
        for a in b.artifacts
    ]
    managers = (setups[b.name.value].manager for b in builds)
    landed += [path for m in managers if m is not None for path in m.artifacts]
    if "/" in program.value:
        wanted = [absolute(program.value, workdir)]
        found = any(within(wanted[0], path) for path in landed)
    else:
        wanted = [posixpath.join(folder, program.value) for folder in PATH]
        found = any(path in wanted or path in PATH for path in landed)
    if not found:
        where = wanted[0] if "/" in program.value else f"/usr/local/bin/{program.value}"
        assert isinstance(runtime.base, model.Preset)
        base = " ".join(w.value for w in (runtime.base.name, *runtime.base.variants))
        names = landed if "/" in program.value else [posixpath.basename(p) for p in landed]
        yield warning(
            f"'{program.value}' is not in the image: '{base}' has no programs of its own, and"
            f" no artifact lands at {where}{did_you_mean(program.value, names)}",
            program.span,
            "ship the program as an artifact (a go, rust or c build's 'artifact /out/NAME'"
            " lands at /usr/local/bin/NAME), or correct the name",
        )


def _served(
    runtime: model.Stage, setup: Setup, builds: list[model.Stage], setups: dict[str, Setup]
) -> Iterator[Diagnostic]:
    """A runtime whose image serves a folder (nginx) that receives artifacts, none of them
    there, and copies nothing there: the server would serve its default page."""
    served = setup.runtime.serves if setup.runtime else None
    if served is None or not any(b.artifacts for b in builds):
        return
    workdir = workdir_of(runtime, setup)
    landed = {
        (a.source.value, artifact_dest(b, setups[b.name.value], a, workdir).rstrip("/") or "/")
        for b in builds
        for a in b.artifacts
    }
    copies = (s for s in runtime.steps if isinstance(s, model.Copy))
    targets = [absolute(c.dest.value, workdir) for c in copies if c.dest is not None]
    if any(within(dest, served) or within(served, dest) for _, dest in landed) or any(
        within(t.rstrip("/") or "/", served) for t in targets
    ):
        return
    source, dest = sorted(landed)[0]
    yield warning(
        f"runtime '{runtime.name.value}' serves {served}, but no artifact lands there"
        f" ('{source}' lands at {dest})",
        runtime.base.span,
        f"write 'artifact {source.rstrip('/')}/ -> {served}/' to serve what it holds",
    )


def _program_in_build(
    runtime: model.Stage, build: model.Stage, setup: Setup
) -> Iterator[Diagnostic]:
    """A runtime built from a build receives nothing: its programs are where the build put
    them, not among the programs (/usr/local/bin) where a runtime from a preset gets them.
    A command naming an artifact's program that only its build's folder holds is refused."""
    command = runtime.entrypoint or runtime.cmd
    if command is None or not setup.toolchain or not setup.toolchain.artifact_dir:
        return
    program = command.argv[0]
    if "/" in program.value or "$" in program.value:
        return
    workdir = workdir_of(build, setup)
    sources = [absolute(a.source.value, workdir) for a in build.artifacts]
    named = [p for p in sources if posixpath.basename(p) == program.value]
    if named and not any(posixpath.dirname(p) in PATH for p in named):
        yield warning(
            f"'{program.value}' is not among the programs: a runtime built from build"
            f" '{build.name.value}' receives no artifact, and the build leaves it at {named[0]}",
            program.span,
            f"run it by its path ('{named[0]}'), or build the runtime from a runtime preset"
            f" so it receives the program at {setup.toolchain.artifact_dir}/{program.value}",
        )

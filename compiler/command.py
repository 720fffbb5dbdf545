"""The command a runtime runs when it names none: the one program it receives.

A runtime (or a test of one) with neither `cmd` nor `entrypoint`, once written out from
the runtime it is `from`, runs the program it receives when that is clear:

- its base is a plain runtime preset, with no program of its own to run: no interpreter
  (`python`, `node`, `distroless java`…) and no server (`nginx`'s CMD runs nginx);
- it receives exactly one program: one file landing in a `PATH` folder (`/usr/local/bin`…),
  an artifact of a toolchain that builds programs (go, rust, c, cmake), a `copy` given
  that file's destination (`copy dist/app -> /usr/local/bin/app`) or a `file` written
  there (a script); files landing at the same path are one program;
- nothing else may land in a `PATH` folder: another toolchain's artifact or a copy into a
  folder there (`-> /usr/local/bin/`) could be a second program, so there is no default.

Then it gets `ENTRYPOINT ["NAME"]`, as if it said `entrypoint NAME`: `docker run IMAGE
ARGS` passes ARGS to the program. Otherwise it has no default (the image's own command,
if any, runs); `reason` says why, for `ship explain`.
"""

from __future__ import annotations

import posixpath

from . import model, presets
from .artifacts import PATH, shipped
from .errors import Diagnostic, warning
from .places import absolute, artifact_dest
from .record import replace
from .resolve import Setup, workdir_of

_GLOB = set("*?[")

# What `ship explain` says of an implied entrypoint.
IMPLIED = "the one program the runtime receives"
_OWN = "the image's own command runs"


def default_commands(ship: model.Ship, setups: dict[str, Setup]) -> model.Ship:
    """The model, with the implied entrypoint of every runtime that names no command and
    receives one program (see the module's docstring)."""
    builds = [s for s in ship.stages if s.kind == model.BUILD]
    stages = []
    for stage in ship.stages:
        program, _ = implied_program(stage, setups[stage.name.value], builds, setups)
        if program is not None:
            base = stage.base
            word = model.Text(program, base.span)
            entrypoint = model.Command((word,), base.span, implied=True)
            stage = replace(stage, entrypoint=entrypoint)
        stages.append(stage)
    return replace(ship, stages=tuple(stages))


def implied_program(
    stage: model.Stage, setup: Setup, builds: list[model.Stage], setups: dict[str, Setup]
) -> tuple[str | None, str]:
    """The program a stage runs by default, or None and why not ("" when the stage is no
    runtime or names its own command)."""
    if not (stage.kind == model.RUNTIME or stage.from_runtime):
        return None, ""
    if stage.cmd is not None or stage.entrypoint is not None:
        return None, ""
    runtime = setup.runtime
    if runtime is None or setup.from_stage is not None:
        return None, "ship knows no program of this base to run"
    if runtime.serves or (setup.variant and setup.variant.entrypoint):
        return None, _OWN
    if any(presets.CAPABILITIES[key].interpreter for key in setup.provides or {}):
        return None, "its base runs an interpreter: say what it runs with 'cmd'"
    programs, unknown = _programs(stage, setup, builds, setups)
    if unknown:
        return None, f"{unknown} may hold programs: say which one runs with 'entrypoint'"
    if len(programs) > 1:
        names = ", ".join(programs)
        return None, f"it receives {len(programs)} programs ({names}): say which one runs"
    if not programs:
        return None, "it receives no program"
    name = programs[0]
    if "$" in name:
        return None, f"the program's name '{name}' holds a reference, which exec form keeps"
    return name, IMPLIED


def _programs(
    stage: model.Stage, setup: Setup, builds: list[model.Stage], setups: dict[str, Setup]
) -> tuple[list[str], str]:
    """The programs the stage receives (the names it runs them by), and what else lands in
    a PATH folder that could be one ("" if nothing)."""
    workdir = workdir_of(stage, setup)
    programs: list[str] = []
    landed: set[str] = set()  # a file written again at the same path is the same program
    for build, artifacts, _ in shipped(stage, builds):
        built = setups[build.name.value]
        maker = bool(built.toolchain and built.toolchain.artifact_dir)
        for artifact in artifacts:
            dest = artifact_dest(build, built, artifact, workdir)
            if artifact.program is not None and dest.endswith("/"):
                # A `binary` line's program is one file: it lands in the folder by its name.
                dest += posixpath.basename(artifact.source.value)
            if not _in_path(dest):
                continue
            if not maker or not _one_file(dest, artifact.source.value):
                return programs, f"artifact '{artifact.source.value}'"
            if dest not in landed:
                landed.add(dest)
                programs.append(posixpath.basename(dest))
    for step in stage.steps:
        if not isinstance(step, model.Copy):
            continue
        if isinstance(step.origin, model.Inline) and step.dest is not None:  # `file`
            dest = absolute(step.dest.value, workdir)
            if _in_path(dest) and dest not in landed:
                landed.add(dest)
                programs.append(posixpath.basename(dest))
            continue
        if not step.sources:
            continue
        if step.dest is not None:
            dests = [absolute(step.dest.value, workdir) + ("/" * step.dest.value.endswith("/"))]
        else:
            dests = [absolute(s.value, workdir) for s in step.sources]
        if not any(_in_path(d) or d.rstrip("/") in PATH for d in dests):
            continue
        sources = [s.value for s in step.sources]
        if step.dest is None or len(sources) != 1 or not _one_file(dests[0], sources[0]):
            return programs, f"the copy of '{' '.join(sources)}'"
        if dests[0] not in landed:
            landed.add(dests[0])
            programs.append(posixpath.basename(dests[0]))
    return programs, ""


def _in_path(dest: str) -> bool:
    return posixpath.dirname(dest.rstrip("/")) in PATH or dest.rstrip("/") in PATH


def _one_file(dest: str, source: str) -> bool:
    """Whether a destination in a PATH folder is one file: a name there, not the folder
    itself, from a source that is no glob and no folder written with '/'."""
    return (
        not dest.endswith("/")
        and dest not in PATH
        and not _GLOB & set(source)
        and not source.endswith("/")
    )


def option_commands(ship: model.Ship, setups: dict[str, Setup]) -> list[Diagnostic]:
    """A runtime whose `cmd` starts with an option (`cmd --verbose`) and that has no
    entrypoint, its own or its base's: the container would run a program named so. Read
    on the runtimes written out, since one `from` a runtime whose entrypoint was implied
    gets none once it names a `cmd` (the implied one is decided for each runtime)."""
    builds = [s for s in ship.stages if s.kind == model.BUILD]
    found = []
    for stage in ship.stages:
        setup = setups[stage.name.value]
        if stage.kind != model.RUNTIME or stage.cmd is None or stage.entrypoint is not None:
            continue
        if setup.runtime is None or setup.from_stage is not None:  # an image: its own, unknown
            continue
        if setup.variant and setup.variant.entrypoint:  # the interpreter takes the options
            continue
        # An interpreter's image may run it for options (node's docker-entrypoint.sh does);
        # a server's image, its own entrypoint script.
        interpreter = any(presets.CAPABILITIES[k].interpreter for k in setup.provides or {})
        if interpreter or setup.runtime.serves:
            continue
        word = stage.cmd.argv[0]
        if not word.value.startswith("-"):
            continue
        program, _ = implied_program(replace(stage, cmd=None), setup, builds, setups)
        hint = (
            f"write 'entrypoint {program}' beside it: a runtime that names a 'cmd' gets no"
            " implied entrypoint"
            if program is not None
            else "write 'entrypoint PROGRAM' beside it, or name the program first"
        )
        found.append(
            warning(
                f"'{word.value}' is an option, not a program, and runtime"
                f" '{stage.name.value}' has no entrypoint: its container would run a program"
                f" named '{word.value}'",
                word.span,
                hint,
            )
        )
    return found


def missing_commands(ship: model.Ship, setups: dict[str, Setup]) -> list[Diagnostic]:
    """A runtime on a base with no shell and no command of its own (scratch, distroless
    static, chiseled) that names no command and has none implied: its container would not
    start without one given to `docker run`. On a base with a shell (alpine, debian…), a
    runtime that receives programs but none it runs by default (several, or a folder that
    may hold some): its container would run the base's shell, which exits at once."""
    builds = [s for s in ship.stages if s.kind == model.BUILD]
    found = []
    for stage in ship.stages:
        setup = setups[stage.name.value]
        if stage.kind != model.RUNTIME or stage.cmd or stage.entrypoint:
            continue
        if setup.runtime is None or setup.from_stage is not None:  # an image: its own, unknown
            continue
        program, reason = implied_program(stage, setup, builds, setups)
        if program is not None or not reason or reason.startswith(_OWN):
            continue
        base = stage.base
        assert isinstance(base, model.Preset)
        head = " ".join(w.value for w in (base.name, *base.variants))
        if setup.shell:
            found.extend(_runs_a_shell(stage, setup, builds, setups, head, reason))
            continue
        found.append(
            warning(
                f"runtime '{stage.name.value}' runs nothing: '{head}' has no command of its"
                f" own, and {reason.split(':')[0]}",
                base.span,
                "say what the container runs: 'entrypoint PROGRAM' (or 'cmd PROGRAM …')",
            )
        )
    return found



def _runs_a_shell(stage, setup, builds, setups, head: str, reason: str):
    """The warning for a runtime on a base with a shell that receives programs (several,
    or what may hold some) but runs none of them."""
    programs, unknown = _programs(stage, setup, builds, setups)
    if len(programs) < 2 and not unknown:
        return
    why = reason.partition(": say")[0]
    name = programs[0] if programs else "PROGRAM"
    yield warning(
        f"runtime '{stage.name.value}' names no command and {why}: its container would run"
        f" the command of the '{head}' image, a shell, which exits at once",
        stage.base.span,
        f"say which one runs: 'entrypoint {name}' (or 'cmd {name} …'), or give each runtime"
        " the one program it runs with 'ships'",
    )

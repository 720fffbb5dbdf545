"""How a cross build readies its toolchain for each declared platform (the toolchain's
`cross` entry with `targets`: Rust, CMake): the cross packages and their install per
platform, the commands that name the platform's target, where its output lands, the
checks that keep one platform's program out of another's image, and the guard of output
caches that every platform's build shares. `platforms.py` decides which stages cross."""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator

from . import model, presets, shell
from .errors import Diagnostic, error, warning
from .places import absolute
from .platforms import cross_compiles
from .resolve import Setup, build_installer, build_packages, workdir_of


def _targets(setup: Setup, ship: model.Ship) -> list[presets.CrossTarget]:
    assert setup.toolchain is not None and setup.toolchain.cross is not None
    targets = setup.toolchain.cross.targets
    return [targets[p.value] for p in ship.platforms] if targets else []


def cross_packages(stage: model.Stage, setup: Setup, ship: model.Ship) -> tuple[str, ...]:
    """The build machine's packages that build for every declared platform (cross linkers
    and C libraries), for a build that cross-compiles: one layer for all platforms."""
    if not cross_compiles(stage, setup, ship):
        return ()
    return tuple(sorted({name for t in _targets(setup, ship) for name in t.packages}))


def select_mounts(setup: Setup) -> tuple[tuple[str, str], ...]:
    """The caches (target, sharing) of the installer the select step may run."""
    installer = build_installer(setup)
    return presets.PACKAGE_INSTALLERS[installer].caches if installer else ()


def cross_prepare(setup: Setup, ship: model.Ship) -> tuple[str, ...]:
    """The commands that ready the toolchain for every declared platform (the same for all:
    their layer is shared)."""
    assert setup.toolchain is not None and setup.toolchain.cross is not None
    targets = sorted({(t.name, t.linker) for t in _targets(setup, ship)})
    names = " ".join(name for name, _ in targets)
    pairs = " ".join(f"{name} {linker}" for name, linker in targets)
    return tuple(line.format(targets=names, pairs=pairs) for line in setup.toolchain.cross.prepare)


def cross_select(stage: model.Stage, setup: Setup, ship: model.Ship) -> tuple[str, ...]:
    """The commands that tell the toolchain the platform being built: a `case` on
    TARGETPLATFORM over the declared platforms, which fails for any other. A platform's
    branch installs its cross packages (as the block's `packages` pins them) unless its
    linker is there: the build machine's own platform needs none, and has no cross
    packages of its own."""
    assert setup.toolchain is not None and setup.toolchain.cross is not None
    cross = setup.toolchain.cross
    if not cross.select:
        return ()
    pins = {name: word.value for name, word in build_packages(stage, setup).items() if word}
    declared = " ".join(p.value for p in ship.platforms)
    branches = []
    for platform in ship.platforms:
        target = cross.targets[platform.value]
        branch = f"{platform.value}) target={target.name}"
        if target.packages and cross.install is not None:
            names = " ".join(shlex.quote(pins.get(n, n)) for n in target.packages)
            install = cross.install.format(packages=names)
            branch += f"; command -v {target.linker} >/dev/null || {{ {install}; }}"
        branches.append(branch + " ;;")
    branches.append(
        f'*) echo "no target for $TARGETPLATFORM: the .ship declares {declared}" >&2; exit 1 ;;'
    )
    lines: list[str] = []
    for line in cross.select:
        lines.extend(branches if line == "{cases}" else [line])
    return tuple(lines)


def lifted_source(setup: Setup, source: str, workdir: str) -> str | None:
    """The shell word for where a cross build leaves an artifact written under the
    toolchain's output folder (`target/release/x` is at `target/<target>/release/x`),
    None for an artifact elsewhere. (One written under a target's folder is refused by
    `cross_checks`.)"""
    cross = setup.toolchain.cross if setup.toolchain else None
    if cross is None or cross.output_dir is None or cross.target_file is None:
        return None
    output = posixpath.join(workdir, cross.output_dir)
    rest = posixpath.relpath(source, output)
    if rest == "." or rest.startswith("../") or "/" not in rest:
        return None
    where = f'"$(cat {cross.target_file})"'
    return f"{shell.quote(output + '/')}{where}/{shell.glob(rest)}"


def build_setup(setup: Setup) -> str | None:
    """The command that points a cross build's toolchain back at the build machine, for a
    test built from it, where ENV cannot (a setting the build wrote to a file)."""
    cross = setup.toolchain.cross if setup.toolchain else None
    return cross.build_setup if cross is not None else None


def cross_checks(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """A cross build leaves each platform's output in the target's folder and tells the
    toolchain the target itself: an artifact written in one target's folder, or a run
    line that names a target, would put one platform's program in every platform's image."""
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        if setup is None or not cross_compiles(stage, setup, ship):
            continue
        assert setup.toolchain is not None and setup.toolchain.cross is not None
        cross = setup.toolchain.cross
        names = {t.name for t in cross.targets.values()}
        workdir = workdir_of(stage, setup)
        for artifact in stage.artifacts if cross.output_dir else ():
            output = posixpath.join(workdir, cross.output_dir or "")
            rest = posixpath.relpath(absolute(artifact.source.value, workdir), output)
            first, _, after = rest.partition("/")
            if first in names and after:
                yield error(
                    f"'{artifact.source.value}' is the output of one platform ({first}),"
                    " in every platform's image",
                    artifact.source.span,
                    f"write 'artifact {posixpath.join(cross.output_dir or '', after)}': each"
                    " platform's build takes it from its own target's folder",
                )
        flag = (
            re.compile(rf"(?:^|\s){re.escape(cross.target_flag)}(?:[=\s]|$)")
            if (cross.target_flag)
            else None
        )
        yield from _fixed_target_env(stage, cross, ship)
        # `GOARCH=arm64 go build`: a run line that sets the target itself (a reference, as
        # `GOARCH=$TARGETARCH`, still follows the platform being built).
        for step in stage.steps:
            found = _fixed_target(step, cross, ship) if isinstance(step, model.Run) else None
            if found is not None:
                yield error(
                    f"'{found.group(0)}' in a build for the declared platforms: every platform"
                    " would get that platform's program",
                    step.span,
                    f"drop '{found.group(0)}': ship sets {found.group(1)} for the platform being"
                    " built"
                    + (
                        f" (a program the build runs itself is the build machine's:"
                        f" {found.group(1)}={machine})"
                        if (machine := dict(cross.build_env).get(found.group(1)))
                        else ""
                    ),
                )
            if isinstance(step, model.Run):
                yield from _runs_built(step, cross, stage)
            if flag and isinstance(step, model.Run) and flag.search(" ".join(step.lines)):
                yield error(
                    f"'{cross.target_flag}' in a build for the declared platforms: every"
                    " platform would get that target's program",
                    step.span,
                    f"drop '{cross.target_flag} …': ship sets the target of the platform"
                    " being built",
                )


def _fixed_target_env(stage: model.Stage, cross, ship: model.Ship) -> Iterator[Diagnostic]:
    """`env GOARCH=arm64` in a cross build: ship's ENV for the platform being built
    (`GOARCH=${TARGETARCH}`) would set it again over the user's, silently; as on a run line,
    a value that is not the same for every declared platform is an error."""
    templates = dict(cross.env)
    for pair in stage.env:
        key, value = pair.key.value, pair.value.value
        if key not in templates or value.startswith("$"):
            continue
        if {_target_value(templates[key], p.value) for p in ship.platforms} != {value}:
            yield error(
                f"'env {key}={value}' in a build for the declared platforms: ship sets {key}"
                " for the platform being built, which would override it",
                pair.span,
                f"drop it: each platform's build gets its own {key} (to build for one"
                " platform, declare only that one in 'platforms')",
            )


def foreign_system_checks(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """`env GOOS=darwin` in a build without `platforms`: its programs are for another
    system than the Linux images every runtime is, shipped silently (with `platforms` the
    setting is `cross_checks`'s)."""
    if ship.platforms:
        return
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        cross = setup.toolchain.cross if setup and setup.toolchain else None
        if cross is None or stage.kind != model.BUILD or not stage.artifacts:
            continue
        systems = {key for key, template in cross.env if template == "${TARGETOS}"}
        arches = {key for key, template in cross.env if template == "${TARGETARCH}"}
        for pair in stage.env:
            key, value = pair.key.value, pair.value.value
            if key in arches and "$" not in value:
                yield warning(
                    f"'{key}={value}' builds the programs for {value} whatever machine builds"
                    " the image, and the runtime's image is that machine's platform: on any"
                    f" other than {value} they fail with 'exec format error'",
                    pair.span,
                    f"declare the platform instead: 'platforms linux/{value}' (ship sets"
                    f" {key} for it), or drop it",
                )
            if key in systems and "$" not in value and value != "linux":
                yield error(
                    f"'{key}={value}' builds the programs for {value}, but every runtime is a"
                    " Linux image: they would not run there",
                    pair.span,
                    f"drop it: a runtime runs Linux programs, which the build makes ({key} is"
                    " linux in its image)",
                )


def _runs_built(run: model.Run, cross, stage: model.Stage) -> Iterator[Diagnostic]:
    """A run line of a cross build that builds for the target and runs what it built
    (`go test`, `cargo run`): on the build machine, which is not every target."""
    text = "\n".join(run.lines)
    # `GOARCH=$BUILDARCH go generate`: the line builds for the build machine itself.
    machine = [rf"\b{re.escape(key)}=[\"']?\$\{{?BUILD" for key, _ in cross.build_env]
    if any(re.search(pattern, text) for pattern in machine):
        return
    for entry in cross.runs_built:
        found = re.search(runs_built_pattern(entry), text, re.MULTILINE)
        if found is None:
            continue
        command = " ".join(found.group("command").split())
        test = f"a test of the build ('test from {stage.name.value} {{ run … }}')"
        setting = " ".join(
            f"{key}={value.replace('{', '').replace('}', '')}" for key, value in cross.build_env
        )
        yield warning(
            f"'{command}' in a build that cross-compiles for the declared platforms: it"
            " builds for the platform being built and runs that on the build machine, which"
            " fails ('exec format error') for every other platform",
            run.span,
            f"build it for the build machine: '{setting} {command} …' (or run it in {test})"
            if setting and not command.endswith(("test", "bench"))
            else f"run it in {test}, which builds for the machine it runs on",
        )
        return


def runs_built_pattern(entry: str) -> str:
    """A toolchain's `runs_built` entry (`go test !-c`) as a pattern of a run line: the
    command where a command starts (at the line's start, after `&&`, `;`, `|`, `(`, `{`,
    `then`, `do`, `else` or an assignment, `CGO_ENABLED=1 go test`), without the option
    that makes it only build anywhere before the command ends; `command`: its words."""
    words, _, option = entry.partition(" !")
    command = r"\s+".join(re.escape(w) for w in words.split())
    unless = rf"(?![^;&|\n]*\s{re.escape(option)}(?:[\s=]|$))" if option else ""
    start = r"(?:^|[;&|({]\s*|\b(?:then|do|else)\s+|\w=\S*\s+)(?:exec\s+)?"
    return rf"{start}(?P<command>{command}\b{unless})"


def _fixed_target(run: model.Run, cross, ship: model.Ship) -> re.Match | None:
    """`GOARCH=arm64` on a run line of a cross build: a setting of the toolchain's target
    (its cross env) to a value that is not the same for every declared platform (`GOOS=linux`
    is). A reference (`GOARCH=$TARGETARCH`) follows the platform being built."""
    keys = "|".join(re.escape(key) for key, _ in cross.env)
    if not keys:
        return None
    templates = dict(cross.env)
    pattern = re.compile(rf"(?<![\w$])({keys})=(?![\"']?\$)([^\s;&|]*)")
    for found in pattern.finditer(" ".join(run.lines)):
        value = found.group(2).strip("\"'")
        same = {_target_value(templates[found.group(1)], p.value) for p in ship.platforms}
        if same != {value}:
            return found
    return None


def _target_value(template: str, platform: str) -> str:
    """A cross env template (`${TARGETARCH}`) for one platform (`linux/arm/v7`)."""
    system, arch, *variant = platform.split("/")
    values = {"TARGETOS": system, "TARGETARCH": arch, "TARGETVARIANT": "".join(variant)}
    for name, value in values.items():
        template = template.replace(f"${{{name}}}", value)
    return template


# The file in an output cache that names the platform whose output it holds.
OUTPUT_MARK = ".ship-platform"


def guarded_outputs(stage: model.Stage, setup: Setup, ship: model.Ship) -> tuple[str, ...]:
    """The output caches (absolute) of a stage whose toolchain does not keep each
    platform's output apart itself (CMake's `build`: CMake keeps the compiler of its first
    configure and make judges by file dates, so it would link one platform's objects into
    another's program). Every build of the app mounts them under one id, whatever the
    platform (Docker 20.10 expands no variable in a mount's id), with or without
    `platforms`: each is locked, and emptied when another kind of build filled it
    (`output_guard`)."""
    toolchain = setup.toolchain
    if toolchain is None or toolchain.outputs_by_platform:
        return ()
    workdir = workdir_of(stage, setup)
    return tuple(absolute(p, workdir) for p in toolchain.output_caches)


def output_key(cross: bool, native: bool) -> str:
    """What an output cache's mark says filled it: the target platform; a cross build's
    target and build machine (its compilers are others than the target's own); the build
    machine, for a test of a cross build (its own compilers, after the cross ones)."""
    if cross:
        return "cross $BUILDPLATFORM $TARGETPLATFORM"
    return "cross $BUILDPLATFORM" if native else "$TARGETPLATFORM"


def output_guard(path: str, key: str) -> str:
    """The command that empties an output cache that another kind of build filled (its
    mark is not `key`), and marks it."""
    where = shell.quote(path)
    mark = f"{where}/{OUTPUT_MARK}"
    return (
        f'if [ "$(cat {mark} 2>/dev/null)" != "{key}" ]; then'
        f' rm -rf {where}/* {where}/.[!.]* && echo "{key}" > {mark}; fi'
    )

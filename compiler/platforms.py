"""Target platforms: BuildKit's platform args, the `platforms` declaration, and which build
stages run on the build machine to cross-compile (their toolchain's `cross` entry says how;
`crossbuild.py` readies a toolchain that needs more than ENV for it).

Without `platforms`, every stage runs on the platform being built (`docker build
--platform`), emulated if it is not the machine's own: nothing here applies.
"""

from __future__ import annotations

import posixpath
import re

from . import model, syntax
from .errors import did_you_mean, warning
from .reading import Reader
from .resolve import Setup
from .values import Values

# The args BuildKit sets for every build (https://docs.docker.com/build/building/variables/):
# a stage reads one only after a bare `ARG NAME`, and a default would replace its value.
PREDEFINED = frozenset(
    {
        "BUILDPLATFORM",
        "BUILDOS",
        "BUILDARCH",
        "BUILDVARIANT",
        "TARGETPLATFORM",
        "TARGETOS",
        "TARGETARCH",
        "TARGETVARIANT",
    }
)

# What follows FROM --platform= for a stage that builds on the build machine.
BUILD_PLATFORM = "$BUILDPLATFORM"

# `os/arch[/variant]`, as `docker build --platform` takes them.
OPERATING_SYSTEMS = ("linux",)
ARCHITECTURES = ("amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", "mips64le")
PLATFORM = re.compile(r"([a-z0-9]+)/([a-z0-9_]+)(?:/(v[0-9]+))?")


def predefined_arg(values: Values, name: str, default: bool, word: model.Text) -> None:
    """`arg TARGETARCH`: BuildKit sets it, and ship declares it where it is read."""
    if default:
        values.fail(
            f"BuildKit sets '{name}' for every build: a default would replace its value",
            word.span,
            f"drop '{word.value}': ${{{name}}} is read anywhere without an 'arg'; choose the"
            " platform with 'docker build --platform'",
        )
    else:
        message = f"'{name}' needs no 'arg': BuildKit sets it, ship declares it where it is read"
        values.report(warning(message, word.span, "drop it"))


def read_platforms(read: Reader, item: syntax.Statement) -> list[model.Text]:
    """`platforms linux/amd64 linux/arm64`: the platforms the file builds for."""
    result: list[model.Text] = []
    for word in read.words(item, 1, None, "platforms OS/ARCH[/VARIANT] …"):
        if any(p.value == word.value for p in result):
            read.values.fail(f"platform '{word.value}' is listed twice", word.span)
        elif platform_word(read.values, word):
            result.append(word)
    return result


def platform_word(values: Values, word: model.Text) -> bool:
    """Whether the word is a platform ship builds for (`os/arch[/variant]`)."""
    match = PLATFORM.fullmatch(word.value)
    usage = "write OS/ARCH[/VARIANT], as 'docker build --platform' takes it: linux/arm64"
    if match is None:
        if "," in word.value:  # docker's --platform list, written here as one word
            usage = f"list platforms apart, with spaces: '{word.value.replace(',', ' ')}'"
        return values.fail(f"'{word.value}' is not a platform", word.span, usage)
    system, arch, _ = match.groups()
    if system not in OPERATING_SYSTEMS:
        hint = "ship's presets build Linux images: " + ", ".join(OPERATING_SYSTEMS)
        return values.fail(f"unknown operating system '{system}'", word.span, hint)
    if arch not in ARCHITECTURES:
        known = did_you_mean(arch, ARCHITECTURES)
        hint = "known: " + " ".join(ARCHITECTURES)
        return values.fail(f"unknown architecture '{arch}'{known}", word.span, hint)
    return True


def cross_compiles(stage: model.Stage, setup: Setup, ship: model.Ship) -> bool:
    """Whether a build stage runs on the build machine: the file declares platforms, the
    toolchain can cross-compile for each of them from its image, and no artifact holds
    code native to one platform."""
    if not ship.platforms or stage.kind != model.BUILD or setup.from_stage is not None:
        return False
    cross = setup.toolchain.cross if setup.toolchain else None
    if cross is None or why_native(setup, ship) is not None:
        return False
    shipped = {posixpath.basename(a.source.value.rstrip("/")) for a in stage.artifacts}
    return not shipped & set(cross.native)


def why_native(setup: Setup, ship: model.Ship) -> str | None:
    """Why a toolchain that cross-compiles cannot for this file's platforms from this
    image (its build then stays on the target platform), None if it can."""
    cross = setup.toolchain.cross if setup.toolchain else None
    if cross is None or not cross.targets:
        return None
    libc = (setup.variant.provides.get("libc") if setup.variant else None) or (
        setup.toolchain.libc if setup.toolchain else None
    )
    if libc not in cross.libcs:
        return f"no cross linker for {libc} in the image's packages"
    version = (setup.version or "").split("-")[0]
    if cross.versions and version not in cross.versions:
        return cross.versions_why
    missing = [p.value for p in ship.platforms if p.value not in cross.targets]
    if missing:
        return f"no target for {' '.join(missing)}"
    return None


def cross_env(setup: Setup) -> tuple[tuple[str, str], ...]:
    """The ENV pairs that hand the target platform to a cross-compiling toolchain."""
    assert setup.toolchain is not None and setup.toolchain.cross is not None
    return setup.toolchain.cross.env


def build_env(setup: Setup) -> tuple[tuple[str, str], ...]:
    """The ENV pairs that point a cross build's toolchain back at the build machine, for a
    test built from it: its test binaries must run where it runs."""
    cross = setup.toolchain.cross if setup.toolchain else None
    return cross.build_env if cross is not None else ()


def cross_setup(setup: Setup, ship: model.Ship) -> str | None:
    """The toolchain's command for platform variants, when a declared platform has one."""
    assert setup.toolchain is not None and setup.toolchain.cross is not None
    variants = any(p.value.count("/") == 2 for p in ship.platforms)
    return setup.toolchain.cross.variant_setup if variants else None


def header(ship: model.Ship) -> tuple[str, ...]:
    """The header line that says how to build the declared platforms."""
    if not ship.platforms:
        return ()
    names = ",".join(p.value for p in ship.platforms)
    return (f"Platforms: docker buildx build --platform {names} .",)


def describe(stage: model.Stage, setup: Setup, ship: model.Ship) -> str | None:
    """Where a build stage of a file with `platforms` runs, and how it builds for the
    target (`ship explain`); None for a file without `platforms` or a runtime."""
    if not ship.platforms or stage.kind != model.BUILD or setup.from_stage is not None:
        return None
    if cross_compiles(stage, setup, ship):
        assert setup.toolchain is not None and setup.toolchain.cross is not None
        cross = setup.toolchain.cross
        how = [f"ENV {' '.join(f'{k}={v}' for k, v in cross.env)}"] if cross.env else []
        if cross.targets:
            named = ", ".join(f"{p.value} {cross.targets[p.value].name}" for p in ship.platforms)
            how.append(f"the target of each platform ({named})")
        moved = (
            f"; artifacts in {cross.output_dir}/ taken from {cross.output_dir}/TARGET/"
            if (cross.output_dir)
            else ""
        )
        told = f", told {'; '.join(how)}" if how else ""
        return f"the build machine ($BUILDPLATFORM){told}{moved}"
    cross = setup.toolchain.cross if setup.toolchain else None
    if cross is None:
        why = "the toolchain does not cross-compile"
    else:
        why = why_native(setup, ship) or "it ships code native to one platform"
    return f"the target platform, emulated on another machine ({why})"

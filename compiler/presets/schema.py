"""The shapes of preset entries; the entries themselves are in toolchains.py and runtimes.py."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

# Shells that make a failing command in a pipe fail the RUN (hadolint DL4006).
BASH_PIPEFAIL = ("/bin/bash", "-o", "pipefail", "-c")
ASH_PIPEFAIL = ("/bin/ash", "-eo", "pipefail", "-c")

NONROOT = "65532:65532"

# A need met by any value of its capability: "some PHP", whatever its version.
ANY = "*"


@dataclasses.dataclass(frozen=True)
class Capability:
    """A key of `needs`/`provides`: how a value reads in a message, the words for none,
    and the fix a mismatch suggests."""

    words: str  # a template for a value: "Python {}"
    none: str
    hint: str
    names: Mapping[str, str] = dataclasses.field(default_factory=dict)  # value -> words
    # An interpreter: an image that provides it runs programs ship does not see (a script's
    # `cmd` need not be an artifact).
    interpreter: bool = False

    def say(self, value: str | None) -> str:
        if value == ANY:
            return self.words.format("").strip()
        return self.words.format(self.names.get(value, value)) if value else self.none

    @staticmethod
    def met(wanted: str, provided: str | None) -> bool:
        """Whether a runtime's value meets a need."""
        return provided is not None if wanted == ANY else provided == wanted


@dataclasses.dataclass(frozen=True)
class Variant:
    """A word after a preset's version that changes its image or what it provides."""

    suffix: str = ""
    image: str | None = None
    default_version: str | None = None
    provides: Mapping[str, str] = dataclasses.field(default_factory=dict)
    shell: tuple[str, ...] | None = None
    packages: str | None = None


@dataclasses.dataclass(frozen=True)
class Manager:
    """A dependency manager: the manifests that pin dependencies and how to install them."""

    manifests: tuple[str, ...] = ()  # a trailing "?" marks a manifest that may be absent
    install: str | None = None
    caches: tuple[str, ...] = ()
    setup: str | None = None  # a command run once, before the manifests are copied
    setup_caches: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    runtime_env: tuple[tuple[str, str], ...] = ()
    artifacts: tuple[str, ...] = ()  # paths every runtime gets, at the same place
    needs: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Cross:
    """How a toolchain builds for a platform other than the one it runs on. A build stage of
    a file that declares `platforms` then runs on the build machine (`FROM
    --platform=$BUILDPLATFORM`) with the target handed to the toolchain's own settings."""

    # ENV pairs that read BuildKit's target args (`GOARCH=${TARGETARCH}`).
    env: tuple[tuple[str, str], ...] = ()
    # A shell command run once before the manifests, only when a declared platform has a
    # variant (`linux/arm/v7`): what ENV cannot say (Go's GOARM is `7`, not `v7`).
    variant_setup: str | None = None
    # Artifacts with these names hold code for one platform (node_modules with native
    # add-ons): a build shipping one stays on the target platform.
    native: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Toolchain:
    """A language toolchain for build stages."""

    image: str  # template with {version} and {suffix}
    default_version: str
    workdir: str
    managers: Mapping[str, Manager]
    default_manager: str
    variants: Mapping[str, Variant] = dataclasses.field(default_factory=dict)
    variant_required: bool = False
    caches: tuple[str, ...] = ()  # relative paths are under the stage's workdir
    env: tuple[tuple[str, str], ...] = ()
    links: str = "dynamic"  # "static": artifacts need no C library; "dynamic": the image's
    libc: str = "glibc"
    needs: Mapping[str, str] = dataclasses.field(default_factory=dict)  # templates
    # If set, `needs` applies only to builds shipping an artifact with one of these names
    # (a Node build that ships only static assets needs no Node.js to run).
    needs_only_with: tuple[str, ...] = ()
    artifact_dir: str | None = None  # where artifacts land by default; None: same path
    shell: tuple[str, ...] = BASH_PIPEFAIL
    links_when_env: Mapping[str, str] = dataclasses.field(default_factory=dict)
    image_env: tuple[str, ...] = ()  # variables the image itself sets (a ${NAME} may read them)
    cross: Cross | None = None  # None: builds run on the target platform (emulated)


@dataclasses.dataclass(frozen=True)
class PackageInstaller:
    """How a runtime installs OS packages: commands (run as one RUN) and the caches they use."""

    commands: tuple[str, ...]  # {packages} is replaced by the sorted package list
    caches: tuple[tuple[str, str], ...] = ()  # (target, sharing)


@dataclasses.dataclass(frozen=True)
class ExtensionInstaller:
    """How a runtime adds extensions to its language (PHP's): commands run in the RUN of
    its packages. {names} is the extensions' names, {pairs} each `pair` of a versioned one."""

    bundled: tuple[str, ...]  # for NAME: built from the sources the image has
    versioned: tuple[str, ...]  # for NAME=VERSION: fetched from the language's registry
    pair: str  # {name} and {version}


@dataclasses.dataclass(frozen=True)
class Runtime:
    """A base for runtime stages."""

    image: str  # template with {version} and {suffix}
    default_version: str | None = None
    variants: Mapping[str, Variant] = dataclasses.field(default_factory=dict)
    variant_required: bool = False
    managers: Mapping[str, Manager] = dataclasses.field(
        default_factory=dict
    )  # none: uniform with Toolchain
    provides: Mapping[str, str] = dataclasses.field(default_factory=dict)
    shell: tuple[str, ...] | None = None  # None: the image has no shell
    packages: str | None = None  # a key of PACKAGE_INSTALLERS
    extensions: ExtensionInstaller | None = None
    user: str = NONROOT
    workdir: str = "/app"
    image_env: tuple[str, ...] = ()  # variables the image itself sets (a ${NAME} may read them)


def version_parts(version: str) -> dict[str, str]:
    """`{version}`, `{major}` and `{minor}` (major.minor) for filling templates."""
    parts = version.split(".")
    return {"version": version, "major": parts[0], "minor": ".".join(parts[:2])}


def fill(template: str, version: str, suffix: str = "") -> str:
    return template.format(suffix=suffix, **version_parts(version))

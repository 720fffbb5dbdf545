"""Toolchains and runtimes as data: adding one is adding an entry to a table, never a branch.

A preset names an image template, a default version and the variants that may follow the
version (`node 20 slim pnpm`). What an artifact needs at run time and what a runtime provides
are small dictionaries with the same keys (`libc`, `python`, `node`, …), so whether an
artifact can run on a runtime is a comparison of two dictionaries (see `check.py`).
"""

from __future__ import annotations

from .capabilities import CAPABILITIES
from .runtimes import FAMILIES, PACKAGE_INSTALLERS, RUNTIMES
from .schema import (
    ANY,
    ASH_PIPEFAIL,
    BASH_PIPEFAIL,
    FLAVOUR,
    NONROOT,
    RELEASE,
    Binary,
    Capability,
    Cross,
    CrossTarget,
    ExtensionInstaller,
    Family,
    Manager,
    PackageInstaller,
    Runtime,
    Toolchain,
    Variant,
    chosen,
    combinations,
    combine,
    fill,
    version_parts,
)
from .toolchains import TOOLCHAINS

# Every variable a preset sets in a stage: a `${NAME}` may read them without declaring them.
ENV_NAMES = frozenset(
    key
    for toolchain in TOOLCHAINS.values()
    for env in (toolchain.env, *(m.env + m.runtime_env for m in toolchain.managers.values()))
    for key, _ in env
)

# Every variable a `${NAME}` may read without declaring it: what every image has, what each
# preset's image sets, and what the presets set themselves.
# What every image has in its config, where Docker reads the values it expands (BuildKit
# gives PATH to an image without one). HOME and HOSTNAME are not there: a shell or the
# container's runtime sets them, so Docker expands them to nothing.
COMMON_ENV = frozenset({"PATH"})
# Set when a command runs, not in the image: a `run` line or a shell started by `cmd`
# reads them, a value Docker expands does not.
RUN_TIME_ENV = frozenset({"HOME", "HOSTNAME"})

IMAGE_ENV = (
    COMMON_ENV
    | {name for table in (TOOLCHAINS, RUNTIMES) for p in table.values() for name in p.image_env}
    | ENV_NAMES
)

__all__ = [
    "ANY",
    "ASH_PIPEFAIL",
    "Binary",
    "COMMON_ENV",
    "RUN_TIME_ENV",
    "BASH_PIPEFAIL",
    "CAPABILITIES",
    "Capability",
    "Cross",
    "CrossTarget",
    "ENV_NAMES",
    "ExtensionInstaller",
    "FAMILIES",
    "Family",
    "FLAVOUR",
    "IMAGE_ENV",
    "NONROOT",
    "Manager",
    "PACKAGE_INSTALLERS",
    "PackageInstaller",
    "RELEASE",
    "RUNTIMES",
    "Runtime",
    "TOOLCHAINS",
    "Toolchain",
    "Variant",
    "chosen",
    "combinations",
    "combine",
    "fill",
    "version_parts",
]

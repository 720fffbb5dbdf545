"""Toolchains and runtimes as data: adding one is adding an entry to a table, never a branch.

A preset names an image template, a default version and the variants that may follow the
version (`node 20 slim pnpm`). What an artifact needs at run time and what a runtime provides
are small dictionaries with the same keys (`libc`, `python`, `node`, …), so whether an
artifact can run on a runtime is a comparison of two dictionaries (see `check.py`).
"""

from __future__ import annotations

from .runtimes import PACKAGE_INSTALLERS, RUNTIMES
from .schema import (
    ASH_PIPEFAIL,
    BASH_PIPEFAIL,
    NONROOT,
    Manager,
    PackageInstaller,
    Runtime,
    Toolchain,
    Variant,
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

__all__ = [
    "ASH_PIPEFAIL",
    "BASH_PIPEFAIL",
    "ENV_NAMES",
    "NONROOT",
    "Manager",
    "PACKAGE_INSTALLERS",
    "PackageInstaller",
    "RUNTIMES",
    "Runtime",
    "TOOLCHAINS",
    "Toolchain",
    "Variant",
    "fill",
    "version_parts",
]

"""Checks on the OS packages a build installs: its toolchain's own (`cmake`: cmake, g++,
make) and the block's `packages`. A build needs a way to install them (a toolchain whose
image ship knows), and every package should be pinned for a reproducible image. A `run`
line that installs packages itself, where `packages` could, is worth a word."""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import crossbuild, model
from .errors import Diagnostic, error, warning
from .resolve import Setup, build_installer, build_packages


def build_package_checks(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    for stage in (s for s in ship.stages if s.kind == model.BUILD):
        setup = setups.get(stage.name.value)
        if setup is None:
            continue
        if stage.packages and build_installer(setup) is None:
            yield error(
                "cannot install packages here: ship does not know how this build's image"
                " installs them",
                stage.packages[0].span,
                "use 'run apt-get …' or 'run apk add …' yourself, or build on a toolchain preset",
            )
            continue
        unpinned = [name for name, word in build_packages(stage, setup).items() if word is None]
        pinned = {word.value.partition("=")[0] for word in stage.packages}
        cross = [n for n in crossbuild.cross_packages(stage, setup, ship) if n not in pinned]
        if cross:
            assert isinstance(stage.base, model.Preset)
            pins = " ".join(f"{name}=VERSION" for name in cross)
            yield warning(
                f"'{stage.base.name.value}' installs the cross tools of the declared"
                f" platforms, {', '.join(cross)}, from the distribution, not pinned to a version",
                stage.base.name.span,
                f"pin them for reproducible images: 'packages {pins}' (a platform's are"
                " installed only when the build machine is another platform)",
            )
        if unpinned:
            assert isinstance(stage.base, model.Preset)
            pins = " ".join(f"{name}=VERSION" for name in unpinned)
            yield warning(
                f"'{stage.base.name.value}' installs {', '.join(unpinned)} from the"
                " distribution, not pinned to a version",
                stage.base.name.span,
                f"pin them for reproducible images: 'packages {pins}'",
            )
        for word in stage.packages:
            if "=" not in word.value:
                yield warning(
                    f"package '{word.value}' is not pinned to a version",
                    word.span,
                    f"write '{word.value}=VERSION' for reproducible images",
                )


# The package managers' install commands, as a run line writes them (options between).
_BY_HAND = {
    "apt": re.compile(r"(?<![\w./-])(?:apt-get|apt)\s+(?:-\S+\s+)*install(?![\w-])"),
    "apk": re.compile(r"(?<![\w./-])apk\s+(?:-\S+\s+)*add(?![\w-])"),
}


def installed_by_hand(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """A `run` line that installs OS packages in a stage whose installer ship knows: its
    `packages` line does it in one cached, cleaned-up RUN and warns of unpinned ones."""
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        pattern = _BY_HAND.get(setup.packages) if setup is not None and setup.packages else None
        runs = (s for s in stage.steps if isinstance(s, model.Run)) if pattern else ()
        for run in runs:
            found = next((m for line in run.lines if (m := pattern.search(line))), None)
            if found is not None:
                yield warning(
                    f"this run line installs OS packages ('{found.group()}'), which a"
                    f" 'packages' line does for this {stage.kind}",
                    run.span,
                    "write 'packages NAME=VERSION …': one RUN, the package index kept out of"
                    " the image, each package pinned (see docs/language.md#packages)",
                )

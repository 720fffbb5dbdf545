"""Checks on a build's dependency layer: a `deps` line that leaves out a manifest the
preset's install command reads (`deps requirements/prod.txt` with `pip install -r
requirements.txt`), which would fail the build at that command instead of here."""

from __future__ import annotations

from collections.abc import Iterator

from . import model
from .errors import Diagnostic, error
from .resolve import Setup

_GLOB = frozenset("*?[")


def manifest_checks(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """Each build whose `deps` leaves out a manifest its preset install reads, when the
    block does not write its own `install`."""
    for stage in ship.stages:
        setup = setups.get(stage.name.value)
        manager = setup.manager if setup is not None else None
        if stage.deps is None or not stage.deps or stage.install is not None or manager is None:
            continue  # the preset's list, 'deps none' (no install), or the block's install
        if not manager.install or any(_covers_all(d.value) for d in stage.deps):
            continue
        given = {d.value.removeprefix("./").rstrip("/") for d in stage.deps}
        # The manifests the install cannot do without (not `?`), each a name (a glob such as
        # .NET's `*.csproj` may be matched by a file in a folder: not judged here).
        needed = [
            m.rstrip("/") for m in manager.manifests if not m.endswith("?") and not _covers_all(m)
        ]
        missing = [m for m in needed if m not in given]
        if missing:
            names = " ".join(missing)
            yield error(
                f"'deps' leaves out {names}, which the preset's install step"
                f" ('{manager.install}') reads",
                stage.deps[0].span.to(stage.deps[-1].span),
                f"add {names} to 'deps', or write the install step that reads yours:"
                " 'install …'",
            )


def _covers_all(path: str) -> bool:
    """A `deps` path that may bring any manifest (the whole context, a glob, a reference),
    or one already refused (outside the context): then nothing more is said."""
    outside = path.startswith("/") or ".." in path.split("/")
    return path in (".", "./") or outside or any(c in _GLOB or c == "$" for c in path)

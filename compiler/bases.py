"""Checks on each stage's base: a preset head's words against its table (a version where
the image takes one, a flavour where one is needed, one variant per group, a digest on an
image), the default-version warning, and `family`, which only an `image` base may declare.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import model, presets
from .errors import Diagnostic, error, warning
from .resolve import Setup


def base_checks(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    yield from _presets(ship, setups)
    yield from _families(ship)


def _presets(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    """A preset head's words against its table: version, flavour, groups, digest."""
    seen: set[str] = set()
    for stage in ship.stages:
        base = stage.base
        duplicate = stage.name.value in seen  # its setup is the first stage's: say nothing
        seen.add(stage.name.value)
        if not isinstance(base, model.Preset):
            continue
        table = presets.RUNTIMES if stage.kind == "runtime" else presets.TOOLCHAINS
        preset = table.get(base.name.value)
        if preset is None:
            continue  # reported while reading
        yield from _variant_conflicts(base, preset)
        setup = None if duplicate else setups.get(stage.name.value)
        if base.version is not None and not _takes_version(preset, base):
            yield error(f"'{base.name.value}' takes no version", base.version.span)
        if base.digest is not None and _template(preset, base) in ("", "scratch"):
            yield error(f"'{base.name.value}' is no image, so it has no digest", base.digest.span)
        flavours = [n for n, v in preset.variants.items() if presets.FLAVOUR in v.groups]
        if preset.variant_required and not any(v.value in flavours for v in base.variants):
            yield error(
                f"'{base.name.value}' needs a flavour: {', '.join(flavours)}",
                base.span,
                f"for example 'runtime {base.name.value} {flavours[0]}'",
            )
        elif setup is not None and setup.defaulted_version:
            yield warning(
                f"no version given for '{base.name.value}': using {setup.version}",
                base.name.span,
                f"pin it: '{_pinned(base, preset, setup.version or '')}'",
            )
        if setup is not None and (too_old := _install_too_old(stage, setup)) is not None:
            yield too_old


def _install_too_old(stage: model.Stage, setup: Setup) -> Diagnostic | None:
    """A build on a version older than the one whose tool runs the manager's install step as
    the preset writes it (`deno install` before Deno 2), without an `install` of its own."""
    manager, version = setup.manager, setup.version or ""
    since = manager.install_since if manager is not None else None
    major = version.split(".")[0]
    if since is None or stage.install is not None or not major.isdigit() or int(major) >= since:
        return None
    assert isinstance(stage.base, model.Preset) and stage.base.version is not None
    assert setup.toolchain is not None
    name = stage.base.name.value
    return error(
        f"the {name} preset installs dependencies with '{manager.install}', which needs"
        f" {name} {since} or later, not {version}",
        stage.base.version.span,
        f"use {name} {since} or later ('{name} {setup.toolchain.default_version}'), or write"
        " the install step your version runs in the block ('install …')",
    )


def _pinned(base: model.Preset, preset, version: str) -> str:
    """The head with its version: a flavour (distroless nodejs) names the image, so it
    comes before the version; the other variants (and a release) after it."""
    words = sorted(
        (*base.variants, *([base.release] if base.release else [])), key=lambda w: w.span
    )
    first = [w.value for w in words if preset.variant_required and _flavour(preset, w.value)]
    rest = [w.value for w in words if w.value not in first]
    return " ".join([base.name.value, *first, version, *rest])


def _flavour(preset, word: str) -> bool:
    return word in preset.variants and presets.FLAVOUR in preset.variants[word].groups


def _template(preset, base: model.Preset) -> str:
    """The image template the head's variants choose ("" for none)."""
    variant = presets.combine(preset, [v.value for v in base.variants])
    return (variant.image if variant and variant.image else None) or preset.image


def _takes_version(preset, base: model.Preset) -> bool:
    template = _template(preset, base)
    return any(f"{{{part}}}" in template for part in ("version", "major", "minor"))


def _variant_conflicts(base: model.Preset, preset) -> Iterator[Diagnostic]:
    """At most one variant of each group (one flavour, one release), one manager; each
    word reported once (`alpine` is a flavour and a release)."""
    reported: set[model.Text] = set()
    for group in dict.fromkeys(g for v in preset.variants.values() for g in v.groups):
        chosen = [
            v
            for v in base.variants
            if v.value in preset.variants and group in preset.variants[v.value].groups
        ]
        if len(chosen) > 1 and not reported & set(chosen):
            reported.update(chosen)
            names = " and ".join(f"'{v.value}'" for v in chosen)
            yield error(
                f"{names} are both {group}s of '{base.name.value}': choose one", chosen[1].span
            )
    chosen = [v for v in base.variants if v.value in preset.managers]
    if len(chosen) > 1:
        names = " and ".join(f"'{v.value}'" for v in chosen)
        yield error(
            f"{names} are both dependency managers of '{base.name.value}': choose one",
            chosen[1].span,
        )


def _families(ship: model.Ship) -> Iterator[Diagnostic]:
    """`family` tells ship what an `image` base is; a preset or a stage knows it already."""
    for stage in ship.stages:
        if stage.family is None or isinstance(stage.base, model.Image):
            continue
        if isinstance(stage.base, model.FromStage):
            message = f"'family' belongs with the image: this {stage.kind} is built from a stage"
            hint = f"declare it in '{stage.base.stage.value}', or in the stage that has the image"
        else:
            message = f"'family' is for an 'image' base: the preset '{stage.base.name.value}'"
            message += " knows its own"
            hint = "remove it"
        yield error(message, stage.family.span, hint)

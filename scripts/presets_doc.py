#!/usr/bin/env python3
"""Write docs/presets.md from the preset tables (compiler/presets), so that the reference
lists exactly what the compiler knows: every toolchain with its managers and variants,
every runtime, family and package installer, the defaults, and what each artifact needs
from a runtime (the fit rules).

    python scripts/presets_doc.py           # rewrite docs/presets.md
    python scripts/presets_doc.py --check   # exit 1 if docs/presets.md is stale

tests/test_presets_doc.py fails when the file is stale. A field a preset sets that this
script has no column for is still listed, under its entry's "other settings", so a new
toolchain or a new kind of setting appears without a change here.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "presets.md"
COMMAND = "python scripts/presets_doc.py"


def _shipc():
    """The `shipc` package: installed (editable, pointing at this tree), else this tree's
    compiler/ loaded under that name."""
    try:
        import shipc
    except ImportError:
        spec = importlib.util.spec_from_file_location(
            "shipc", ROOT / "compiler" / "__init__.py", submodule_search_locations=[]
        )
        spec.submodule_search_locations.append(str(ROOT / "compiler"))
        shipc = importlib.util.module_from_spec(spec)
        sys.modules["shipc"] = shipc
        spec.loader.exec_module(shipc)
    return shipc


presets = importlib.import_module(f"{_shipc().__name__}.presets")
record = importlib.import_module(f"{_shipc().__name__}.record")

# The fields each table shows in columns; any other field a preset sets is listed after it.
_TOOLCHAIN_COLUMNS = ("image", "default_version", "default_variants", "workdir", "variants")
_TOOLCHAIN_COLUMNS += ("variant_required", "managers", "default_manager")
_RUNTIME_COLUMNS = ("image", "default_version", "default_variants", "variants", "provides")
_RUNTIME_COLUMNS += ("variant_required", "shell", "packages", "user", "workdir", "managers")


def render() -> str:
    """The whole of docs/presets.md."""
    return "\n".join(_document()) + "\n"


def _document() -> Iterator[str]:
    yield "# Presets"
    yield ""
    yield f"<!-- Generated from compiler/presets by `{COMMAND}`: do not edit by hand. -->"
    yield ""
    yield (
        "Every toolchain (for `build` blocks), runtime (for `runtime` blocks), variant,"
        " dependency manager and default that ship knows, as the compiler's tables have"
        " them. `{version}` is the version written (or the default), `{major}`/`{minor}`"
        " its leading numeric part's first one or two numbers (`3.12-slim` is 3.12),"
        " `{suffix}` the chosen variants' suffixes in the order the table lists them,"
        " `{release}` the word after a variant that takes one (`alpine 3.22`), other"
        " `{names}` a variant's values. See [language.md](language.md#bases) for how a"
        " head is read."
    )
    yield ""
    yield from _toolchains()
    yield from _runtimes()
    yield from _fit()
    yield from _families()
    yield from _installers()


def _toolchains() -> Iterator[str]:
    yield "## Toolchains"
    yield ""
    yield "| toolchain | image | default version | work dir | managers (default first) |"
    yield "|---|---|---|---|---|"
    for name, toolchain in presets.TOOLCHAINS.items():
        managers = [toolchain.default_manager]
        managers += [m for m in toolchain.managers if m != toolchain.default_manager]
        yield (
            f"| `{name}` | `{toolchain.image}` | {toolchain.default_version} |"
            f" `{toolchain.workdir}` | {', '.join(f'`{m}`' for m in managers)} |"
        )
    yield ""
    for name, toolchain in presets.TOOLCHAINS.items():
        yield f"### Toolchain `{name}`"
        yield ""
        yield from _variants(name, toolchain)
        yield from _others(toolchain, _TOOLCHAIN_COLUMNS)
        yield ""
        yield "| manager | set-up | manifests | install | cache mounts | other settings |"
        yield "|---|---|---|---|---|---|"
        for manager_name, manager in toolchain.managers.items():
            default = " (default)" if manager_name == toolchain.default_manager else ""
            manifests = [
                m[:-1] + " (optional)" if m.endswith("?") else m for m in manager.manifests
            ]
            rest = _settings(manager, ("manifests", "install", "setup", "caches")) or ""
            yield (
                f"| `{manager_name}`{default} | {_code(manager.setup)} |"
                f" {_codes(manifests) or 'none'} | {_code(manager.install) or 'none'} |"
                f" {_codes(manager.caches)} | {rest} |"
            )
        yield ""
        yield from _tags("build", name, toolchain, _manager_images(toolchain))


def _runtimes() -> Iterator[str]:
    yield "## Runtimes"
    yield ""
    yield "| runtime | image | default version | provides | shell | packages | user | work dir |"
    yield "|---|---|---|---|---|---|---|---|"
    for name, runtime in presets.RUNTIMES.items():
        shell = f"`{runtime.shell[0]}`" if runtime.shell else "none"
        yield (
            f"| `{name}` | `{runtime.image or '(by flavour)'}` | {runtime.default_version or ''} |"
            f" {_provides(runtime.provides)} | {shell} | {runtime.packages or 'none'} |"
            f" {runtime.user} | `{runtime.workdir}` |"
        )
    yield ""
    for name, runtime in presets.RUNTIMES.items():
        if not runtime.variants and not _settings(runtime, _RUNTIME_COLUMNS):
            continue
        yield f"### Runtime `{name}`"
        yield ""
        yield from _variants(name, runtime)
        yield from _others(runtime, _RUNTIME_COLUMNS)
        yield ""
        yield from _tags("runtime", name, runtime)


def _variants(name: str, preset) -> Iterator[str]:
    if not preset.variants:
        yield "No variants."
        return
    required = " A flavour must be chosen." if preset.variant_required else ""
    defaults = ", ".join(f"`{d}`" for d in preset.default_variants)
    default = f" Without a variant of its group, `{defaults}` is taken." if defaults else ""
    yield f"Variants (at most one of each group).{required}{default}"
    yield ""
    yield "| variant | group | suffix or image | provides | other settings |"
    yield "|---|---|---|---|---|"
    for variant_name, variant in preset.variants.items():
        shape = _code(variant.image) or _code(variant.suffix) or ""
        rest = _settings(variant, ("suffix", "image", "provides", "groups"))
        yield (
            f"| `{variant_name}` | {' and '.join(variant.groups)} | {shape} |"
            f" {_provides(variant.provides)} | {rest or ''} |"
        )


def _manager_images(toolchain) -> list[tuple[str, str]]:
    """(manager word, image template) for the default manager (no word) and each manager
    whose image is another: a manager with an image of its own (maven) chooses it."""
    def image(manager_name: str) -> str:
        return toolchain.managers[manager_name].image or toolchain.image

    default = image(toolchain.default_manager)
    others = [(m, image(m)) for m in toolchain.managers if image(m) != default]
    return [("", default), *dict.fromkeys(others)]


def _tags(kind: str, name: str, preset, images=None) -> Iterator[str]:
    """Each head the preset can be written with, and its image (default version); for a
    toolchain, with each manager word that chooses another image."""
    yield "| head | image |"
    yield "|---|---|"
    for word, template in images or [("", preset.image)]:
        yield from _heads(kind, name, record.replace(preset, image=template), word)
    yield ""


def _heads(kind: str, name: str, preset, manager: str) -> Iterator[str]:
    for names in presets.combinations(preset):
        if preset.variant_required and not any(
            presets.FLAVOUR in preset.variants[n].groups for n in names
        ):
            continue
        variant = presets.combine(preset, names)
        version = (variant and variant.default_version) or preset.default_version or ""
        template = (variant and variant.image) or preset.image
        values = variant.values if variant else {}
        suffix = variant.suffix if variant else ""
        image = presets.fill(template, version, suffix, **values)
        takes = any(f"{{{p}}}" in template for p in ("version", "major", "minor"))
        flavours = [n for n in names if presets.FLAVOUR in preset.variants[n].groups]
        rest = [n for n in names if n not in flavours]
        if preset.variant_required:  # a flavour names the image: it comes first
            words = [name, *flavours, *([version] if takes else []), *rest]
        else:
            words = [name, *([version] if takes else []), *names]
        words += [manager] if manager else []
        yield f"| `{kind} {' '.join(words)}` | `{image}` |"


def _fit() -> Iterator[str]:
    yield "## What artifacts need (fit rules)"
    yield ""
    yield (
        "A build's artifacts need what its toolchain, its manager and the way it links say;"
        " each runtime must provide the same value (`*`: any value; for a key compared"
        " 'or later', the same or a later version), or ship reports the first mismatch at"
        " the runtime. A need applies only when the build ships artifacts."
    )
    yield ""
    yield "| toolchain | links | needs | only when shipping | manager needs |"
    yield "|---|---|---|---|---|"
    for name, toolchain in presets.TOOLCHAINS.items():
        links = toolchain.links
        for assignment, result in toolchain.links_when_env.items():
            links += f"; {result} with `env {assignment}`"
        for shipped, result in toolchain.links_when_shipped.items():
            links += f"; {result} when shipping `{shipped}`"
        if toolchain.bundles_runtime:
            links += (
                "; dynamic, needing only the C library, when a `run` line bundles the runtime"
                " (self-contained; the libc of the runtime identifier it names)"
            )
        libc = f" (dynamic: the image's C library, {toolchain.libc} unless a variant says)"
        managers = "; ".join(
            f"`{m}`: {_provides(manager.needs)}"
            for m, manager in toolchain.managers.items()
            if manager.needs
        )
        yield (
            f"| `{name}` | {links}{libc if 'dynamic' in links else ''} |"
            f" {_provides(toolchain.needs) or 'nothing'} |"
            f" {_codes(toolchain.needs_only_with) or 'always'} | {managers} |"
        )
    yield ""
    yield "The keys, how a mismatch reads, and the fix it suggests:"
    yield ""
    yield "| key | reads | none | compared | hint |"
    yield "|---|---|---|---|---|"
    for key, capability in presets.CAPABILITIES.items():
        compared = "or later" if capability.at_least else "same"
        yield (
            f"| `{key}` | {capability.words} | {capability.none} | {compared} |"
            f" {capability.hint} |"
        )
    yield ""


def _families() -> Iterator[str]:
    yield "## Families of `image` bases"
    yield ""
    yield "What `family NAME` lets ship assume of an `image REF` base."
    yield ""
    yield "| family | shell | packages | provides |"
    yield "|---|---|---|---|"
    for name, family in presets.FAMILIES.items():
        shell = f"`{' '.join(family.shell)}`" if family.shell else "none"
        yield f"| `{name}` | {shell} | {family.packages or 'none'} | {_provides(family.provides)} |"
    yield ""


def _installers() -> Iterator[str]:
    yield "## Package installers"
    yield ""
    yield "How `packages` is installed (one RUN; `{packages}` is the sorted list)."
    yield ""
    yield "| installer | commands | cache mounts |"
    yield "|---|---|---|"
    for name, installer in presets.PACKAGE_INSTALLERS.items():
        caches = ", ".join(f"`{t}` ({s})" for t, s in installer.caches)
        commands = "<br>".join(f"`{c}`" for c in installer.commands)
        yield f"| `{name}` | {commands} | {caches} |"


def _others(entry, shown: tuple[str, ...]) -> Iterator[str]:
    rest = _settings(entry, shown)
    if rest:
        yield ""
        yield f"Other settings: {rest}."


# Fields whose items hold spaces: each item a code of its own.
_LISTS = frozenset({"runs_built"})


def _settings(entry, shown: tuple[str, ...]) -> str:
    """Every field of a preset entry not in `shown` whose value is not the default."""
    parts = []
    for field in record.fields(entry):
        value = getattr(entry, field.name)
        default = (
            field.default_factory()
            if field.default_factory is not record.MISSING
            else field.default
        )
        if field.name in shown or value == default:
            continue
        shown_value = _codes(value) if field.name in _LISTS else _value(value)
        parts.append(f"{field.name.replace('_', ' ')} {shown_value}")
    return "; ".join(parts)


def _value(value) -> str:
    if record.is_record(value):
        return "(" + (_settings(value, ()) or "defaults") + ")"
    if isinstance(value, Mapping):
        return ", ".join(f"`{k}`: {_value(v)}" for k, v in value.items())
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) for v in value):
        return ", ".join(f"`{'='.join(map(str, v))}`" for v in value)
    if isinstance(value, tuple):
        return f"`{' '.join(map(str, value))}`"
    return f"`{value}`"


def _provides(provides: Mapping[str, str]) -> str:
    return ", ".join(f"{k} `{v}`" for k, v in provides.items())


def _code(text: str | None) -> str:
    return f"`{text}`" if text else ""


def _codes(items) -> str:
    return ", ".join(f"`{i}`" for i in items)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUTPUT.read_text("utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is stale: run '{COMMAND}'", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

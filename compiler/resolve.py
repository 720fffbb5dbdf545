"""What each stage's base resolves to: its image, preset data and run-time needs.

Shared by `check.py` (to compare what an artifact needs with what a runtime provides) and
`lower.py` (to expand presets). A stage built `from` another inherits that stage's setup.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from . import model, presets, shell
from .expansion import substitute
from .record import record, replace


@record
class Setup:
    """A stage's base, resolved. `provides`/`needs` are None where they cannot be known."""

    base: str  # what follows FROM: an image reference or a stage name
    from_stage: str | None = None
    toolchain: presets.Toolchain | None = None
    manager: presets.Manager | None = None
    runtime: presets.Runtime | None = None
    variant: presets.Variant | None = None
    version: str | None = None
    defaulted_version: bool = False
    provides: Mapping[str, str] | None = None
    needs: Mapping[str, str] | None = None
    bundled: str | None = None  # the words that put the runtime into the build's output
    shell: tuple[str, ...] | None = None
    packages: str | None = None  # a key of presets.PACKAGE_INSTALLERS: how it installs packages
    family: str | None = None  # declared on an `image` base: what ship knows of the image
    workdir: str = "/"
    # The stage whose toolchain output caches this stage mounts (their default id names it):
    # itself, or the first of its chain of `from` (a test of a build reads the build's).
    cache_owner: str = ""


def user_id(name: str, setup: Setup) -> str | None:
    """The numeric UID:GID of a `user` value: itself if numeric (or a reference), the
    base's own for a name it defines (`node` on the node runtimes), else None."""
    if not name[:1].isalpha() and not name.startswith("_"):
        return name
    return preset_users(setup).get(name)


def preset_users(setup: Setup) -> dict[str, str]:
    """The users a runtime preset's image defines, by name (its variant's ids where they
    differ: www-data on php's Alpine images)."""
    if setup.runtime is None:
        return {}
    return {**setup.runtime.users, **(setup.variant.users if setup.variant else {})}


def arg_values(args: tuple[model.Arg, ...]) -> dict[str, str]:
    """The value of every arg whose default is known before the build: Docker expands a
    default with the args declared before it (`arg A=1 B=${A}.0` gives B `1.0`). An arg
    without a default, or whose default reads one, is missing: its value comes only with
    `--build-arg`."""
    known: dict[str, str] = {}
    for arg in args:
        value = substitute(arg.default.value, known) if arg.default is not None else None
        if value is not None:
            known[arg.name.value] = value
    return known


def piping_run(stage: model.Stage) -> model.Run | None:
    """The first shell command of the stage that pipes (`|`, not `||`), if any: a failure
    before the pipe is lost unless the shell runs with pipefail."""
    runs = (s for s in (stage.install, *stage.steps) if isinstance(s, model.Run))
    return next((r for r in runs if shell.scan(" ".join(r.lines)).pipe is not None), None)


def workdir_of(stage: model.Stage, setup: Setup) -> str:
    return stage.workdir.value if stage.workdir else setup.workdir


def preset_user(setup: Setup) -> str | None:
    """The user a runtime preset runs as (its variant's, where the image's own differs:
    php on alpine); None for a stage not on a runtime preset."""
    if setup.runtime is None:
        return None
    return (setup.variant.user if setup.variant else None) or setup.runtime.user


def build_installer(setup: Setup) -> str | None:
    """How a build installs OS packages (a key of PACKAGE_INSTALLERS): its variant's way
    (`alpine`: apk), else its toolchain's; None on an image ship does not know."""
    return setup.packages


def build_packages(stage: model.Stage, setup: Setup) -> dict[str, model.Text | None]:
    """A build's OS packages by name: the toolchain's own (None: as the preset names them,
    unpinned) with the block's `packages`, which may pin one of those. Only a build that
    starts from the toolchain installs the toolchain's own."""
    own = setup.toolchain.build_packages if setup.toolchain and not setup.from_stage else ()
    found: dict[str, model.Text | None] = dict.fromkeys(own)
    for word in stage.packages:
        found[word.value.partition("=")[0]] = word
    return found


def resolve(ship: model.Ship) -> dict[str, Setup]:
    """The setup of every stage whose base can be resolved (a cycle or unknown name cannot)."""
    args = arg_values(ship.args)
    stages = {s.name.value: s for s in ship.stages}
    setups: dict[str, Setup] = {}
    for stage in ship.stages:
        _resolve_one(stage, stages, args, setups)
    return setups


def _resolve_one(stage, stages, args, setups) -> None:
    """Resolve a stage and the stages it is built `from` that are not yet resolved, the
    first ancestor first. A loop, not recursion: a chain of `from` thousands long must not
    exhaust Python's stack, and each stage is walked once."""
    chain: list[model.Stage] = []
    seen: set[str] = set()
    while stage.name.value not in setups:
        if stage.name.value in seen:
            return  # a cycle: none of it can be resolved
        seen.add(stage.name.value)
        chain.append(stage)
        if not isinstance(stage.base, model.FromStage):
            break
        stage = stages.get(stage.base.stage.value)
        if stage is None:
            return  # built from an unknown stage, and so is the rest of the chain
    for stage in reversed(chain):
        setup = _setup(stage, stages, args, setups)
        if setup is None:
            return
        setups[stage.name.value] = setup


def _setup(stage, stages, args, setups) -> Setup | None:
    """A stage's setup, once the stage it is built `from` (if any) is in `setups`."""
    base = stage.base
    if isinstance(base, model.FromStage):
        parent = stages[base.stage.value]
        inherited = setups[base.stage.value]
        changes: dict[str, object] = {"defaulted_version": False}  # see lower.inherit
        if not (parent.kind == "runtime" and stage.kind in ("runtime", "test")):
            changes["base"] = changes["from_stage"] = base.stage.value
        # A stage built on another works in that stage's work directory, its `workdir` too.
        changes["workdir"] = workdir_of(parent, inherited)
        setup = replace(inherited, **changes)
    elif isinstance(base, model.Image):
        setup = _image_base(stage, base)
    elif stage.kind == "runtime":
        setup = _runtime(base, args)
    else:
        setup = _toolchain(base)
    if setup is None:
        return None
    own: dict[str, object] = {}  # made at once: each `replace` makes a whole Setup
    if not setup.cache_owner:
        own["cache_owner"] = stage.name.value
    if stage.kind != "runtime":
        own["needs"] = _needs(stage, setup, args)  # which does not read the cache owner
        if setup.toolchain and not setup.from_stage:
            found = _in_runs(stage, setup.toolchain.bundles_runtime)
            own["bundled"] = found and found.group().strip()
    return replace(setup, **own) if own else setup


def _image_base(stage: model.Stage, base: model.Image) -> Setup:
    """An `image REF` base: nothing known of it, unless the stage declares its family."""
    workdir = "/src" if stage.kind != "runtime" else "/app"
    family = presets.FAMILIES.get(stage.family.value) if stage.family else None
    if family is None:
        return Setup(base=base.ref.value, workdir=workdir)
    return Setup(
        base=base.ref.value,
        family=stage.family.value,
        provides=family.provides if stage.kind == "runtime" else None,
        shell=family.shell,
        packages=family.packages,
        workdir=workdir,
    )


def _pick(preset, base: model.Preset) -> tuple[presets.Variant | None, presets.Manager | None]:
    """The head's variants as one (with the preset's default ones) and its manager."""
    words = [w.value for w in base.variants]
    release = base.release.value if base.release else None
    manager = next((preset.managers[w] for w in words if w in preset.managers), None)
    return presets.combine(preset, words, release), manager


def _with_tool(manager: presets.Manager, base: model.Preset) -> presets.Manager:
    """The manager with its set-up installing the tool's version (`uv=0.6.1`, else the
    preset's)."""
    if not manager.setup or not manager.tool:
        return manager
    chosen = base.tool.value if base.tool else manager.tool
    return replace(manager, setup=manager.setup.replace("{tool}", chosen))


def _version(base: model.Preset, defaults: tuple[str | None, ...]) -> tuple[str | None, bool]:
    if base.version is not None:
        return base.version.value, False
    default = next((d for d in defaults if d), None)
    return default, default is not None


def _image(template: str, version: str, variant, base: model.Preset) -> str:
    """The image a preset names; a digest keeps the tag beside it (`name:tag@sha256:…`)."""
    values = variant.values if variant else {}
    image = presets.fill(template, version, variant.suffix if variant else "", **values)
    return f"{image}@{base.digest.value}" if base.digest else image


def _toolchain(base: model.Preset) -> Setup | None:
    toolchain = presets.TOOLCHAINS.get(base.name.value)
    if toolchain is None:
        return None
    variant, manager = _pick(toolchain, base)
    manager = _with_tool(manager or toolchain.managers[toolchain.default_manager], base)
    version, defaulted = _version(base, (toolchain.default_version,))
    assert version is not None
    return Setup(
        base=_image(manager.image or toolchain.image, version, variant, base),
        toolchain=toolchain,
        manager=manager,
        variant=variant,
        version=version,
        defaulted_version=defaulted,
        shell=(variant.shell if variant else None) or toolchain.shell,
        packages=(variant.packages if variant else None) or toolchain.packages,
        workdir=toolchain.workdir,
    )


def _runtime(base: model.Preset, args) -> Setup | None:
    runtime = presets.RUNTIMES.get(base.name.value)
    if runtime is None:
        return None
    variant, _ = _pick(runtime, base)
    if runtime.variant_required and not (variant and presets.FLAVOUR in variant.groups):
        return None
    version, defaulted = _version(
        base, (variant and variant.default_version, runtime.default_version)
    )
    template = (variant.image if variant and variant.image else None) or runtime.image
    fill_version = version or ""
    provides = {**runtime.provides, **(variant.provides if variant else {})}
    minimal = variant is not None and variant.no_shell
    known = substitute(fill_version, args)
    values = variant.values if variant else {}
    filled = (
        {k: presets.fill(v, known, **values) for k, v in provides.items()}
        if known is not None
        else None
    )
    return Setup(
        base=_image(template, fill_version, variant, base),
        runtime=runtime,
        variant=variant,
        version=version,
        defaulted_version=defaulted,
        provides=filled,
        shell=None if minimal else (variant and variant.shell) or runtime.shell,
        packages=None if minimal else (variant and variant.packages) or runtime.packages,
        workdir=runtime.workdir,
    )


def _assignment_pattern(assignment: str) -> str:
    """`KEY=value` as a word of a command line: not part of a longer name or value."""
    return rf"(?<![\w$]){re.escape(assignment)}(?![\w.])"


def _in_runs(
    stage: model.Stage, pattern: str | None, steps: tuple[model.Step, ...] | None = None
) -> re.Match | None:
    """Where a pattern is found in the stage's commands (`run`s and `install`), if it is;
    only among `steps` when given."""
    steps = stage.steps if steps is None else steps
    runs = (s for s in (stage.install, *steps) if isinstance(s, model.Run))
    lines = (line for run in runs for line in run.lines)
    found = (re.search(pattern, line) for line in lines) if pattern else ()
    return next((match for match in found if match), None)


def _where_built(stage: model.Stage) -> tuple[tuple[model.Pair, ...], tuple[model.Step, ...]]:
    """The env in effect and the steps run where the stage's artifacts are built: up to
    its last `binary` command when each artifact is a `binary` line's (an env line stands
    where it is written, so one after it, for a `go test -race`, does not build them); all
    of them when an artifact may come from any command."""
    built = [
        i
        for i, step in enumerate(stage.steps)
        if isinstance(step, model.Run) and step.written is not None
    ]
    spans = {stage.steps[i].span for i in built}
    if not built or not stage.artifacts or any(a.span not in spans for a in stage.artifacts):
        return stage.env, stage.steps
    steps = stage.steps[: built[-1] + 1]
    counted = sum(s.count for s in stage.steps if isinstance(s, model.Mark) and s.kind == "env")
    before = sum(s.count for s in steps if isinstance(s, model.Mark) and s.kind == "env")
    # Pairs no env line counts (a stage made without them) are in effect throughout.
    return stage.env[:before] + stage.env[counted:], steps


def _needs(stage: model.Stage, setup: Setup, args) -> Mapping[str, str] | None:
    """What the artifacts of a build stage need from a runtime, or None if unknowable."""
    toolchain, manager = setup.toolchain, setup.manager
    if toolchain is None or manager is None or setup.version is None:
        return setup.needs if setup.from_stage else None
    pairs, steps = _where_built(stage)
    env = {f"{p.key.value}={p.value.value}" for p in pairs}
    libc = (setup.variant.provides.get("libc") if setup.variant else None) or toolchain.libc
    links = toolchain.links_by_libc.get(libc, toolchain.links)
    if toolchain.dynamic_when and (
        any(re.search(toolchain.dynamic_when, value) for value in env)
        or _in_runs(stage, toolchain.dynamic_when, steps)
    ):
        links = "dynamic"
    for assignment, result in toolchain.links_when_env.items():
        links = result if assignment in env else links
        # The same assignment on a command (`CGO_ENABLED=1 go build`, `export …`, `go env
        # -w …`) makes that command's output link so: the stage's, if it needs more.
        if result == "dynamic" and _in_runs(stage, _assignment_pattern(assignment), steps):
            links = result
    shipped = {posixpath.basename(a.source.value.rstrip("/")) for a in stage.artifacts}
    for name, result in toolchain.links_when_shipped.items():
        links = result if name in shipped else links
    applies = not toolchain.needs_only_with or shipped & set(toolchain.needs_only_with)
    # Where the stage's commands put the runtime into its output (`dotnet publish
    # --self-contained`), if the toolchain has such a pattern.
    bundling = _in_runs(stage, toolchain.bundles_runtime)
    if bundling is not None:  # the runtime is in the output, native code for one libc
        applies, links = False, "dynamic"
        line = bundling.string
        found = (c for pattern, c in toolchain.bundled_libc if re.search(pattern, line))
        libc = next(found, libc)
    if stage.links is not None:
        links = stage.links.value
    needs = {**(toolchain.needs if applies else {}), **manager.needs}
    if links == "dynamic":
        needs["libc"] = libc
    version = substitute(setup.version, args)
    if version is None:
        return None
    return {k: presets.fill(v, version) for k, v in needs.items()}

"""The preset registry is closed: every toolchain, manager, variant and runtime entry is
validated here, so adding one as data can never crash a check (a need no runtime can
provide, a capability no message knows, an image template with a field it cannot fill,
a cache path that would break out of its --mount option)."""

from __future__ import annotations

import itertools
import re

import pytest
from shipc import presets, record, shell
from shipc.presets import CAPABILITIES, PACKAGE_INSTALLERS, RUNTIMES, TOOLCHAINS
from shipc.values import MOUNT_PATH

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VERSION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_IMAGE = re.compile(r"[a-z0-9][a-z0-9._:/-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?")
_USER = re.compile(r"[0-9]+:[0-9]+")

TOOLCHAIN_ITEMS = sorted(TOOLCHAINS.items())
RUNTIME_ITEMS = sorted(RUNTIMES.items())
MANAGERS = [
    (f"{t}/{m}", manager) for t, chain in TOOLCHAIN_ITEMS for m, manager in chain.managers.items()
]


def _images(preset) -> list[str]:
    """Every image the preset can name (each choice of variants, a release given or not,
    the variants' default version if they have one), filled in."""
    found = []
    for names in presets.combinations(preset):
        if preset.variant_required and not any(
            presets.FLAVOUR in preset.variants[n].groups for n in names
        ):
            continue
        for release in (None, "3.22"):
            variant = presets.combine(preset, names, release)
            template = (variant and variant.image) or preset.image
            version = (variant and variant.default_version) or preset.default_version or "1"
            values = variant.values if variant else {}
            found.append(
                presets.fill(template, version, variant.suffix if variant else "", **values)
            )
    return found


@pytest.mark.parametrize("name, toolchain", TOOLCHAIN_ITEMS)
def test_toolchain_entries(name, toolchain):
    assert _VERSION.fullmatch(toolchain.default_version)
    for image in _images(toolchain):
        assert _IMAGE.fullmatch(image), image
    assert toolchain.workdir.startswith("/") and MOUNT_PATH.fullmatch(toolchain.workdir)
    assert toolchain.default_manager in toolchain.managers
    assert set(toolchain.needs) <= set(CAPABILITIES)
    for variant in toolchain.variants.values():
        assert set(variant.provides) <= set(CAPABILITIES)
    for cache in toolchain.caches:
        assert MOUNT_PATH.fullmatch(cache)
    assert set(toolchain.output_caches) <= set(toolchain.caches)
    assert all(_IDENTIFIER.fullmatch(key) for key, _ in toolchain.env)
    assert all(_IDENTIFIER.fullmatch(key) for key in toolchain.image_env)
    assert toolchain.links in ("static", "dynamic")
    assert set(toolchain.links_when_env.values()) <= {"static", "dynamic"}
    assert set(toolchain.links_by_libc.values()) <= {"static", "dynamic"}
    assert toolchain.artifact_dir is None or toolchain.artifact_dir.startswith("/")
    assert set(toolchain.links_when_shipped.values()) <= {"static", "dynamic"}
    # A manager named like a variant could never be chosen.
    assert not set(toolchain.managers) & set(toolchain.variants)
    for manager in toolchain.managers.values():
        if manager.image is not None:
            for image in _images(record.replace(toolchain, image=manager.image)):
                assert _IMAGE.fullmatch(image), image
    if toolchain.bundles_runtime is not None:
        re.compile(toolchain.bundles_runtime)
    for pattern, libc in toolchain.bundled_libc:
        re.compile(pattern)
        assert libc in _provided_values("libc")
    assert not toolchain.bundled_libc or toolchain.bundles_runtime
    assert bool(toolchain.bundles_runtime) == bool(toolchain.bundled_hint)
    assert set(toolchain.hints) <= set(CAPABILITIES)
    if toolchain.cross is not None:
        _cross_entry(toolchain.cross)
    if toolchain.binary is not None:
        _binary_entry(toolchain.binary)


# What `binary` reads the names and options of each style with (compiler/directives/binary.py).
_BINARY_OPTIONS = {"go": {"ldflags", "tags"}, "cargo": set()}


def _binary_entry(binary: presets.Binary) -> None:
    """A `binary` command is plain words (the names and options are quoted after it); its
    programs land in a folder a path may name."""
    assert set(binary.options) <= _BINARY_OPTIONS[binary.style]
    assert all(shell.quote(word) == word for word in binary.command.split())
    assert MOUNT_PATH.fullmatch(binary.output) and not binary.output.endswith("/")
    assert binary.style == "go" or not binary.ldflags


def test_binary_is_for_the_toolchains_whose_programs_ship_knows_how_to_build():
    knows = {name for name, toolchain in TOOLCHAIN_ITEMS if toolchain.binary is not None}
    assert knows == {"go", "rust"}


def _cross_entry(cross: presets.Cross) -> None:
    """A cross-compiling toolchain's wiring reads only BuildKit's platform args (which ship
    declares per stage) and sets variables a stage may read, to a platform arg or a fixed
    value (a file the select step writes per platform)."""
    from shipc.expansion import references, shell_references
    from shipc.platforms import PREDEFINED

    for key, value in (*cross.env, *cross.build_env):
        assert _IDENTIFIER.fullmatch(key)
        assert set(references(value)) <= PREDEFINED  # a platform arg, or a fixed path
    if cross.variant_setup is not None:
        assert shell.scan(cross.variant_setup).pipe is None
        assert set(shell_references(cross.variant_setup)) <= PREDEFINED
    assert all("/" not in name for name in cross.native)
    from shipc.platforms import ARCHITECTURES, PLATFORM

    for platform, target in cross.targets.items():
        match = PLATFORM.fullmatch(platform)
        assert match and match.group(2) in ARCHITECTURES, platform
        assert target.name and target.linker and all(" " not in p for p in target.packages)
    # The select step's `case` sets `target` per platform; its commands and the
    # prepare step's read no variable but BuildKit's and their own.
    assert not cross.select or "{cases}" in cross.select
    assert bool(cross.targets) == bool(cross.select)
    assert not cross.prepare or cross.targets
    assert not cross.versions or cross.versions_why
    assert (cross.target_file is None) == (cross.output_dir is None)
    for line in (*cross.prepare, *cross.select):
        assert set(shell_references(line)) <= PREDEFINED | {"target"}, line
    if cross.install is not None:
        assert "{packages}" in cross.install
    for entry in cross.runs_built:  # words, then `!OPTION` that makes it only build
        assert re.fullmatch(r"[a-z]+( [a-z]+)?( !-[-a-z]+)?", entry), entry


@pytest.mark.parametrize("name, manager", MANAGERS)
def test_manager_entries(name, manager):
    for manifest in manager.manifests:
        assert not manifest.startswith(("/", "-")) and "\\" not in manifest
        # A folder is `NAME/` or, optional, `NAME/?`: one name at the top, no glob.
        if "/" in manifest:
            assert re.fullmatch(r"[A-Za-z0-9._-]+/\??", manifest), manifest
    for path in (*manager.caches, *manager.setup_caches, *manager.artifacts):
        assert path.startswith("/") and MOUNT_PATH.fullmatch(path)
    for command in (manager.install, manager.setup):
        if command is not None:
            assert not shell.scan(command).problem, command
    assert set(manager.needs) <= set(CAPABILITIES)
    for key, _ in (*manager.env, *manager.runtime_env):
        assert _IDENTIFIER.fullmatch(key)


@pytest.mark.parametrize("name, runtime", RUNTIME_ITEMS)
def test_runtime_entries(name, runtime):
    for image in _images(runtime):
        assert _IMAGE.fullmatch(image), image
    assert not runtime.variant_required or runtime.variants
    assert runtime.image_user is None or _USER.fullmatch(runtime.image_user)
    assert set(runtime.provides) <= set(CAPABILITIES)
    for variant in runtime.variants.values():
        assert set(variant.provides) <= set(CAPABILITIES)
    assert runtime.packages is None or runtime.packages in PACKAGE_INSTALLERS
    assert _USER.fullmatch(runtime.user)
    assert runtime.workdir.startswith("/") and MOUNT_PATH.fullmatch(runtime.workdir)
    assert all(_IDENTIFIER.fullmatch(key) for key in runtime.image_env)


def test_extension_installers():
    """Each command reads as one shell command once its fields are filled."""
    installers = {r.extensions for r in RUNTIMES.values() if r.extensions is not None}
    assert installers
    for installer in installers:
        pair = installer.pair.format(name="redis", version="6.0.2")
        assert pair.endswith("6.0.2") and pair.startswith("redis")
        for command in (*installer.bundled, *installer.versioned):
            filled = command.format(names="gd intl", pairs=pair)
            assert "{" not in filled and not shell.scan(filled).problem, command


def test_any_version_meets_a_need_for_any():
    capability = CAPABILITIES["php"]
    assert capability.met(presets.ANY, "8.3") and not capability.met(presets.ANY, None)
    assert capability.met("8.3", "8.3") and not capability.met("8.3", "8.2")
    assert capability.say(presets.ANY) == "PHP"


@pytest.mark.parametrize("name, installer", sorted(PACKAGE_INSTALLERS.items()))
def test_package_installers(name, installer):
    for command in installer.commands:
        assert not shell.scan(command.format(packages="curl")).problem
    for target, sharing in installer.caches:
        assert target.startswith("/") and MOUNT_PATH.fullmatch(target)
        assert sharing in ("shared", "private", "locked")


def _provided_values(key: str, version: str = "3.12") -> set[str]:
    """What the runtimes provide for `key`, with every choice of variants, filled in."""
    values = set()
    for runtime in RUNTIMES.values():
        for names in presets.combinations(runtime):
            variant = presets.combine(runtime, names)
            provides = {**runtime.provides, **(variant.provides if variant else {})}
            if key in provides:
                extra = variant.values if variant else {}
                values.add(presets.fill(provides[key], version, **extra))
    return values


@pytest.mark.parametrize(
    "provided, needed, met",
    [("21", "21", True), ("25", "21", True), ("17", "21", False), ("21.0.4_7", "21", True),
     ("8", "11", False), ("latest", "21", None), (None, "21", False)],
)
def test_an_at_least_capability_compares_leading_numbers(provided, needed, met):
    assert CAPABILITIES["java"].met(needed, provided) is met
    assert CAPABILITIES["dotnet"].met(needed, provided) is (provided == needed)


@pytest.mark.parametrize("key", sorted(CAPABILITIES))
def test_every_capability_is_provided_by_some_runtime_and_reads_well(key):
    assert _provided_values(key), f"no runtime provides {key!r}"
    capability = CAPABILITIES[key]
    assert capability.say(None) == capability.none
    assert "{}" in capability.words and capability.hint


def test_every_need_some_toolchain_can_have_is_provided_somewhere():
    """Each (key, value) a toolchain, variant or manager needs is some runtime's provision,
    once both are filled with the same version: otherwise that build could run nowhere."""
    for name, toolchain in TOOLCHAIN_ITEMS:
        needs = [toolchain.needs, *(m.needs for m in toolchain.managers.values())]
        for need, key in itertools.product(needs, CAPABILITIES):
            if key in need:
                filled = presets.fill(need[key], "3.12")
                provided = _provided_values(key)
                assert any(CAPABILITIES[key].met(filled, p) for p in provided), (name, key)
        libc = {toolchain.libc, *(v.provides.get("libc") for v in toolchain.variants.values())}
        assert libc - {None} <= _provided_values("libc"), name


def test_the_docs_list_the_variables_images_set():
    """docs/language.md names every variable a reference may read undeclared from an image."""
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "language.md").read_text("utf-8")
    start = docs.index("a variable every image has")
    listed = set(" ".join(docs[start : start + 700].split("`")[1::2][:2]).split())
    images = {name for t in (TOOLCHAINS, RUNTIMES) for p in t.values() for name in p.image_env}
    assert listed == {"PATH"} | images


@pytest.mark.parametrize("name, preset", sorted({**TOOLCHAINS, **RUNTIMES}.items()))
def test_variant_suffixes_join_the_version_with_a_dash(name, preset):
    """A suffix after the version starts with '-' (`-slim`), one before it ends with '-'
    (the Deno images' `alpine-2.1.4`): the tag never glues a variant to the version."""
    if "{suffix}" not in preset.image or "{version}" not in preset.image:
        return
    before = preset.image.index("{suffix}") < preset.image.index("{version}")
    for variant in preset.variants.values():
        if variant.suffix and not variant.image:
            assert variant.suffix.endswith("-") if before else variant.suffix.startswith("-")


def test_the_deno_images_put_the_variant_first():
    deno = RUNTIMES["deno"]
    tags = {
        words: presets.fill(deno.image, "2.1.4", presets.combine(deno, words).suffix)
        for words in (("alpine",), ("distroless",), ("debian",))
    }
    assert tags == {
        ("alpine",): "denoland/deno:alpine-2.1.4",
        ("distroless",): "denoland/deno:distroless-2.1.4",
        ("debian",): "denoland/deno:debian-2.1.4",
    }
    assert presets.fill(TOOLCHAINS["deno"].image, "2.1.4") == "denoland/deno:2.1.4"


def test_a_manager_content_with_any_companion_has_some():
    for toolchain in TOOLCHAINS.values():
        for manager in toolchain.managers.values():
            assert not manager.companions_any or len(manager.companions) > 1


@pytest.mark.parametrize(
    "toolchain, line, found",
    [
        ("go", "go test ./...", "go test"),
        ("go", "go vet ./... && CGO_ENABLED=1 go test -race ./...", "go test"),
        ("go", "go generate ./...", "go generate"),
        ("go", "cd tools && go run ./gen", "go run"),
        ("go", "go test -c -o /out/t ./pkg", None),
        ("go", "go test -cover ./...", "go test"),
        ("go", "go build -o /out/app . && echo go test", None),
        ("go", "go vet ./...", None),
        ("rust", "cargo test --release", "cargo test"),
        ("rust", "cargo test --no-run", None),
        ("rust", "cargo run --bin gen", "cargo run"),
        ("rust", "cargo build --release", None),
        ("cmake", "cmake --build build && ctest --test-dir build", "ctest"),
    ],
)
def test_the_commands_that_run_what_a_cross_build_built(toolchain, line, found):
    from shipc.crossbuild import runs_built_pattern

    cross = presets.TOOLCHAINS[toolchain].cross
    patterns = [runs_built_pattern(entry) for entry in cross.runs_built]
    matches = [re.search(p, line, re.MULTILINE) for p in patterns]
    got = [" ".join(m.group("command").split()) for m in matches if m]
    assert got == ([found] if found else [])


def test_cgo_set_after_the_binary_line_does_not_build_its_programs():
    """New-user trial: `env CGO_ENABLED=1` after `binary` (for `go test -race`) made the
    programs built before it, with cgo off, 'need glibc' on scratch."""
    import shipc

    def compile_(body: str) -> str:
        source = f"app demo\nbuild go 1.22 {{\n{body}}}\nruntime scratch {{ }}\n"
        return shipc.compile_source(source, "t.ship").dockerfile

    after = "    binary ./cmd/api\n    env CGO_ENABLED=1\n    run go test -race ./...\n"
    assert "ENV CGO_ENABLED=1" in compile_(after)
    for before in (
        "    env CGO_ENABLED=1\n    binary ./cmd/api\n",
        "    run true\n    env CGO_ENABLED=1\n    binary ./cmd/api\n",
        # an artifact any command may build: every env line counts
        "    binary ./cmd/api\n    env CGO_ENABLED=1\n    run go build -o /out/b .\n"
        "    artifact /out/b\n",
    ):
        with pytest.raises(shipc.ShipErrors) as refused:
            compile_(before)
        assert "need glibc" in refused.value.diagnostics[0].message

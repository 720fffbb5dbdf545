"""The shapes of preset entries; the entries themselves are in toolchains.py and runtimes.py."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..record import field, record

# Shells that make a failing command in a pipe fail the RUN (hadolint DL4006).
BASH_PIPEFAIL = ("/bin/bash", "-o", "pipefail", "-c")
ASH_PIPEFAIL = ("/bin/ash", "-eo", "pipefail", "-c")

NONROOT = "65532:65532"

# A need met by any value of its capability: "some PHP", whatever its version.
ANY = "*"
# The groups a variant belongs to: a preset's head chooses at most one variant of each
# (`python 3.12 slim bookworm` is a flavour and a release; `alpine` is both at once).
FLAVOUR, RELEASE = "flavour", "release"


@record
class Capability:
    """A key of `needs`/`provides`: how a value reads in a message, the words for none,
    and the fix a mismatch suggests."""

    words: str  # a template for a value: "Python {}"
    none: str
    hint: str
    names: Mapping[str, str] = field(default_factory=dict)  # value -> words
    # An interpreter: an image that provides it runs programs ship does not see (a script's
    # `cmd` need not be an artifact).
    interpreter: bool = False
    # A version a later one serves too (a JRE runs the bytecode of every earlier JDK): the
    # runtime's value must be the same or higher, compared by its leading numbers.
    at_least: bool = False

    def say(self, value: str | None) -> str:
        if value == ANY:
            return self.words.format("").strip()
        return self.words.format(self.names.get(value, value)) if value else self.none

    def say_needed(self, value: str) -> str:
        return self.say(value) + (" or later" if self.at_least and value != ANY else "")

    def met(self, wanted: str, provided: str | None) -> bool | None:
        """Whether a runtime's value meets a need; None when the two cannot be compared
        (an `at_least` version that does not start with a number, such as `latest`)."""
        if wanted == ANY or provided is None:
            return provided is not None
        if not self.at_least:
            return provided == wanted
        have, want = leading_numbers(provided), leading_numbers(wanted)
        return have >= want if have and want else None


@record
class Variant:
    """A word after a preset's version that changes its image or what it provides.

    The chosen variants' suffixes are appended to the version in the order the preset's
    table lists them (`-slim-bookworm` for python, `-bookworm-slim` for node). A suffix
    with `{release}` takes the word written after the variant (`alpine 3.22` ->
    `-alpine3.22`; without one, `-alpine`). `values` fill the templates of the image and
    of `provides` (`{distro}`, `{python3}` of a distroless release)."""

    suffix: str = ""
    image: str | None = None
    default_version: str | None = None
    provides: Mapping[str, str] = field(default_factory=dict)
    shell: tuple[str, ...] | None = None
    packages: str | None = None
    user: str | None = None  # the image's own app user, where the variant's differs
    users: Mapping[str, str] = field(default_factory=dict)  # and its users' ids
    groups: tuple[str, ...] = (FLAVOUR,)
    values: Mapping[str, str] = field(default_factory=dict)
    # A minimal image (Ubuntu chiseled): no shell and no package manager, whatever the
    # preset's other images have.
    no_shell: bool = False
    # The image's own ENTRYPOINT (distroless nodejs: /nodejs/bin/node): a `cmd` gives its
    # arguments. `interpreter` names what a `cmd` may call that program by (node, nodejs).
    entrypoint: tuple[str, ...] = ()
    interpreter: tuple[str, ...] = ()

    @property
    def takes_release(self) -> bool:
        return "{release}" in self.suffix


@record
class Manager:
    """A dependency manager: the manifests that pin dependencies and how to install them."""

    # A trailing "?" marks a manifest that may be absent, a trailing "/" a folder.
    manifests: tuple[str, ...] = ()
    install: str | None = None
    # The oldest major version of the toolchain whose tool runs `install` as written (Deno
    # 2's `deno install`): an older one is refused unless the block writes its `install`.
    install_since: int | None = None
    caches: tuple[str, ...] = ()
    setup: str | None = None  # a command run once, before the manifests are copied
    # The version of the tool `setup` installs, as `{tool}` in it; `python 3.12 uv=0.6.1`
    # chooses another.
    tool: str | None = None
    setup_caches: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    runtime_env: tuple[tuple[str, str], ...] = ()
    artifacts: tuple[str, ...] = ()  # paths every runtime gets, at the same place
    # Files of the work directory that `artifacts` need at run time (Bundler's Gemfile):
    # a build that ships none of them gets a warning.
    companions: tuple[str, ...] = ()
    companions_any: bool = False  # one of them is enough (deno.json or deno.jsonc)
    needs: Mapping[str, str] = field(default_factory=dict)
    # An image of its own (template as the toolchain's), when the manager's tool is not in
    # the toolchain's image: `java 21 maven` builds on a Maven image, `java 21 mvnw` on the JDK.
    image: str | None = None


@record
class Cross:
    """How a toolchain builds for a platform other than the one it runs on. A build stage of
    a file that declares `platforms` then runs on the build machine (`FROM
    --platform=$BUILDPLATFORM`) with the target handed to the toolchain's own settings."""

    # ENV pairs that read BuildKit's target args (`GOARCH=${TARGETARCH}`).
    env: tuple[tuple[str, str], ...] = ()
    # The same settings for the build machine (`GOARCH=${BUILDARCH}`), set in a test built
    # from a cross build: the test runs on the build machine and must build for it.
    build_env: tuple[tuple[str, str], ...] = ()
    # A shell command run once before the manifests, only when a declared platform has a
    # variant (`linux/arm/v7`): what ENV cannot say (Go's GOARM is `7`, not `v7`).
    variant_setup: str | None = None
    # Artifacts with these names hold code for one platform (node_modules with native
    # add-ons): a build shipping one stays on the target platform.
    native: tuple[str, ...] = ()
    # A toolchain that needs more than ENV to build for a platform (Rust: a target, its
    # standard library and a linker) names each platform it can build for; a build stays
    # on the target platform when a declared platform is not among them, or its image's
    # C library is not among `libcs` (no cross linker for musl in Alpine's packages).
    targets: Mapping[str, CrossTarget] = field(default_factory=dict)
    libcs: tuple[str, ...] = ("glibc",)
    # The toolchain versions (their first word: `bookworm-slim` -> bookworm) whose tools
    # read the settings below, with why the others do not; empty: every version.
    versions: tuple[str, ...] = ()
    versions_why: str = ""
    # One command (its lines) run once for every declared platform together, after the
    # packages: `{targets}` is their targets, `{pairs}` each target and its linker
    # (platform-free, so one layer serves every platform).
    prepare: tuple[str, ...] = ()
    # One command (its lines) run per platform, in one shell: the line `{cases}` becomes
    # the branches of a `case` on $TARGETPLATFORM that set `target` to the platform's
    # target (and fail for another), one line each.
    select: tuple[str, ...] = ()
    # How a branch installs its platform's cross packages (`{packages}`), unless its
    # linker is there already (the build machine's own platform has no cross packages).
    install: str | None = None
    # The file `select` writes the target to, and the toolchain's output folder, whose
    # profile folders move under the target's (`target/release/x` is built at
    # `target/<triple>/release/x`): an artifact written in one is taken from there.
    target_file: str | None = None
    output_dir: str | None = None
    # The toolchain's own flag for a target (cargo's --target): a cross build's run line
    # that passes it would build every platform's image for that one target.
    target_flag: str | None = None
    # Run in a test built from a cross build: make the toolchain build for the machine
    # it runs on again (what `build_env` is for a toolchain set by ENV).
    build_setup: str | None = None
    # Commands that build for the target platform and run what they built on the build
    # machine (`go test`, `cargo run`): in a cross build they fail ("exec format error")
    # for every platform but the build machine's. Each is its words, then `!OPTION` for an
    # option that makes it only build (`go test !-c`).
    runs_built: tuple[str, ...] = ()


@record
class CrossTarget:
    """One platform as a cross toolchain names it, and what the build machine needs to
    link for it: Debian's cross packages (a gcc for the target and its C library)."""

    name: str  # the toolchain's name for it: aarch64-unknown-linux-gnu
    linker: str  # aarch64-linux-gnu-gcc
    packages: tuple[str, ...] = ()


@record
class Binary:
    """How `binary NAME…` builds programs on a toolchain (compiler/directives/binary.py):
    how its words name them (`style`), the command that builds them and the folder they
    land in, each the artifact `artifact FOLDER/NAME` would be.

    - "go": each word is a package path, its program named after the path's last element
      (Go's rule; `.` after the app); one `go build -o FOLDER/…` builds them all;
    - "cargo": each word is a bin target of the package, `--bin NAME` each."""

    style: str
    command: str  # what builds, before the options and names: "go build -trimpath"
    output: str  # the folder the programs land in (relative: under the work dir)
    ldflags: str = ""  # linker flags always passed; `ldflags="…"` adds after them
    options: tuple[str, ...] = ()  # the `NAME=value` options a `binary` line takes


@record
class Toolchain:
    """A language toolchain for build stages."""

    image: str  # template with {version} and {suffix}
    default_version: str
    workdir: str
    managers: Mapping[str, Manager]
    default_manager: str
    variants: Mapping[str, Variant] = field(default_factory=dict)
    variant_required: bool = False  # a flavour must be chosen
    default_variants: tuple[str, ...] = ()  # taken when no variant of their groups is chosen
    caches: tuple[str, ...] = ()  # relative paths are under the stage's workdir
    # Those of `caches` that hold the project's build output (cargo's target, CMake's build
    # folder), not content-addressed downloads: tools that rebuild by file dates would take
    # another project's output for this one's (COPY keeps the sources' dates), so each gets
    # an id of its own, from the app and the stage, unless its `cache` line gives one.
    output_caches: tuple[str, ...] = ()
    # Those caches keep each platform's output apart by themselves (Cargo's hashes name
    # the compiler and target): else, in a file that declares platforms, a build empties
    # them when another platform filled them, as every platform mounts the same cache.
    outputs_by_platform: bool = False
    env: tuple[tuple[str, str], ...] = ()
    links: str = "dynamic"  # "static": artifacts need no C library; "dynamic": the image's
    libc: str = "glibc"
    needs: Mapping[str, str] = field(default_factory=dict)  # templates
    # If set, `needs` applies only to builds shipping an artifact with one of these names
    # (a Node build that ships only static assets needs no Node.js to run).
    needs_only_with: tuple[str, ...] = ()
    artifact_dir: str | None = None  # where artifacts land by default; None: same path
    shell: tuple[str, ...] = BASH_PIPEFAIL
    links_when_env: Mapping[str, str] = field(default_factory=dict)
    # How a build links on an image of this C library, where it differs from `links`: Rust's
    # musl targets (rust:alpine's own) link statically unless told otherwise.
    links_by_libc: Mapping[str, str] = field(default_factory=dict)
    # A pattern that, in a build's env values or `run` lines, makes it link dynamically
    # whatever the above say (Rust's `-C target-feature=-crt-static`).
    dynamic_when: str | None = None
    # How a build links when it ships an artifact of this name: node_modules may hold
    # native modules, built for the C library of the build's image (glibc or musl).
    links_when_shipped: Mapping[str, str] = field(default_factory=dict)
    image_env: tuple[str, ...] = ()  # variables the image itself sets (a ${NAME} may read them)
    cross: Cross | None = None  # None: builds run on the target platform (emulated)
    packages: str | None = None  # a key of PACKAGE_INSTALLERS: how a build installs OS packages
    # Packages every build on this toolchain installs (a build's `packages NAME=VERSION`
    # pins one of them).
    build_packages: tuple[str, ...] = ()
    # A pattern that, found in a build's `run` line, makes its artifacts carry the runtime
    # they need (`dotnet publish --self-contained`): `needs` then keeps only the libc.
    bundles_runtime: str | None = None
    # (pattern, libc) for such a line: the C library its native code is for (a runtime
    # identifier such as `linux-musl-x64`); none found: the image's.
    bundled_libc: tuple[tuple[str, str], ...] = ()
    bundled_hint: str = ""  # for such output on a runtime that has the runtime it carries
    # A fix for a mismatch of one capability that fits this toolchain better than the
    # capability's own hint (key -> hint).
    hints: Mapping[str, str] = field(default_factory=dict)
    # How `binary` builds programs here; None: `binary` is refused (write run and artifact).
    binary: Binary | None = None


@record
class Family:
    """What a stage on `image REF` with `family NAME` may assume of its image."""

    shell: tuple[str, ...] | None  # None: the image has no shell
    packages: str | None  # a key of PACKAGE_INSTALLERS
    provides: Mapping[str, str] = field(default_factory=dict)


@record
class PackageInstaller:
    """How a runtime installs OS packages: commands (run as one RUN) and the caches they use."""

    commands: tuple[str, ...]  # {packages} is replaced by the sorted package list
    caches: tuple[tuple[str, str], ...] = ()  # (target, sharing)


@record
class ExtensionInstaller:
    """How a runtime adds extensions to its language (PHP's): commands run in the RUN of
    its packages. {names} is the extensions' names, {pairs} each `pair` of a versioned one."""

    bundled: tuple[str, ...]  # for NAME: built from the sources the image has
    configure: tuple[str, ...]  # for NAME --option…: {name}, {options}, before `bundled`
    versioned: tuple[str, ...]  # for NAME=VERSION: fetched from the language's registry
    pair: str  # {name} and {version}


@record
class Runtime:
    """A base for runtime stages."""

    image: str  # template with {version} and {suffix}
    default_version: str | None = None
    variants: Mapping[str, Variant] = field(default_factory=dict)
    variant_required: bool = False  # a flavour must be chosen
    default_variants: tuple[str, ...] = ()  # taken when no variant of their groups is chosen
    managers: Mapping[str, Manager] = field(
        default_factory=dict
    )  # none: uniform with Toolchain
    provides: Mapping[str, str] = field(default_factory=dict)
    shell: tuple[str, ...] | None = None  # None: the image has no shell
    packages: str | None = None  # a key of PACKAGE_INSTALLERS
    extensions: ExtensionInstaller | None = None
    user: str = NONROOT
    # The users the image's /etc/passwd defines, by name: `user node` is written as its
    # numeric UID:GID, so the image says who runs (and runAsNonRoot can check it).
    users: Mapping[str, str] = field(default_factory=dict)
    workdir: str = "/app"
    # A folder the base image does not have (the preset's work directory, /app; all of
    # scratch's empty image): a folder under it is new, so the user's WORKDIR makes it the
    # user's. Elsewhere a folder may be the base's, which a WORKDIR leaves as it is, so a
    # writable folder there is handed over with a RUN. None: ship knows of no such folder
    # (php's work directory is in its image, nginx's is `/`).
    missing: str | None = "/app"
    # The folders at the root of the image, when ship knows them all (distroless): a
    # folder outside them (`/data`) is new too. None: unknown.
    roots: tuple[str, ...] | None = None
    image_env: tuple[str, ...] = ()  # variables the image itself sets (a ${NAME} may read them)
    # The user the image itself runs as, when not root (nginx-unprivileged's 101): the
    # runtime's packages and `run` steps then need `USER 0:0` before them.
    image_user: str | None = None
    # Folders the image makes another user's and writable by all (the PHP images' work
    # directory, www-data's, mode 1777): ship hands them to root (755), like every folder
    # the app does not declare `writable`.
    open_folders: tuple[str, ...] = ()
    # The folder the image's own server serves files from (nginx's html folder): a runtime
    # that receives artifacts and puts none there gets a warning.
    serves: str | None = None


_NUMERIC = re.compile(r"[0-9]+(?:\.[0-9]+)*")


def version_parts(version: str) -> dict[str, str]:
    """`{version}`, `{major}` and `{minor}` (major.minor) for filling templates. Major and
    minor are read from the leading numeric part: `3.12-slim-bookworm` is Python 3.12."""
    match = _NUMERIC.match(version)
    parts = (match.group() if match else version).split(".")
    return {"version": version, "major": parts[0], "minor": ".".join(parts[:2])}


def leading_numbers(version: str) -> tuple[int, ...]:
    """The numeric parts a version starts with: `21.0.4_7-jre` -> (21, 0, 4); `latest` -> ()."""
    match = _NUMERIC.match(version)
    return tuple(int(part) for part in match.group().split(".")) if match else ()


def fill(template: str, version: str, suffix: str = "", **values: str) -> str:
    return template.format(suffix=suffix, **values, **version_parts(version))


def chosen(preset, names: Iterable[str]) -> list[str]:
    """The variants a head chose, with the preset's defaults for the groups it left open,
    in the order of the preset's table (the order their suffixes take in the tag)."""
    picked = [n for n in names if n in preset.variants]
    taken = {g for n in picked for g in preset.variants[n].groups}
    for name in preset.default_variants:
        if not taken & set(preset.variants[name].groups):
            picked.append(name)
    return [n for n in preset.variants if n in picked]


def combinations(preset) -> list[tuple[str, ...]]:
    """Every choice of variants a head may make (at most one of each group), in table
    order, the empty one first: the tags a preset can name."""
    found: list[tuple[str, ...]] = [()]
    for name, variant in preset.variants.items():
        found += [
            (*c, name)
            for c in found
            if not set(variant.groups) & {g for n in c for g in preset.variants[n].groups}
        ]
    return found


def combine(preset, names: Iterable[str], release: str | None = None) -> Variant | None:
    """The chosen variants as one: their suffixes in table order (a `{release}` filled with
    the word after its variant, or nothing), the first image template, every value and
    provision (a later one wins), the shell and package manager of any. None: none chosen."""
    variants = [preset.variants[n] for n in chosen(preset, names)]
    if not variants:
        return None
    values = {k: v for variant in variants for k, v in variant.values.items()}
    return Variant(
        suffix="".join(v.suffix.format(release=release or "") for v in variants),
        image=next((v.image for v in variants if v.image), None),
        default_version=next((v.default_version for v in variants if v.default_version), None),
        provides={k: v for variant in variants for k, v in variant.provides.items()},
        shell=next((v.shell for v in variants if v.shell), None),
        packages=next((v.packages for v in variants if v.packages), None),
        user=next((v.user for v in variants if v.user), None),
        users={k: v for variant in variants for k, v in variant.users.items()},
        groups=tuple(dict.fromkeys(g for v in variants for g in v.groups)),
        values=values,
        no_shell=any(v.no_shell for v in variants),
        entrypoint=next((v.entrypoint for v in variants if v.entrypoint), ()),
        interpreter=next((v.interpreter for v in variants if v.interpreter), ()),
    )

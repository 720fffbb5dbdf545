"""Toolchain presets: one entry per language. See the package docstring for the fields."""

from __future__ import annotations

import posixpath

from .managed import MANAGED_TOOLCHAINS
from .schema import (
    ANY,
    ASH_PIPEFAIL,
    FLAVOUR,
    RELEASE,
    Binary,
    Cross,
    CrossTarget,
    Manager,
    Toolchain,
    Variant,
)

# Debian releases, as the official images' tags name them (`python:3.12-slim-bookworm`).
DEBIAN_RELEASES = {
    name: Variant(suffix=f"-{name}", groups=(RELEASE,))
    for name in ("trixie", "bookworm", "bullseye")
}
_DEBIAN = DEBIAN_RELEASES
# The flavours toolchain and runtime images share (runtimes.py takes them from here).
SLIM = {"slim": Variant(suffix="-slim")}
# Alpine is a flavour and a release at once; `alpine 3.22` pins its release (-alpine3.22).
ALPINE = {
    "alpine": Variant(
        suffix="-alpine{release}",
        provides={"libc": "musl"},
        shell=ASH_PIPEFAIL,
        packages="apk",
        groups=(FLAVOUR, RELEASE),
    )
}

# The Bun images' Alpine variant has no release of its own in its tags (oven/bun:1.2-alpine).
BUN_ALPINE = {
    "alpine": Variant(
        suffix="-alpine", provides={"libc": "musl"}, shell=ASH_PIPEFAIL, packages="apk"
    )
}

# The Deno images put the variant before the version (denoland/deno:alpine-2.1.4); the
# default one is Debian's. Their Alpine carries glibc for Deno, but its own C library is musl.
DENO_IMAGE = "denoland/deno:{suffix}{version}"
DENO_VARIANTS = {
    "debian": Variant(suffix="debian-"),
    "alpine": Variant(
        suffix="alpine-", provides={"libc": "musl"}, shell=ASH_PIPEFAIL, packages="apk"
    ),
}
# Deno keeps every remote module and npm package it fetches in DENO_DIR: the dependency
# step fills it in a layer of its own (the manifests', so sources do not invalidate it) and
# every runtime gets it at the same place. A cache mount there would keep it out of the
# image, and `deno run` would fetch at start. Its caches' format is Deno's: same major.
_DENO_DIR = "/deno-dir"
_DENO_ENV = (("DENO_DIR", _DENO_DIR),)

# Rust for another platform on Debian's images: the target's standard library (rustup's
# where the image has rustup), and Debian's cross gcc and C library as its linker. Cargo's
# config under CARGO_HOME names each declared platform's linker (one layer for all) and
# the target being built (one layer per platform), so a plain `cargo build` builds for it,
# into target/<triple>/; the file beside it names the triple for copying artifacts out.
_CARGO_CONFIG = "/usr/local/cargo/config.toml"
_CARGO_TARGET = "/usr/local/cargo/target-triple"


def _debian_cross(triple: str, gnu: str, arch: str) -> CrossTarget:
    return CrossTarget(
        triple, f"{gnu}-gcc", (f"gcc-{gnu.replace('_', '-')}", f"libc6-dev-{arch}-cross")
    )


_RUST_CROSS = Cross(
    targets={
        "linux/amd64": _debian_cross("x86_64-unknown-linux-gnu", "x86_64-linux-gnu", "amd64"),
        "linux/arm64": _debian_cross("aarch64-unknown-linux-gnu", "aarch64-linux-gnu", "arm64"),
        "linux/arm/v7": _debian_cross(
            "armv7-unknown-linux-gnueabihf", "arm-linux-gnueabihf", "armhf"
        ),
        "linux/386": _debian_cross("i686-unknown-linux-gnu", "i686-linux-gnu", "i386"),
        "linux/ppc64le": _debian_cross(
            "powerpc64le-unknown-linux-gnu", "powerpc64le-linux-gnu", "ppc64el"
        ),
        "linux/s390x": _debian_cross("s390x-unknown-linux-gnu", "s390x-linux-gnu", "s390x"),
        "linux/riscv64": _debian_cross(
            "riscv64gc-unknown-linux-gnu", "riscv64-linux-gnu", "riscv64"
        ),
    },
    prepare=(
        "if command -v rustup >/dev/null; then rustup target add {targets}; fi",
        f"&& printf '[target.%s]\\nlinker = \"%s\"\\n' {{pairs}} >> {_CARGO_CONFIG}",
    ),
    select=(
        'case "$TARGETPLATFORM" in',
        "{cases}",
        "esac",
        f'&& printf \'[build]\\ntarget = "%s"\\n\' "$target" >> {_CARGO_CONFIG}',
        f'&& echo "$target" > {_CARGO_TARGET}',
    ),
    install="apt-get update && apt-get install -y --no-install-recommends {packages}",
    target_file=_CARGO_TARGET,
    output_dir="target",
    target_flag="--target",
    build_setup=f"sed -i '/^target = /d' {_CARGO_CONFIG}",
    runs_built=("cargo run", "cargo test !--no-run", "cargo bench !--no-run"),
)

# C and C++ with CMake for another platform: Debian's cross g++ (the same GCC as its g++)
# and C library, named in a CMake toolchain file that CMAKE_TOOLCHAIN_FILE points every
# first `cmake -B` at (CMake 3.21 and later: bookworm's 3.25, not bullseye's 3.18). The
# file is written per platform; a build machine's own platform is not cross-compiling.
_CMAKE_TOOLCHAIN = "/usr/local/share/cmake-cross/toolchain.cmake"


def _debian_cxx(gnu: str, arch: str) -> CrossTarget:
    return CrossTarget(
        gnu, f"{gnu}-g++", (f"g++-{gnu.replace('_', '-')}", f"libc6-dev-{arch}-cross")
    )


_CMAKE_CROSS = Cross(
    env=(("CMAKE_TOOLCHAIN_FILE", _CMAKE_TOOLCHAIN),),
    runs_built=("ctest",),
    targets={
        "linux/amd64": _debian_cxx("x86_64-linux-gnu", "amd64"),
        "linux/arm64": _debian_cxx("aarch64-linux-gnu", "arm64"),
        "linux/arm/v7": _debian_cxx("arm-linux-gnueabihf", "armhf"),
        "linux/386": _debian_cxx("i686-linux-gnu", "i386"),
        "linux/ppc64le": _debian_cxx("powerpc64le-linux-gnu", "ppc64el"),
        "linux/s390x": _debian_cxx("s390x-linux-gnu", "s390x"),
        "linux/riscv64": _debian_cxx("riscv64-linux-gnu", "riscv64"),
    },
    versions=("bookworm", "trixie"),
    versions_why="CMake before 3.21 reads no CMAKE_TOOLCHAIN_FILE from the environment",
    select=(
        'case "$TARGETPLATFORM" in',
        "{cases}",
        "esac",
        f"&& mkdir -p {posixpath.dirname(_CMAKE_TOOLCHAIN)}",
        '&& { if [ "$(uname -m)" != "${target%%-*}" ]; then'
        " printf 'set(CMAKE_SYSTEM_NAME Linux)\\nset(CMAKE_SYSTEM_PROCESSOR %s)\\n'"
        ' "${target%%-*}"; fi',
        "&& printf 'set(CMAKE_C_COMPILER %s-gcc)\\nset(CMAKE_CXX_COMPILER %s-g++)\\n'"
        f' "$target" "$target"; }} > {_CMAKE_TOOLCHAIN}',
    ),
    install="apt-get update && apt-get install -y --no-install-recommends {packages}",
    # A test built from a cross build runs on the build machine: its own compilers.
    build_setup="printf 'set(CMAKE_C_COMPILER gcc)\\nset(CMAKE_CXX_COMPILER g++)\\n'"
    f" > {_CMAKE_TOOLCHAIN}",
)

_VENV = "/opt/venv"
_VENV_ENV = (("VIRTUAL_ENV", _VENV), ("PATH", f"{_VENV}/bin:$PATH"))
_PYTHON_NEEDS = {"python": "{minor}", "python_prefix": "/usr/local"}

# Bundler as in Rails' own Dockerfile: gems for production only, installed under the
# image's GEM_HOME, which is shipped whole (with the same settings, so `bundle exec`
# finds them).
_BUNDLE = "/usr/local/bundle"
_BUNDLE_ENV = (
    ("BUNDLE_DEPLOYMENT", "1"),
    ("BUNDLE_PATH", _BUNDLE),
    ("BUNDLE_WITHOUT", "development:test"),
)

TOOLCHAINS: dict[str, Toolchain] = {
    "go": Toolchain(
        image="golang:{version}{suffix}",
        packages="apt",
        default_version="1.22",
        workdir="/src",
        managers={
            "go": Manager(
                manifests=("go.mod", "go.sum?"),
                install="go mod download",
                caches=("/go/pkg/mod",),
            ),
        },
        default_manager="go",
        variants={**_DEBIAN, **ALPINE},
        caches=("/root/.cache/go-build",),
        # cgo off: Go binaries are then static and run on scratch.
        env=(("CGO_ENABLED", "0"),),
        links="static",
        links_when_env={"CGO_ENABLED=1": "dynamic"},
        artifact_dir="/usr/local/bin",
        image_env=("GOPATH", "GOROOT", "GOLANG_VERSION"),
        # Go compiles for any platform from any other; its build cache is keyed by
        # GOOS/GOARCH, so one cache serves every platform.
        cross=Cross(
            env=(("GOOS", "${TARGETOS}"), ("GOARCH", "${TARGETARCH}")),
            build_env=(("GOOS", "${BUILDOS}"), ("GOARCH", "${BUILDARCH}")),
            variant_setup='if [ "$TARGETARCH" = arm ] && [ -n "$TARGETVARIANT" ];'
            ' then go env -w GOARM="${TARGETVARIANT#v}"; fi',
            # `go generate` runs the generators, often `go run`; `go test -c` only builds.
            runs_built=("go run", "go generate", "go test !-c"),
        ),
        # -trimpath: no build machine's paths in the program; -s -w: no symbol table or
        # debug information (a smaller program, as Go's own release builds).
        binary=Binary("go", "go build -trimpath", "/out", "-s -w", ("ldflags", "tags")),
    ),
    "rust": Toolchain(
        image="rust:{version}{suffix}",
        packages="apt",
        default_version="1.79",
        workdir="/src",
        managers={
            # Cargo cannot fetch without the sources' targets, so dependencies are fetched
            # by the build itself, into the registry cache mount, and compiled into the
            # target-dir cache mount: both survive source changes.
            "cargo": Manager(caches=("/usr/local/cargo/registry", "/usr/local/cargo/git/db")),
        },
        default_manager="cargo",
        variants={**SLIM, **_DEBIAN, **ALPINE},  # rust:1.89-slim-bookworm
        caches=("target",),
        output_caches=("target",),  # the registry's downloads are safe to share, not this
        outputs_by_platform=True,  # target/<triple>/ cross; the host in Cargo's hashes
        artifact_dir="/usr/local/bin",
        image_env=("CARGO_HOME", "RUSTUP_HOME", "RUST_VERSION"),
        cross=_RUST_CROSS,
        # On alpine the target is *-linux-musl, whose binaries are static (crt-static is
        # that target's default): they run on scratch. Turned off, they need musl.
        links_by_libc={"musl": "static"},
        dynamic_when=r"target-feature=\S*-crt-static",
        hints={
            "libc": "build on 'build rust VERSION alpine' (its musl target links statically"
            " unless told '-crt-static': the binary runs on scratch), or run on a base that"
            " has the C library (distroless cc, debian; alpine for musl)"
        },
        # --locked: the build fails rather than change Cargo.lock.
        binary=Binary("cargo", "cargo build --release --locked", "target/release"),
    ),
    "c": Toolchain(
        image="gcc:{version}{suffix}",
        packages="apt",
        default_version="14",
        workdir="/src",
        managers={"make": Manager()},
        default_manager="make",
        artifact_dir="/usr/local/bin",
    ),
    "node": Toolchain(
        image="node:{version}{suffix}",
        packages="apt",
        default_version="20",
        workdir="/app",
        managers={
            "npm": Manager(
                manifests=("package.json", "package-lock.json"),
                install="npm ci",
                caches=("/root/.npm",),
            ),
            "pnpm": Manager(
                manifests=("package.json", "pnpm-lock.yaml"),
                setup="corepack enable",
                install="pnpm install --frozen-lockfile",
                caches=("/root/.local/share/pnpm/store",),
            ),
            "yarn": Manager(
                manifests=("package.json", "yarn.lock"),
                install="yarn install --frozen-lockfile",
                caches=("/usr/local/share/.cache/yarn",),
            ),
        },
        default_manager="npm",
        variants={**_DEBIAN, **SLIM, **ALPINE},  # node:20-bookworm-slim
        # JavaScript and assets need no C library; node_modules needs Node.js, and its native
        # modules the C library they were built against (musl on alpine, else glibc).
        links="static",
        links_when_shipped={"node_modules": "dynamic"},
        needs={"node": "{major}"},
        needs_only_with=("node_modules",),
        image_env=("NODE_VERSION", "YARN_VERSION", "NODE_ENV"),
        # Built JavaScript and assets are the same on every platform; node_modules may hold
        # native add-ons compiled for the platform npm ran on.
        cross=Cross(native=("node_modules",)),
    ),
    "python": Toolchain(
        image="python:{version}{suffix}",
        packages="apt",
        default_version="3.12",
        workdir="/app",
        managers={
            "pip": Manager(
                manifests=("requirements.txt",),
                setup=f"python -m venv {_VENV}",
                install="pip install -r requirements.txt",
                caches=("/root/.cache/pip",),
                env=_VENV_ENV + (("PIP_DISABLE_PIP_VERSION_CHECK", "1"),),
                runtime_env=_VENV_ENV,
                artifacts=(_VENV,),
                needs=_PYTHON_NEEDS,
            ),
            # Poetry installs into the active venv (VIRTUAL_ENV) while it runs from the
            # image's own Python: the shipped venv holds the app's dependencies only, not
            # Poetry and its own. (`poetry export` would need the export plugin and a
            # second install with pip.)
            "poetry": Manager(
                manifests=("pyproject.toml", "poetry.lock"),
                setup=f"pip install --root-user-action=ignore poetry==2.1.3"
                f" && python -m venv {_VENV}",
                setup_caches=("/root/.cache/pip",),
                install="poetry install --only main --no-root --no-interaction",
                caches=("/root/.cache/pypoetry",),
                env=_VENV_ENV + (("POETRY_VIRTUALENVS_CREATE", "false"),),
                runtime_env=_VENV_ENV,
                artifacts=(_VENV,),
                needs=_PYTHON_NEEDS,
            ),
            "uv": Manager(
                manifests=("pyproject.toml", "uv.lock"),
                setup="pip install --root-user-action=ignore uv=={tool}",
                tool="0.5.11",
                setup_caches=("/root/.cache/pip",),
                install="uv sync --frozen --no-dev --no-install-project",
                caches=("/root/.cache/uv",),
                env=_VENV_ENV
                + (
                    ("UV_PROJECT_ENVIRONMENT", _VENV),
                    ("UV_LINK_MODE", "copy"),
                    ("UV_PYTHON_DOWNLOADS", "never"),
                ),
                runtime_env=_VENV_ENV,
                artifacts=(_VENV,),
                needs=_PYTHON_NEEDS,
            ),
        },
        default_manager="pip",
        variants={**SLIM, **_DEBIAN, **ALPINE},  # python:3.12-slim-bookworm
        image_env=("PYTHON_VERSION", "LANG"),
    ),
    "ruby": Toolchain(
        image="ruby:{version}{suffix}",
        packages="apt",
        default_version="3.3",
        workdir="/app",
        managers={
            "bundler": Manager(
                manifests=("Gemfile", "Gemfile.lock"),
                install="bundle install",
                env=_BUNDLE_ENV,
                runtime_env=_BUNDLE_ENV,
                artifacts=(_BUNDLE,),
                # `bundle exec` and `require "bundler/setup"` read them.
                companions=("Gemfile", "Gemfile.lock"),
                needs={"ruby": "{minor}"},
            ),
        },
        default_manager="bundler",
        variants={**SLIM, **_DEBIAN, **ALPINE},  # ruby:3.3-slim-bookworm
        # Gems with native extensions are linked against the image's C library.
        image_env=("GEM_HOME", "BUNDLE_APP_CONFIG", "RUBY_VERSION", "LANG"),
    ),
    # The official composer image: Composer on the current PHP, with git, unzip and the
    # zip extension it needs to fetch packages. The version is Composer's; `vendor` is PHP
    # source, so what it needs is a PHP (of a version the lock file allows).
    "composer": Toolchain(
        image="composer:{version}",
        packages="apk",  # the image is Alpine's
        shell=ASH_PIPEFAIL,
        libc="musl",
        default_version="2.8",
        workdir="/var/www/html",
        managers={
            "composer": Manager(
                manifests=("composer.json", "composer.lock"),
                install="composer install --no-dev --no-interaction --no-progress --no-scripts",
                caches=("/tmp/cache",),  # the image's COMPOSER_HOME is /tmp
            ),
        },
        default_manager="composer",
        links="static",
        needs={"php": ANY},
        needs_only_with=("vendor",),
        image_env=("COMPOSER_HOME", "PHP_VERSION", "PHP_INI_DIR"),
    ),
    "bun": Toolchain(
        image="oven/bun:{version}{suffix}",
        packages="apt",
        default_version="1.2",
        workdir="/app",
        managers={
            "bun": Manager(
                manifests=("package.json", "bun.lock?"),
                install="bun install --frozen-lockfile",
                caches=("/root/.bun/install/cache",),
            ),
        },
        default_manager="bun",
        variants={**SLIM, "debian": Variant(suffix="-debian"), **BUN_ALPINE},
        links="static",
        needs={"bun": "{major}"},
        needs_only_with=("node_modules",),
    ),
    "deno": Toolchain(
        image=DENO_IMAGE,
        packages="apt",
        default_version="2.1.4",  # the images are tagged by full release only
        workdir="/app",
        managers={
            # Deno 2's `deno install` with no argument fetches what the config and the lock
            # name (imports, npm packages) without naming an entry point, which `deno cache`
            # needs; --frozen fails on a lock that does not match the config.
            "deno": Manager(
                manifests=("deno.json?", "deno.jsonc?", "package.json?", "deno.lock"),
                install="deno install --frozen",
                install_since=2,  # Deno 1's `deno install` installs a script, by its name
                env=_DENO_ENV,
                runtime_env=_DENO_ENV,
                artifacts=(_DENO_DIR,),
                # The import map resolves bare specifiers at run time.
                companions=("deno.json", "deno.jsonc", "package.json"),
                companions_any=True,
                needs={"deno": "{major}"},
            ),
        },
        default_manager="deno",
        variants=DENO_VARIANTS,
        links="static",
        image_env=("DENO_DIR", "DENO_INSTALL_ROOT", "DENO_VERSION"),
    ),
    # C and C++ with CMake, on a distribution's image: the compilers and CMake are the
    # distribution's packages. The build folder is a cache mount, so a rebuild after a source
    # change compiles only what changed; artifacts built there are copied out by the last run.
    "cmake": Toolchain(
        image="debian:{version}",
        default_version="bookworm-slim",
        workdir="/src",
        managers={"cmake": Manager()},
        default_manager="cmake",
        caches=("build",),
        output_caches=("build",),
        artifact_dir="/usr/local/bin",
        packages="apt",
        build_packages=("cmake", "g++", "make"),
        cross=_CMAKE_CROSS,
    ),
    **MANAGED_TOOLCHAINS,
}

"""Toolchain presets: one entry per language. See the package docstring for the fields."""

from __future__ import annotations

from .schema import ASH_PIPEFAIL, Manager, Toolchain, Variant

_DEBIAN = {"bookworm": Variant(suffix="-bookworm"), "bullseye": Variant(suffix="-bullseye")}
_SLIM = {"slim": Variant(suffix="-slim")}
_ALPINE = {"alpine": Variant(suffix="-alpine", provides={"libc": "musl"}, shell=ASH_PIPEFAIL)}

_VENV = "/opt/venv"
_VENV_ENV = (("VIRTUAL_ENV", _VENV), ("PATH", f"{_VENV}/bin:$PATH"))
_PYTHON_NEEDS = {"python": "{minor}", "python_prefix": "/usr/local"}

TOOLCHAINS: dict[str, Toolchain] = {
    "go": Toolchain(
        image="golang:{version}{suffix}",
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
        variants={**_DEBIAN, **_ALPINE},
        caches=("/root/.cache/go-build",),
        # cgo off: Go binaries are then static and run on scratch.
        env=(("CGO_ENABLED", "0"),),
        links="static",
        links_when_env={"CGO_ENABLED=1": "dynamic"},
        artifact_dir="/usr/local/bin",
        image_env=("GOPATH", "GOROOT", "GOLANG_VERSION"),
    ),
    "rust": Toolchain(
        image="rust:{version}{suffix}",
        default_version="1.79",
        workdir="/src",
        managers={
            # Cargo cannot fetch without the sources' targets, so dependencies are fetched
            # by the build itself, into the registry cache mount, and compiled into the
            # target-dir cache mount: both survive source changes.
            "cargo": Manager(caches=("/usr/local/cargo/registry", "/usr/local/cargo/git/db")),
        },
        default_manager="cargo",
        variants={**_DEBIAN, **_SLIM, **_ALPINE},
        caches=("target",),
        artifact_dir="/usr/local/bin",
        image_env=("CARGO_HOME", "RUSTUP_HOME", "RUST_VERSION"),
    ),
    "c": Toolchain(
        image="gcc:{version}{suffix}",
        default_version="14",
        workdir="/src",
        managers={"make": Manager()},
        default_manager="make",
        artifact_dir="/usr/local/bin",
    ),
    "node": Toolchain(
        image="node:{version}{suffix}",
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
        variants={**_DEBIAN, **_SLIM, **_ALPINE},
        # JavaScript and assets need no C library; node_modules needs Node.js, which brings one.
        links="static",
        needs={"node": "{major}"},
        needs_only_with=("node_modules",),
        image_env=("NODE_VERSION", "YARN_VERSION", "NODE_ENV"),
    ),
    "python": Toolchain(
        image="python:{version}{suffix}",
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
            "uv": Manager(
                manifests=("pyproject.toml", "uv.lock"),
                setup="pip install --root-user-action=ignore uv==0.5.11",
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
        variants={**_DEBIAN, **_SLIM, **_ALPINE},
        image_env=("PYTHON_VERSION", "LANG"),
    ),
}

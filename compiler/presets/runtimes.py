"""Runtime presets: the bases a runtime stage can start from, and what each provides."""

from __future__ import annotations

from ..record import replace
from .managed import ALPINE_PLAIN, UBUNTU_RELEASES
from .schema import (
    ASH_PIPEFAIL,
    BASH_PIPEFAIL,
    FLAVOUR,
    NONROOT,
    RELEASE,
    ExtensionInstaller,
    Family,
    PackageInstaller,
    Runtime,
    Variant,
)
from .toolchains import ALPINE, BUN_ALPINE, DEBIAN_RELEASES, DENO_IMAGE, DENO_VARIANTS, SLIM

_GLIBC = {"libc": "glibc"}

# apt keeps its downloads in cache mounts, so nothing of them lands in the image. The
# image's docker-clean hook would empty those caches after every install, so it is moved
# out of apt's reach for this RUN and back at its end: a later apt-get (a `run` line, a
# stage built on this image) still cleans up after itself. The RUN fails as a whole if apt
# does, so no layer is left with the hook moved away.
_DOCKER_CLEAN = "/etc/apt/apt.conf.d/docker-clean"
_HOOK_ASIDE = "/etc/apt/docker-clean.off"  # apt reads only apt.conf.d/ and apt.conf
_APT = PackageInstaller(
    commands=(
        f"if [ -e {_DOCKER_CLEAN} ]; then mv {_DOCKER_CLEAN} {_HOOK_ASIDE}; fi",
        "apt-get update",
        "apt-get install -y --no-install-recommends {packages}",
        f"if [ -e {_HOOK_ASIDE} ]; then mv {_HOOK_ASIDE} {_DOCKER_CLEAN}; fi",
    ),
    caches=(("/var/cache/apt", "locked"), ("/var/lib/apt/lists", "locked")),
)
_APK = PackageInstaller(commands=("apk add --no-cache {packages}",))

PACKAGE_INSTALLERS = {"apt": _APT, "apk": _APK}

# The official PHP images' scripts: a bundled extension is compiled from the PHP sources
# the image carries; a PECL one (written NAME=VERSION) is fetched, built and enabled.
_PHP_EXTENSIONS = ExtensionInstaller(
    bundled=('docker-php-ext-install -j"$(nproc)" {names}',),
    configure=("docker-php-ext-configure {name} {options}",),
    versioned=("pecl install {pairs}", "rm -rf /tmp/pear", "docker-php-ext-enable {names}"),
    pair="{name}-{version}",
)


# The `nonroot` tag pins the flavour without `latest` (hadolint DL3006, DL3007).
def _distroless(name: str, **provides: str) -> Variant:
    return Variant(image=f"gcr.io/distroless/{name}-{{distro}}:nonroot", provides=provides)


# Distroless images are built per Debian release, named as their tags name it
# (`static-debian12`); the python3 image has that release's Python.
_DISTROLESS_RELEASES = {
    f"debian{number}": Variant(
        groups=(RELEASE,), values={"distro": f"debian{number}", "python3": python}
    )
    for number, python in (("13", "3.13"), ("12", "3.11"), ("11", "3.9"))
}

# Users every distribution image defines (Debian's and Alpine's nobody are 65534).
_SYSTEM_USERS = {"root": "0:0", "nobody": "65534:65534"}

# The .NET images (mcr.microsoft.com/dotnet/…): Debian by default; `chiseled` is Ubuntu's
# minimal image, with no shell and no package manager (`chiseled-extra` adds ICU and time
# zones). Every one has the non-root user `app`, uid 1654, which $APP_UID names.
_APK_ALPINE = {"alpine": replace(ALPINE_PLAIN, packages="apk")}
_DOTNET_VARIANTS = {
    **_APK_ALPINE,
    "noble": UBUNTU_RELEASES["noble"],
    "chiseled": Variant(suffix="-noble-chiseled", groups=(FLAVOUR, RELEASE), no_shell=True),
    "chiseled-extra": Variant(
        suffix="-noble-chiseled-extra", groups=(FLAVOUR, RELEASE), no_shell=True
    ),
}
_DOTNET_ENV = ("APP_UID", "ASPNETCORE_HTTP_PORTS", "DOTNET_RUNNING_IN_CONTAINER")


def _dotnet(repository: str, provides: dict[str, str], image_env: tuple[str, ...]) -> Runtime:
    return Runtime(
        image=f"mcr.microsoft.com/dotnet/{repository}:{{version}}{{suffix}}",
        default_version="8.0",
        variants=_DOTNET_VARIANTS,
        provides={**provides, **_GLIBC},
        shell=BASH_PIPEFAIL,
        packages="apt",
        user="1654:1654",
        users={**_SYSTEM_USERS, "app": "1654:1654"},
        image_env=_DOTNET_ENV + image_env,
    )


# What the root of every distroless image holds (the nodejs images add /nodejs), and
# folders some images have: a writable folder outside them is one the image lacks.
_DISTROLESS_ROOTS = (
    *("bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "media"),
    *("mnt", "nodejs", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var"),
)

RUNTIMES: dict[str, Runtime] = {
    "scratch": Runtime(image="scratch", workdir="/", missing="/"),  # an empty image
    # .NET's equivalent of distroless is Microsoft's chiseled Ubuntu images: the `chiseled`
    # flavour of the aspnet, dotnet and dotnet-deps runtimes (`dotnet-deps 8.0 chiseled`
    # is mcr.microsoft.com/dotnet/runtime-deps:8.0-noble-chiseled, for self-contained apps).
    "distroless": Runtime(
        roots=_DISTROLESS_ROOTS,
        users={**_SYSTEM_USERS, "nonroot": "65532:65532"},
        image="",
        variant_required=True,
        default_variants=("debian12",),
        variants={
            "static": _distroless("static"),
            "base": _distroless("base", **_GLIBC),
            "cc": _distroless("cc", **_GLIBC),
            # The language images run their interpreter as their ENTRYPOINT: a `cmd` gives
            # its arguments (`cmd dist/server.js`, `cmd app.jar`).
            "python3": replace(
                _distroless("python3", python="{python3}", python_prefix="/usr", **_GLIBC),
                entrypoint=("/usr/bin/python{python3}",),
                interpreter=("python", "python3", "python{python3}"),
            ),
            "nodejs": Variant(
                image="gcr.io/distroless/nodejs{major}-{distro}:nonroot",
                default_version="20",
                provides={"node": "{major}", **_GLIBC},
                entrypoint=("/nodejs/bin/node",),
                interpreter=("node", "nodejs"),
            ),
            "java": Variant(
                image="gcr.io/distroless/java{major}-{distro}:nonroot",
                default_version="21",
                provides={"java": "{major}", **_GLIBC},
                entrypoint=("/usr/bin/java", "-jar"),
                interpreter=("java",),
            ),
            **_DISTROLESS_RELEASES,
        },
    ),
    "alpine": Runtime(
        users=_SYSTEM_USERS,
        image="alpine:{version}",
        default_version="3.20",
        provides={"libc": "musl"},
        shell=ASH_PIPEFAIL,
        packages="apk",
    ),
    "debian": Runtime(
        users=_SYSTEM_USERS,
        image="debian:{version}",
        default_version="bookworm-slim",
        provides=_GLIBC,
        shell=BASH_PIPEFAIL,
        packages="apt",
    ),
    "ubuntu": Runtime(
        users=_SYSTEM_USERS,
        image="ubuntu:{version}",
        default_version="24.04",
        provides=_GLIBC,
        shell=BASH_PIPEFAIL,
        packages="apt",
    ),
    "python": Runtime(
        users=_SYSTEM_USERS,
        image="python:{version}{suffix}",
        default_version="3.12",
        variants={**SLIM, **DEBIAN_RELEASES, **ALPINE},  # python:3.12-slim-bookworm
        provides={"python": "{minor}", "python_prefix": "/usr/local", **_GLIBC},
        shell=BASH_PIPEFAIL,
        packages="apt",
        image_env=("PYTHON_VERSION", "LANG"),
    ),
    "node": Runtime(
        users={**_SYSTEM_USERS, "node": "1000:1000"},
        image="node:{version}{suffix}",
        default_version="20",
        variants={**DEBIAN_RELEASES, **SLIM, **ALPINE},  # node:20-bookworm-slim
        provides={"node": "{major}", **_GLIBC},
        shell=BASH_PIPEFAIL,
        packages="apt",
        user="1000:1000",  # the image's own `node` user
        image_env=("NODE_VERSION", "YARN_VERSION", "NODE_ENV"),
    ),
    "ruby": Runtime(
        users=_SYSTEM_USERS,
        image="ruby:{version}{suffix}",
        default_version="3.3",
        variants={**SLIM, **DEBIAN_RELEASES, **ALPINE},  # ruby:3.3-slim-bookworm
        provides={"ruby": "{minor}", **_GLIBC},
        shell=BASH_PIPEFAIL,
        packages="apt",
        image_env=("GEM_HOME", "BUNDLE_APP_CONFIG", "RUBY_VERSION", "LANG"),
    ),
    # The official PHP images; `php 8.3` alone is the CLI image. They run as www-data, the
    # user their web servers are set up for (Docker lets it bind port 80).
    "php": Runtime(
        users={**_SYSTEM_USERS, "www-data": "33:33"},
        image="php:{version}{suffix}",
        default_version="8.3",
        # The server API is a group of its own: `php 8.3 fpm alpine` is php:8.3-fpm-alpine.
        variants={
            "cli": Variant(suffix="-cli", groups=("server API",)),
            "fpm": Variant(suffix="-fpm", groups=("server API",)),
            "apache": Variant(suffix="-apache", groups=("server API",)),
            **DEBIAN_RELEASES,
            # Alpine's www-data is 82.
            "alpine": replace(
                ALPINE["alpine"], user="82:82", users={"www-data": "82:82"}
            ),
        },
        provides={"php": "{minor}", **_GLIBC},
        shell=BASH_PIPEFAIL,
        packages="apt",
        extensions=_PHP_EXTENSIONS,
        user="33:33",
        workdir="/var/www/html",
        open_folders=("/var/www/html",),  # www-data's, mode 1777, in the image
        missing=None,
        image_env=("PHP_VERSION", "PHP_INI_DIR", "PHPIZE_DEPS"),
    ),
    "bun": Runtime(
        users={**_SYSTEM_USERS, "bun": "1000:1000"},
        image="oven/bun:{version}{suffix}",
        default_version="1.2",
        variants={**SLIM, **BUN_ALPINE},
        provides={"bun": "{major}", **_GLIBC},
        shell=BASH_PIPEFAIL,
        packages="apt",
        user="1000:1000",  # the image's own `bun` user
    ),
    # The Deno images: Debian's has the user `deno` (1993), Alpine's `deno` is 1000; the
    # distroless one (on distroless/cc) has only the distroless users, and its entrypoint is
    # deno itself (`cmd run main.ts`), as distroless nodejs's is node.
    "deno": Runtime(
        users={**_SYSTEM_USERS, "deno": "1993:1993"},
        image=DENO_IMAGE,
        default_version="2.1.4",
        variants={
            **DENO_VARIANTS,
            "alpine": replace(
                DENO_VARIANTS["alpine"], user="1000:1000", users={"deno": "1000:1000"}
            ),
            "distroless": Variant(
                suffix="distroless-",
                no_shell=True,
                # /tini -- /bin/deno: tini passes the cmd on to deno.
                entrypoint=("/bin/deno",),
                interpreter=("deno",),
                user=NONROOT,
                users={"nonroot": NONROOT},
            ),
        },
        provides={"deno": "{major}", **_GLIBC},
        shell=BASH_PIPEFAIL,
        packages="apt",
        user="1993:1993",  # the image's own `deno` user
        image_env=("DENO_DIR", "DENO_INSTALL_ROOT", "DENO_VERSION"),
    ),
    # Static files served by nginx as a non-root user (101) on port 8080: the nginx
    # project's unprivileged image, which keeps its pid and caches under /tmp. Its own
    # CMD runs nginx; the files go where its default site serves them from, root-owned
    # (`artifact dist/ -> /usr/share/nginx/html/`), so the server cannot change them.
    "nginx": Runtime(
        users={**_SYSTEM_USERS, "nginx": "101:101"},
        image="nginxinc/nginx-unprivileged:{version}{suffix}",
        default_version="1.28",
        variants={"bookworm": DEBIAN_RELEASES["bookworm"], **ALPINE},
        provides=_GLIBC,
        shell=BASH_PIPEFAIL,
        packages="apt",
        user="101:101",
        image_user="101:101",
        workdir="/",
        missing=None,
        serves="/usr/share/nginx/html",
        image_env=("NGINX_VERSION",),
    ),
    # The JRE of Eclipse Temurin (on Ubuntu; `alpine` for musl).
    "java": Runtime(
        image="eclipse-temurin:{version}-jre{suffix}",
        default_version="21",
        variants={**UBUNTU_RELEASES, **_APK_ALPINE},
        provides={"java": "{major}", **_GLIBC},
        shell=BASH_PIPEFAIL,
        packages="apt",
        users=_SYSTEM_USERS,
        image_env=("JAVA_HOME", "JAVA_VERSION", "LANG"),
    ),
    "aspnet": _dotnet("aspnet", {"dotnet": "{major}"}, ("DOTNET_VERSION", "ASPNET_VERSION")),
    "dotnet": _dotnet("runtime", {"dotnet": "{major}"}, ("DOTNET_VERSION",)),
    "dotnet-deps": _dotnet("runtime-deps", {}, ()),
}

# The families an `image` base may declare (`family debian`): an image of unknown origin
# built on one of these distributions, or a distroless image (no shell, no package manager).
# Only what the family fixes is assumed: its C library, not which languages it has.
FAMILIES: dict[str, Family] = {
    "debian": Family(BASH_PIPEFAIL, "apt", _GLIBC),
    "ubuntu": Family(BASH_PIPEFAIL, "apt", _GLIBC),
    "alpine": Family(ASH_PIPEFAIL, "apk", {"libc": "musl"}),
    "distroless": Family(None, None, _GLIBC),
}

"""Stand-in base images for the executed-semantics suite: a 2 MB busybox root file system
per image, made with `docker import` in about a second, reused when already present.

Each stand-in carries the names the presets produce for the version word `semsuite`
(`build go semsuite` -> `golang:semsuite`, `runtime python semsuite slim` ->
`python:semsuite-slim`, …) and fake tools written as shell scripts. A fake tool does
what a build expects from it (`go build -o X` writes an executable X, `npm ci` makes
`node_modules`, `apt-get install` fails on a package called `missing…`) and appends one
line per call, `TOOL ARGS…`, to CALLS, so a case can prove what ran and in which order.

The tags are never shared with the e2e images (tests/e2e/images.py `BUILT`): those are
real toolchains and are only reused, never overwritten. The one fixed tag a preset uses,
`gcr.io/distroless/static-debian12:nonroot`, is reused if the e2e suite made it, else a
stand-in is made and marked with the label STANDIN_LABEL.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import subprocess
import tarfile

from e2e.engine import docker

VERSION = "semsuite"
BUSYBOX = "ship-sem/busybox:1"
CALLS = "/var/lib/ship-sem/calls"
PACKAGES = "/var/lib/ship-sem/packages"
DISTROLESS_STATIC = "gcr.io/distroless/static-debian12:nonroot"
STANDIN_LABEL = "ship-sem.standin"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

_RECORD = f'mkdir -p /var/lib/ship-sem && printf "%s\\n" "$(basename "$0") $*" >> {CALLS}\n'

# A fake build output: an executable that says which tool made it and with what arguments.
_OUTPUT = r"""
fake_output() {  # fake_output PATH WHAT
    mkdir -p "$(dirname "$1")"
    printf '#!/bin/sh\necho "%s made by %s"\n' "$(basename "$1")" "$2" > "$1"
    chmod 755 "$1"
}
"""

# The fakes write nothing into the toolchains' cache mounts: those are shared (same mount
# ids) with the real toolchains of the e2e suite.
# `go build -o DIR/ PKG…` writes one program per package, named after its last element, and
# fails for a package `./…` whose folder is not there;
# every build's argument vector, each word in brackets, goes to ARGV with GOOS and GOARCH.
_GO = _OUTPUT + r"""
case "$1" in
build)
    { printf 'GOOS=%s GOARCH=%s go' "${GOOS-}" "${GOARCH-}"; printf ' [%s]' "$@"; echo; } \
        >> /var/lib/ship-sem/argv
    out=app; packages=; shift
    while [ $# -gt 0 ]; do
        case "$1" in -o) out=$2; shift ;; -*) ;; *) packages="$packages $1" ;; esac
        shift
    done
    for p in $packages; do  # a package of the sources must be a folder there, as for Go
        case "$p" in ./*) [ -d "$p" ] || { echo "go: directory $p not found" >&2; exit 1; } ;; esac
    done
    case "$out" in
    */) for p in ${packages:-app}; do
            fake_output "$out$(basename "$p")" "go CGO_ENABLED=${CGO_ENABLED-unset}"
        done ;;
    *) fake_output "$out" "go CGO_ENABLED=${CGO_ENABLED-unset}" ;;
    esac ;;
esac
"""

# Cargo builds for the target its config under CARGO_HOME names (`[build] target`, the
# last one written), into target/<target>/<profile>/, as the real one does: each `--bin`
# target, else the package's.
_CARGO = _OUTPUT + r"""
case "$1" in
build)
    profile=debug
    for a in "$@"; do [ "$a" = --release ] && profile=release; done
    name=$(sed -n 's/^name *= *"\(.*\)"/\1/p' Cargo.toml 2>/dev/null | head -n 1)
    bins=$(while [ $# -gt 0 ]; do [ "$1" = --bin ] && { echo "$2"; shift; }; shift; done)
    target=$(sed -n 's/^target = "\(.*\)"/\1/p' "$CARGO_HOME/config.toml" 2>/dev/null | tail -n 1)
    for bin in ${bins:-${name:-app}}; do
        fake_output "target/${target:+$target/}$profile/$bin" \
            "cargo --profile $profile${target:+ --target $target}"
    done ;;
esac
"""

_GCC = _OUTPUT + r"""
out=a.out
while [ $# -gt 0 ]; do [ "$1" = -o ] && { out=$2; shift; }; shift; done
fake_output "$out" gcc
"""

_NPM = _OUTPUT + r"""
case "$1" in
ci|install) [ -f package.json ] || { echo "npm: no package.json" >&2; exit 1; }
    mkdir -p node_modules && echo "$(basename "$0")" > node_modules/.installed-by ;;
run) [ "$2" = build ] && { mkdir -p dist && echo "built" > dist/index.js; } ;;
esac
"""

_NODE = r"""echo "node $*"
"""

# `python -m venv DIR` makes a venv whose pip is the fake pip; `python -m pip` is pip.
_PYTHON = r"""
if [ "$1" = -m ] && [ "$2" = venv ]; then
    mkdir -p "$3/bin"
    printf '#!/bin/sh\nexec /usr/local/bin/pip "$@"\n' > "$3/bin/pip"
    printf '#!/bin/sh\nexec /usr/local/bin/python "$@"\n' > "$3/bin/python"
    chmod 755 "$3/bin/pip" "$3/bin/python"
elif [ "$1" = -m ] && [ "$2" = pip ]; then
    shift 2; exec /usr/local/bin/pip "$@"
else
    echo "python $*"
fi
"""

_PIP = r"""
if [ "$1" = install ] && [ "$2" = -r ]; then
    lib=${VIRTUAL_ENV:-/usr/local}/lib
    mkdir -p "$lib" && cat "$3" >> "$lib/installed"
fi
for a in "$@"; do  # `pip install poetry==…` brings the fake poetry
    case "$a" in poetry==*) cp /usr/local/lib/ship-sem/poetry /usr/local/bin/poetry ;; esac
done
"""

_UV = r"""
[ "$1" = sync ] && mkdir -p "${UV_PROJECT_ENVIRONMENT:-.venv}/bin" \
    && echo uv > "${UV_PROJECT_ENVIRONMENT:-.venv}/synced-by"
"""

# Poetry installs into the active venv (VIRTUAL_ENV), as the real one does.
_POETRY = r"""
if [ "$1" = install ]; then
    [ -f pyproject.toml ] && [ -f poetry.lock ] || { echo "poetry: no lock file" >&2; exit 1; }
    [ -n "$VIRTUAL_ENV" ] || { echo "poetry: no active venv" >&2; exit 1; }
    mkdir -p "$VIRTUAL_ENV/lib" && echo "poetry $*" >> "$VIRTUAL_ENV/lib/installed"
fi
"""

# Bundler installs the locked gems under BUNDLE_PATH, with the groups BUNDLE_WITHOUT leaves.
_BUNDLE = r"""
case "$1" in
install)
    [ -f Gemfile.lock ] || { echo "bundle: no Gemfile.lock" >&2; exit 1; }
    mkdir -p "$BUNDLE_PATH/ruby" && cp Gemfile.lock "$BUNDLE_PATH/ruby/installed"
    echo "deployment=$BUNDLE_DEPLOYMENT without=$BUNDLE_WITHOUT" > "$BUNDLE_PATH/ruby/settings" ;;
exec) shift; exec "$@" ;;
esac
"""

_RUBY = r"""echo "ruby $*"
"""

_COMPOSER = r"""
case "$1" in
install)
    [ -f composer.lock ] || { echo "composer: no composer.lock" >&2; exit 1; }
    mkdir -p vendor && echo "<?php // $*" > vendor/autoload.php ;;
esac
"""

_PHP = r"""echo "php $*"
"""

# The PHP images' extension scripts: each extension enabled gets its ini file; a name
# starting with `missing` does not exist.
_PHP_EXT = r"""
conf=/usr/local/etc/php/conf.d
mkdir -p "$conf"
for e in "$@"; do
    case "$e" in
    -*) continue ;;
    missing*) echo "error: $e does not exist" >&2; exit 1 ;;
    esac
    echo "extension=$e" > "$conf/docker-php-ext-$e.ini"
done
"""

_PECL = r"""
[ "$1" = install ] && mkdir -p /tmp/pear/cache && : > /tmp/pear/cache/download
"""

_BUN = _OUTPUT + r"""
case "$1" in
install) [ -f package.json ] || { echo "bun: no package.json" >&2; exit 1; }
    mkdir -p node_modules && echo bun > node_modules/.installed-by ;;
build) mkdir -p dist && echo "bundled" > dist/server.js ;;
*) echo "bun $*" ;;
esac
"""

# Deno: `deno install --frozen` needs the lock and fills DENO_DIR (not a cache mount: it is
# shipped), recording the files it found at the top of the work directory.
_DENO = r"""
case "$1" in
install) [ -f deno.lock ] && [ "$2" = --frozen ] || { echo "deno: no deno.lock" >&2; exit 1; }
    mkdir -p "$DENO_DIR/npm" && ls -A | sort | tr "\n" " " > "$DENO_DIR/npm/.installed-from" ;;
*) echo "deno $*" ;;
esac
"""

# Java: a fake jar is a shell script that `java -jar` runs. The dependency steps record what
# they saw at the top of the work directory (the manifests, not yet the sources).
_SAW = f'echo "saw $(ls -A | sort | tr "\\n" " ")" >> {CALLS}\n'

_MVN = _OUTPUT + r"""
case " $* " in
*" dependency:go-offline "*)
    [ -f pom.xml ] || { echo "mvn: no pom.xml" >&2; exit 1; }
""" + _SAW + r""" ;;
*" package "*)
    name=$(sed -n 's:.*<artifactId>\(.*\)</artifactId>.*:\1:p' pom.xml | head -n 1)
    fake_output "target/${name:-app}.jar" mvn ;;
esac
"""

_GRADLE = _OUTPUT + r"""
case " $* " in
*" dependencies "*)
""" + _SAW + r""" ;;
*" build "*|*" jar "*|*" bootJar "*)
    name=$(sed -n "s/^rootProject.name *= *[\"']\(.*\)[\"']/\1/p" settings.gradle* 2>/dev/null)
    fake_output "build/libs/${name:-app}.jar" "gradle GRADLE_OPTS=$GRADLE_OPTS" ;;
esac
"""

# `java -Djarmode=tools -jar X extract --layers … --destination D` writes Spring Boot's
# four layers under D (snapshot-dependencies empty).
_JAVA = r"""
case "$1" in -Djarmode=*)
    while [ $# -gt 0 ]; do [ "$1" = --destination ] && dest=$2; shift; done
    mkdir -p "$dest/dependencies/BOOT-INF/lib" "$dest/spring-boot-loader/org" \
        "$dest/snapshot-dependencies" "$dest/application/BOOT-INF/classes"
    echo dep > "$dest/dependencies/BOOT-INF/lib/dep.jar"
    echo loader > "$dest/spring-boot-loader/org/JarLauncher.class"
    echo app > "$dest/application/BOOT-INF/classes/App.class"
    exit 0 ;;
esac
if [ "$1" = -jar ]; then jar=$2; shift 2; exec sh "$jar" "$@"; fi
echo "java $*"
"""

# dotnet: `restore` needs a project; `publish -o DIR` writes DIR/NAME.dll (a script that
# `dotnet NAME.dll` runs) and, self-contained, the executable DIR/NAME.
_DOTNET = _OUTPUT + r"""
project=$(ls *.csproj *.fsproj 2>/dev/null | head -n 1)
name=${project%.*}
case "$1" in
restore)
    [ -n "$project$2" ] || { echo "MSB1003: no project or solution file" >&2; exit 1; }
""" + _SAW + r"""    cd "$(dirname "${2:-.}")" && mkdir -p obj
    echo restored > obj/project.assets.json ;;
publish)
    [ -f obj/project.assets.json ] || { echo "NETSDK1004: assets file not found" >&2; exit 1; }
    out=bin; shift
    contained=no
    while [ $# -gt 0 ]; do
        case "$1" in
        -o|--output) out=$2; shift ;;
        --self-contained|--sc) contained=yes ;;
        esac
        shift
    done
    fake_output "$out/$name.dll" "dotnet publish"
    if [ "$contained" = yes ]; then
        fake_output "$out/$name" "dotnet publish --self-contained"
    fi ;;
*.dll) dll=$1; shift; exec sh "$dll" "$@" ;;
esac
"""

# apt-get and apk: a package whose name starts with `missing` does not exist.
_APT = r"""
case "$1" in
update) mkdir -p /var/lib/apt/lists && echo index > /var/lib/apt/lists/ship-sem-index ;;
install)
    shift
    for p in "$@"; do
        case "$p" in
        -*) continue ;;
        missing*) echo "E: Unable to locate package $p" >&2; exit 100 ;;
        esac
        echo "$p" >> /var/lib/ship-sem/packages
        mkdir -p /var/cache/apt/archives && : > "/var/cache/apt/archives/ship-sem-$p.deb"
        tool=/usr/local/lib/ship-sem/bin/${p%%=*}  # a package that brings a fake tool
        if [ -f "$tool" ]; then cp "$tool" /usr/bin/; fi
    done ;;
esac
"""

_APK = r"""
[ "$1" = add ] || exit 0
shift
for p in "$@"; do
    case "$p" in
    -*) continue ;;
    missing*) echo "ERROR: unable to select packages: $p" >&2; exit 1 ;;
    esac
    echo "$p" >> /var/lib/ship-sem/packages
done
"""

# CMake: configure adds a line to the build folder's cache, --build makes the project's
# program there.
# Like CMake, the first configure of a build folder takes the C++ compiler that the
# toolchain file of CMAKE_TOOLCHAIN_FILE names, and keeps it in the folder's cache for good.
_CMAKE = _OUTPUT + r"""
compiler() { sed -n 's/^configured \(.*\)/\1/p' "$1/CMakeCache.txt" 2>/dev/null | head -n 1; }
if [ "$1" = --build ]; then
    [ -f "$2/CMakeCache.txt" ] || { echo "cmake: $2 is not configured" >&2; exit 1; }
    name=$(sed -n 's/^project(\([A-Za-z0-9_-]*\).*/\1/p' CMakeLists.txt | head -n 1)
    cxx=$(compiler "$2")
    fake_output "$2/${name:-app}" "cmake${cxx:+ $cxx}"
else
    build=build
    while [ $# -gt 0 ]; do [ "$1" = -B ] && { build=$2; shift; }; shift; done
    [ -f CMakeLists.txt ] || { echo "cmake: no CMakeLists.txt" >&2; exit 1; }
    cxx=$(compiler "$build")
    if [ -z "$cxx" ] && [ -n "$CMAKE_TOOLCHAIN_FILE" ]; then
        cxx=$(sed -n 's/^set(CMAKE_CXX_COMPILER \(.*\))$/\1/p' "$CMAKE_TOOLCHAIN_FILE")
    fi
    mkdir -p "$build" && echo "configured${cxx:+ $cxx}" >> "$build/CMakeCache.txt"
fi
"""

_DOCKER_CLEAN = 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb || true"; };\n'

_APT_FILES = {
    "usr/bin/apt-get": _APT, "etc/apt/apt.conf.d/docker-clean": _DOCKER_CLEAN,
    "usr/local/lib/ship-sem/bin/cmake": _CMAKE,
}
_NODE_TOOLS = {f"usr/local/bin/{t}": _NPM for t in ("npm", "pnpm", "yarn")}
_NODE_TOOLS |= {"usr/local/bin/node": _NODE, "usr/local/bin/corepack": ""}
_PYTHON_TOOLS = {
    "usr/local/bin/python": _PYTHON, "usr/local/bin/pip": _PIP, "usr/local/bin/uv": _UV,
    "usr/local/lib/ship-sem/poetry": _POETRY,
}
_RUBY_TOOLS = {"usr/local/bin/ruby": _RUBY, "usr/local/bin/bundle": _BUNDLE}
_PHP_TOOLS = {
    "usr/local/bin/php": _PHP, "usr/local/bin/docker-php-ext-install": _PHP_EXT,
    "usr/local/bin/docker-php-ext-enable": _PHP_EXT, "usr/local/bin/pecl": _PECL,
    "usr/local/bin/docker-php-ext-configure": "",
}
# The official PHP images make their work directory www-data's, mode 1777.
_PHP_FILES = {**_PHP_TOOLS, **_APT_FILES, "var/www/html/": "33 1777"}

_MCR = "mcr.microsoft.com/dotnet"
_APP_UID = ("ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080",)

# tag -> (extra files: path -> shell script body, or a plain file for paths under etc/;
#         `docker import --change` lines)
IMAGES: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    BUSYBOX: ({}, ()),
    f"golang:{VERSION}": (
        {"usr/local/go/bin/go": _GO},
        (f"ENV PATH=/go/bin:/usr/local/go/bin:{PATH}", "ENV GOPATH=/go", "WORKDIR /go"),
    ),
    f"rust:{VERSION}": (
        {"usr/local/cargo/bin/cargo": _CARGO, "usr/local/cargo/bin/rustup": "", **_APT_FILES},
        ("ENV CARGO_HOME=/usr/local/cargo", f"ENV PATH=/usr/local/cargo/bin:{PATH}"),
    ),
    f"gcc:{VERSION}": ({"usr/local/bin/gcc": _GCC}, ()),
    f"node:{VERSION}": ({**_NODE_TOOLS, **_APT_FILES}, ()),
    f"python:{VERSION}": ({**_PYTHON_TOOLS, **_APT_FILES}, ()),
    f"python:{VERSION}-slim": ({**_PYTHON_TOOLS, **_APT_FILES}, ()),
    f"debian:{VERSION}": (_APT_FILES, ()),
    # `build cmake bookworm-semsuite`: a release whose CMake reads CMAKE_TOOLCHAIN_FILE.
    f"debian:bookworm-{VERSION}": (_APT_FILES, ()),
    f"ubuntu:{VERSION}": (_APT_FILES, ()),
    f"alpine:{VERSION}": ({"sbin/apk": _APK}, ()),
    f"ruby:{VERSION}": ({**_RUBY_TOOLS, **_APT_FILES}, ("ENV GEM_HOME=/usr/local/bundle",)),
    f"ruby:{VERSION}-slim": ({**_RUBY_TOOLS, **_APT_FILES}, ("ENV GEM_HOME=/usr/local/bundle",)),
    f"composer:{VERSION}": ({"usr/bin/composer": _COMPOSER, "usr/local/bin/php": _PHP},
                            ("ENV COMPOSER_HOME=/tmp",)),
    **{
        f"php:{VERSION}{suffix}": (_PHP_FILES, ("WORKDIR /var/www/html",))
        for suffix in ("", "-cli", "-fpm", "-apache")
    },
    f"oven/bun:{VERSION}": ({"usr/local/bin/bun": _BUN}, ()),
    f"oven/bun:{VERSION}-slim": ({"usr/local/bin/bun": _BUN}, ()),
    f"denoland/deno:{VERSION}": ({"usr/bin/deno": _DENO}, ("ENV DENO_DIR=/deno-dir/",)),
    f"node:{VERSION}-alpine": ({**_NODE_TOOLS, "sbin/apk": _APK}, ()),
    # nginx-unprivileged runs as its own user, 101, with the site under /usr/share/nginx/html.
    f"nginxinc/nginx-unprivileged:{VERSION}": (
        {**_APT_FILES, "usr/sbin/nginx": 'echo "nginx $*"\n'},
        ("USER 101:101", "ENV NGINX_VERSION=semsuite"),
    ),
    f"maven:3.9-eclipse-temurin-{VERSION}": (
        {"usr/bin/mvn": _MVN, "usr/bin/java": _JAVA}, ("ENV JAVA_HOME=/opt/java",)
    ),
    f"gradle:8.10-jdk{VERSION}": ({"usr/bin/gradle": _GRADLE, "usr/bin/java": _JAVA}, ()),
    f"eclipse-temurin:{VERSION}-jdk": ({"usr/bin/java": _JAVA}, ()),
    f"eclipse-temurin:{VERSION}-jre": ({"usr/bin/java": _JAVA, **_APT_FILES}, ()),
    f"{_MCR}/sdk:{VERSION}": ({"usr/bin/dotnet": _DOTNET}, ()),
    f"{_MCR}/aspnet:{VERSION}": ({"usr/bin/dotnet": _DOTNET, **_APT_FILES}, _APP_UID),
    f"{_MCR}/runtime:{VERSION}": ({"usr/bin/dotnet": _DOTNET, **_APT_FILES}, _APP_UID),
    f"{_MCR}/runtime-deps:{VERSION}": (_APT_FILES, _APP_UID),
}

# An image ship knows nothing of, Debian-like (apt), that sets a variable of its own as
# the .NET images set APP_UID (TOOL_UID, which no preset declares): for `image REF` with
# `family` and `base-env`.
# A new tag whenever its content changes: every worktree shares the engine, and one with
# an older definition would remake the image under the same tag.
APT_IMAGE = "ship-sem/apt-image:2"
IMAGES[APT_IMAGE] = (_APT_FILES, ("ENV TOOL_UID=1654",))

# Shell-less stand-ins for the distroless tags the e2e suite never makes.
DISTROLESS_DEBIAN13 = "gcr.io/distroless/static-debian13:nonroot"

_PASSWD = (
    "root:x:0:0:root:/root:/bin/sh\n"
    "node:x:1000:1000:node:/home/node:/bin/sh\n"
    "nonroot:x:65532:65532:nonroot:/home/nonroot:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
)
_GROUP = "root:x:0:\nnode:x:1000:\nnonroot:x:65532:\nnogroup:x:65534:\n"


def _add(tar: tarfile.TarFile, path: str, data: bytes | None = None, mode: int = 0o644,
         link: str | None = None, uid: int = 0) -> None:
    info = tarfile.TarInfo(path)
    info.mode, info.uid, info.gid, info.mtime = mode, uid, uid, 0
    if link is not None:
        info.type, info.linkname = tarfile.SYMTYPE, link
    elif data is None:
        info.type = tarfile.DIRTYPE
    else:
        info.size = len(data)
    tar.addfile(info, io.BytesIO(data) if data is not None else None)


@functools.lru_cache(maxsize=1)
def _applets() -> list[str]:
    """Busybox's applets with their usual paths (bin/sh, usr/bin/env, …)."""
    if not os.access("/bin/busybox", os.X_OK):
        raise RuntimeError("/bin/busybox is missing: install busybox-static (scripts/engine.sh)")
    out = subprocess.run(["/bin/busybox", "--list-full"], capture_output=True, text=True,
                         check=True).stdout
    return [p for p in out.split() if p != "bin/busybox"]


def root_fs(extra: dict[str, str]) -> bytes:
    """A busybox root file system as a tar archive, with `extra` files added (a path
    ending in `/` is a folder, its body `UID MODE`: `"var/www/html/": "33 1777"`)."""
    buf = io.BytesIO()
    owned = {p.rstrip("/"): b.split() for p, b in extra.items() if p.endswith("/")}
    extra = {p: b for p, b in extra.items() if not p.endswith("/")}
    applets = [a for a in _applets() if a not in extra]
    files = [*applets, *extra, "bin/busybox", "bin/bash", "etc/passwd", "var/lib/ship-sem/x"]
    dirs = {"usr/local/bin", "usr/local/sbin", "home", "run"}
    for path in [*files, *(f"{d}/x" for d in owned)]:
        parts = path.split("/")[:-1]
        dirs.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for d in sorted(dirs):
            uid, mode = owned.get(d, ("0", "755"))
            _add(tar, d, mode=int(mode, 8), uid=int(uid))
        _add(tar, "tmp", mode=0o1777)
        _add(tar, "root", mode=0o700)
        _add(tar, "home/nonroot", mode=0o755, uid=65532)
        _add(tar, "home/node", mode=0o755, uid=1000)
        with open("/bin/busybox", "rb") as f:
            _add(tar, "bin/busybox", f.read(), 0o755)
        for applet in applets:
            _add(tar, applet, link="/bin/busybox")
        # Debian-based presets run pipes with /bin/bash -o pipefail: ash understands it.
        _add(tar, "bin/bash", b'#!/bin/sh\nexec /bin/busybox sh "$@"\n', 0o755)
        _add(tar, "etc/passwd", _PASSWD.encode())
        _add(tar, "etc/group", _GROUP.encode())
        for path, body in sorted(extra.items()):
            if path.startswith("etc/"):
                _add(tar, path, body.encode())
            else:
                _add(tar, path, f"#!/bin/sh\n{_RECORD}{body}".encode(), 0o755)
    return buf.getvalue()


def exists(tag: str) -> bool:
    return docker("image", "inspect", "--format", "{{.Id}}", tag).returncode == 0


def _comment(tag: str) -> str | None:
    p = docker("image", "inspect", "--format", "{{.Comment}}", tag)
    return p.stdout.strip() if p.returncode == 0 else None


def _import(tag: str, rootfs: bytes, comment: str, changes: tuple[str, ...]) -> None:
    flags = [a for c in (f"ENV PATH={PATH}", *changes, 'CMD ["sh"]') for a in ("--change", c)]
    p = docker("import", "--message", comment, *flags, "-", tag, input=rootfs, text=False)
    if p.returncode != 0:
        raise RuntimeError(f"docker import {tag} failed: {p.stderr.decode(errors='replace')}")


def _distroless_static(tag: str = DISTROLESS_STATIC) -> None:
    """A distroless static stand-in, made only if the e2e suite has not made the real
    one: no shell, the nonroot user, owned by nobody else."""
    if exists(tag):
        return
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for d in ("etc", "home", "root"):
            _add(tar, d, mode=0o755)
        _add(tar, "tmp", mode=0o1777)
        _add(tar, "home/nonroot", mode=0o700, uid=65532)
        _add(tar, "etc/passwd", _PASSWD.encode())
        _add(tar, "etc/group", _GROUP.encode())
    flags = ["--change", "USER 65532:65532", "--change", f"LABEL {STANDIN_LABEL}=1"]
    p = docker("import", *flags, "-", tag, input=buf.getvalue(), text=False)
    if p.returncode != 0:
        raise RuntimeError(f"docker import {tag} failed: {p.stderr!r}")


def ensure() -> None:
    """Make every stand-in that is missing or out of date (about a second each); reuse the
    others. An image's comment holds a digest of its files and settings, so a change to a
    fake tool here remakes the image on the next run."""
    for tag, (extra, changes) in IMAGES.items():
        rootfs = root_fs(extra)
        digest = hashlib.sha256(rootfs + repr(changes).encode()).hexdigest()[:16]
        comment = f"ship-sem stand-in {digest}"
        if _comment(tag) != comment:
            old = docker("image", "inspect", "--format", "{{.Id}}", tag).stdout.strip()
            _import(tag, rootfs, comment, changes)
            if old:  # the out-of-date image, now untagged (kept if something still uses it)
                docker("rmi", old)
    _distroless_static()
    _distroless_static(DISTROLESS_DEBIAN13)


if __name__ == "__main__":
    ensure()
    print("stand-ins ready:", ", ".join([*IMAGES, DISTROLESS_STATIC, DISTROLESS_DEBIAN13]))

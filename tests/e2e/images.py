#!/usr/bin/env python3
"""Make the local base images that the end-to-end tests (and the compiler's presets) name.

No image registry is reachable, so every base image is made here, from Debian bookworm:

1. ``ship-e2e/minbase:bookworm``: ``debootstrap --variant=minbase`` once, then ``docker import``.
2. ``debian:bookworm-slim``: that same image, re-tagged.
3. Everything else: one multi-stage Dockerfile (below) built FROM the minbase, one
   ``docker build --target`` per image, run concurrently so BuildKit shares the common
   ``apt`` stage (a single ``apt-get update``) and downloads in parallel.

Images that ``docker image inspect`` already finds are reused: a warm run takes seconds.

Run as ``python3 tests/e2e/images.py`` (after ``bash scripts/engine.sh``), or import and
call ``ensure_images()``, which raises ``RuntimeError`` on failure.
"""
from __future__ import annotations

import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

DOCKER = "/usr/bin/docker"
MIRROR = "http://deb.debian.org/debian"
MINBASE = "ship-e2e/minbase:bookworm"

# Debian bookworm ships exactly these toolchain versions: gcc 12, Go 1.19, rustc 1.63,
# Python 3.11, Node.js 18.
DOCKERFILE = r"""
FROM ship-e2e/minbase:bookworm AS apt
RUN apt-get update

# A toolchain/runtime installs packages with the package lists of the `apt` stage
# bind-mounted (so the lists never land in an image layer) and a cache for the .debs.
FROM ship-e2e/minbase:bookworm AS gcc
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends g++ gcc libc6-dev make

FROM ship-e2e/minbase:bookworm AS golang
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends ca-certificates gcc golang-go libc6-dev \
 && mkdir -p /go/bin /go/pkg/mod /go/src && chmod -R 1777 /go
ENV GOPATH=/go \
    GOTOOLCHAIN=local \
    PATH=/go/bin:/usr/lib/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /go

FROM ship-e2e/minbase:bookworm AS rust
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends ca-certificates cargo gcc libc6-dev rustc \
 && mkdir -p /usr/local/cargo/bin /usr/local/cargo/registry /usr/local/cargo/git \
 && chmod -R a+w /usr/local/cargo
ENV CARGO_HOME=/usr/local/cargo \
    RUSTUP_HOME=/usr/local/rustup \
    PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# `rust:1.63-bookworm`: the same Rust with the standard library for linux/arm64, which
# `rustup target add aarch64-unknown-linux-gnu` gives the official image: the rlibs of
# Debian's libstd-rust-dev:arm64 (for this very rustc), and no more (not its arm64 LLVM,
# nor the test and proc-macro crates, which run on the build machine). The cross linker is
# what the generated Dockerfile installs (tests/e2e/test_cross.py).
FROM ship-e2e/minbase:bookworm AS rust-std-arm64
RUN dpkg --add-architecture arm64 && apt-get update \
 && cd /tmp && apt-get download libstd-rust-dev:arm64 \
 && dpkg-deb -x libstd-rust-dev_*_arm64.deb /tmp/x \
 && mkdir /out && cp /tmp/x/usr/lib/rustlib/aarch64-unknown-linux-gnu/lib/*.rlib /out/ \
 && rm /out/libtest-*.rlib /out/libproc_macro-*.rlib /out/libgetopts-*.rlib

FROM rust AS rust-cross
COPY --from=rust-std-arm64 /out/ /usr/lib/rustlib/aarch64-unknown-linux-gnu/lib/

FROM ship-e2e/minbase:bookworm AS python
# Like the official image: `python` and `pip` commands, and no PEP 668 marker, so that
# `pip install` outside a venv works as it does on python:3.11.
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends ca-certificates python3 python3-pip python3-venv \
 && ln -s /usr/bin/python3 /usr/local/bin/python \
 && rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED

FROM ship-e2e/minbase:bookworm AS node
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends ca-certificates nodejs npm

FROM ship-e2e/minbase:bookworm AS python-slim
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends python3 \
 && ln -s /usr/bin/python3 /usr/local/bin/python \
 && rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED

FROM ship-e2e/minbase:bookworm AS distroless-nodejs
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends nodejs \
 && mkdir -p /nodejs/bin \
 && ln -s /usr/bin/node /nodejs/bin/node
ENTRYPOINT ["/nodejs/bin/node"]

# Ruby like the official image: gems under GEM_HOME=/usr/local/bundle, Bundler's settings
# there too. Debian's bundler is the Bundler that the official image carries as a default gem.
FROM ship-e2e/minbase:bookworm AS ruby
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends bundler ca-certificates gcc libc6-dev make ruby ruby-dev \
 && mkdir -p /usr/local/bundle && chmod 777 /usr/local/bundle
ENV GEM_HOME=/usr/local/bundle \
    BUNDLE_APP_CONFIG=/usr/local/bundle \
    BUNDLE_SILENCE_ROOT_WARNING=1 \
    LANG=C.UTF-8 \
    PATH=/usr/local/bundle/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

FROM ship-e2e/minbase:bookworm AS ruby-slim
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends bundler ruby \
 && mkdir -p /usr/local/bundle && chmod 777 /usr/local/bundle
ENV GEM_HOME=/usr/local/bundle \
    BUNDLE_APP_CONFIG=/usr/local/bundle \
    BUNDLE_SILENCE_ROOT_WARNING=1 \
    LANG=C.UTF-8 \
    PATH=/usr/local/bundle/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Composer like the official image: Composer on PHP, with git and unzip, COMPOSER_HOME=/tmp.
FROM ship-e2e/minbase:bookworm AS composer
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends ca-certificates composer git php8.2-cli unzip
ENV COMPOSER_HOME=/tmp COMPOSER_ALLOW_SUPERUSER=1
WORKDIR /app

# PHP's CLI image: php, and the work directory /var/www/html that the official images have.
FROM ship-e2e/minbase:bookworm AS php-cli
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends php8.2-cli \
 && mkdir -p /var/www/html && chown 33:33 /var/www/html
WORKDIR /var/www/html

# Bun: its Linux binary as npm publishes it (the image runs as root; the runtime presets
# name the user).
FROM ship-e2e/minbase:bookworm AS bun-files
ADD https://registry.npmjs.org/@oven/bun-linux-x64/-/bun-linux-x64-1.2.23.tgz /tmp/bun.tgz
RUN tar -xzf /tmp/bun.tgz -C /tmp && install -m 755 /tmp/package/bin/bun /out-bun

FROM ship-e2e/minbase:bookworm AS bun
COPY --from=bun-files /out-bun /usr/local/bin/bun
RUN ln -s bun /usr/local/bin/bunx && groupadd -g 1000 bun && useradd -u 1000 -g bun -m bun
WORKDIR /home/bun/app

# Deno: its Linux binary as npm publishes it, with what the official image adds (the user
# `deno`, 1993, and DENO_DIR). Deno trusts its own copy of Mozilla's roots; the stand-in
# also trusts the system store, where host_ca.py puts the host's CAs.
FROM ship-e2e/minbase:bookworm AS deno-files
ADD https://registry.npmjs.org/@deno/linux-x64-glibc/-/linux-x64-glibc-2.1.4.tgz /tmp/deno.tgz
RUN tar -xzf /tmp/deno.tgz -C /tmp && install -m 755 /tmp/package/deno /out-deno

FROM ship-e2e/minbase:bookworm AS deno
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends ca-certificates
COPY --from=deno-files /out-deno /usr/bin/deno
RUN useradd --uid 1993 --user-group deno && mkdir /deno-dir/ && chown deno:deno /deno-dir/
ENV DENO_DIR=/deno-dir/ \
    DENO_INSTALL_ROOT=/usr/local \
    DENO_VERSION=2.1.4 \
    DENO_TLS_CA_STORE=mozilla,system

# Maven on JDK 17 (Debian's: Maven 3.8.7, OpenJDK 17), with no registry: Maven Central is
# unreachable, so every remote repository is mirrored by Debian's own Maven repository
# (/usr/share/maven-repo, which the plugin packages fill). Maven copies what a build needs
# from it into the local repository (the preset's cache mount), as it would download it.
FROM ship-e2e/minbase:bookworm AS maven
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends default-jdk-headless maven \
        libmaven-antrun-plugin-java libmaven-assembly-plugin-java libmaven-clean-plugin-java \
        libmaven-compiler-plugin-java libmaven-dependency-plugin-java \
        libmaven-deploy-plugin-java libmaven-install-plugin-java libmaven-jar-plugin-java \
        libmaven-resources-plugin-java libmaven-site-plugin-java libsurefire-java \
 && mkdir -p /root/.m2 \
 && printf '%s\n' '<settings><mirrors><mirror><id>debian</id><mirrorOf>*</mirrorOf>' \
        '<url>file:///usr/share/maven-repo</url></mirror></mirrors></settings>' \
        > /root/.m2/settings.xml
ENV JAVA_HOME=/usr/lib/jvm/default-java \
    MAVEN_HOME=/usr/share/maven

# Gradle on JDK 17: Debian's Gradle 4.4.1 (patched to run on OpenJDK 17), which builds a
# project of the `java` plugin with no repository at all.
FROM ship-e2e/minbase:bookworm AS gradle
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends default-jdk-headless gradle
ENV JAVA_HOME=/usr/lib/jvm/default-java \
    GRADLE_HOME=/usr/share/gradle

# The Temurin JRE's stand-in: Debian's OpenJDK 17 runtime (headless).
FROM ship-e2e/minbase:bookworm AS temurin-jre
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends openjdk-17-jre-headless
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
    LANG=C.UTF-8

# nginx as the nginx project's unprivileged image runs it: as 101, listening on 8080, its
# pid and temporary files under /tmp, logs to the container's output, the site under
# /usr/share/nginx/html and the sites in /etc/nginx/conf.d (Debian's nginx 1.22).
FROM ship-e2e/minbase:bookworm AS nginx-unprivileged
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends nginx \
 && groupadd --system --gid 101 nginx \
 && useradd --system --uid 101 --gid 101 --home-dir /nonexistent --shell /usr/sbin/nologin nginx \
 && rm -rf /etc/nginx/sites-enabled /etc/nginx/sites-available /var/www/html \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log \
 && mkdir -p /usr/share/nginx/html \
 && printf '%s\n' '<!doctype html><title>nginx</title><p>nginx is serving.</p>' \
        > /usr/share/nginx/html/index.html \
 && printf '%s\n' 'worker_processes auto;' 'error_log /dev/stderr notice;' \
        'pid /tmp/nginx.pid;' 'events { worker_connections 1024; }' 'http {' \
        '    client_body_temp_path /tmp/client_temp;' '    proxy_temp_path /tmp/proxy_temp;' \
        '    fastcgi_temp_path /tmp/fastcgi_temp;' '    uwsgi_temp_path /tmp/uwsgi_temp;' \
        '    scgi_temp_path /tmp/scgi_temp;' '    include /etc/nginx/mime.types;' \
        '    default_type application/octet-stream;' '    access_log /dev/stdout;' \
        '    sendfile on;' '    keepalive_timeout 65;' '    include /etc/nginx/conf.d/*.conf;' '}' \
        > /etc/nginx/nginx.conf \
 && printf '%s\n' 'server {' '    listen 8080;' '    server_name localhost;' \
        '    location / {' '        root /usr/share/nginx/html;' '        index index.html;' \
        '    }' '}' > /etc/nginx/conf.d/default.conf
ENV NGINX_VERSION=1.22.1
EXPOSE 8080
STOPSIGNAL SIGQUIT
USER 101
CMD ["nginx", "-g", "daemon off;"]

# The distroless root file systems are assembled under /out, then copied onto scratch.
FROM ship-e2e/minbase:bookworm AS distroless-files
RUN --mount=type=bind,from=apt,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw \
    --mount=type=cache,id=ship-e2e-debs,target=/var/cache/apt/archives,sharing=private \
    apt-get install -y --no-install-recommends ca-certificates tzdata
RUN set -eu; \
    s=/out/static; \
    mkdir -p "$s/etc/ssl/certs" "$s/usr/share" "$s/tmp" "$s/home/nonroot" "$s/root"; \
    chmod 1777 "$s/tmp"; chmod 700 "$s/root"; chown 65532:65532 "$s/home/nonroot"; \
    printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' \
        'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
        'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' > "$s/etc/passwd"; \
    printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'nonroot:x:65532:' > "$s/etc/group"; \
    cp /etc/ssl/certs/ca-certificates.crt "$s/etc/ssl/certs/"; \
    cp -a /usr/share/zoneinfo "$s/usr/share/"; \
    c=/out/cc; cp -a "$s" "$c"; \
    triplet=$(basename "$(dirname "$(readlink -f /usr/lib/*-linux-gnu/libc.so.6)")"); \
    mkdir -p "$c/usr/lib/$triplet"; \
    ln -s usr/lib "$c/lib"; \
    for lib in ld-linux-*.so.* libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 \
               libresolv.so.2 libutil.so.1 libnss_dns.so.2 libnss_files.so.2 \
               libgcc_s.so.1 libstdc++.so.6; do \
        for f in /usr/lib/"$triplet"/$lib; do \
            if [ -e "$f" ]; then cp -L "$f" "$c/usr/lib/$triplet/"; fi; \
        done; \
    done; \
    if [ -d /usr/lib64 ]; then cp -a /usr/lib64 "$c/usr/lib64"; ln -s usr/lib64 "$c/lib64"; fi; \
    mkdir -p "$c/etc"; echo "/usr/lib/$triplet" > "$c/etc/ld.so.conf"

FROM scratch AS distroless-static
COPY --from=distroless-files /out/static/ /
USER 0:0

FROM scratch AS distroless-cc
COPY --from=distroless-files /out/cc/ /
USER 0:0

# The `:nonroot` tags of the distroless images: same files, USER 65532 (hadolint's DL3006
# wants a tag on FROM and DL3007 forbids `latest`, so generated Dockerfiles name these).
FROM distroless-static AS distroless-static-nonroot
USER 65532:65532

FROM distroless-cc AS distroless-cc-nonroot
USER 65532:65532

FROM distroless-nodejs AS distroless-nodejs-nonroot
USER 65532:65532
"""

# tag -> (Dockerfile target, command that proves it works)
# The distroless images have no shell: they are checked with the host's static busybox
# bind-mounted in (busybox-static is installed by scripts/engine.sh).
BB = ["-v", "/bin/busybox:/busybox:ro"]
BUILT = {
    "gcc:12": ("gcc", [[], ["gcc", "--version"]]),
    "golang:1.19": ("golang", [[], ["sh", "-c", "go version && test \"$(go env GOMODCACHE)\" = /go/pkg/mod"]]),
    "rust:1.63": ("rust", [[], ["sh", "-c", "rustc --version && cargo --version && test \"$CARGO_HOME\" = /usr/local/cargo"]]),
    "rust:1.63-bookworm": ("rust-cross", [[], ["sh", "-c", "ls $(rustc --print target-libdir --target aarch64-unknown-linux-gnu)/libstd-*.rlib"]]),
    "python:3.11": ("python", [[], ["sh", "-c", "python --version && pip --version && python -m venv /tmp/v"]]),
    "node:18": ("node", [[], ["sh", "-c", "node --version && npm --version"]]),
    "python:3.11-slim": ("python-slim", [[], ["sh", "-c", "python --version && ! python -m pip --version 2>/dev/null"]]),
    "gcr.io/distroless/nodejs18-debian12": ("distroless-nodejs", [[], ["-e", "console.log(process.version)"]]),
    "gcr.io/distroless/static-debian12": ("distroless-static", [
        BB, ["/busybox", "sh", "-c", "/busybox grep -q '^nonroot:x:65532:65532:' /etc/passwd && test -s /etc/ssl/certs/ca-certificates.crt && test -e /usr/share/zoneinfo/UTC && test -d /tmp && ! test -e /bin/sh && echo static ok"]]),
    "gcr.io/distroless/cc-debian12": ("distroless-cc", [
        BB, ["/busybox", "sh", "-c", "/busybox ls /usr/lib/*-linux-gnu/libgcc_s.so.1 /usr/lib/*-linux-gnu/libc.so.6 /lib64/ld-linux-*.so.* && ! test -e /bin/sh"]]),
    "gcr.io/distroless/static-debian12:nonroot": ("distroless-static-nonroot", [BB, ["/busybox", "id", "-u"]]),
    "gcr.io/distroless/cc-debian12:nonroot": ("distroless-cc-nonroot", [
        BB + ["-v", "/usr/bin/true:/true:ro"], ["/true"]]),  # a dynamically linked Debian binary runs
    "ruby:3.1": ("ruby", [[], ["sh", "-c", "ruby --version && bundle --version"]]),
    "ruby:3.1-slim": ("ruby-slim", [[], ["sh", "-c", "ruby --version && bundle --version"]]),
    "composer:2.5": ("composer", [[], ["sh", "-c", "composer --version && php --version"]]),
    "php:8.2-cli": ("php-cli", [[], ["sh", "-c", "php --version && test \"$(pwd)\" = /var/www/html"]]),
    "oven/bun:1.2": ("bun", [[], ["bun", "--version"]]),
    "nginxinc/nginx-unprivileged:1.22": ("nginx-unprivileged", [[], ["sh", "-c", "nginx -t && id -u"]]),
    "oven/bun:1.2-slim": ("bun", [[], ["bun", "--version"]]),
    "denoland/deno:2.1.4": ("deno", [[], ["sh", "-c", "deno --version && id -u deno"]]),
    "gcr.io/distroless/nodejs18-debian12:nonroot": ("distroless-nodejs-nonroot", [[], ["-e", "console.log(process.getuid())"]]),
    "maven:3.9-eclipse-temurin-17": ("maven", [[], ["sh", "-c", "mvn -v && javac -version"]]),
    "gradle:8.10-jdk17": ("gradle", [[], ["sh", "-c", "gradle --version && javac -version"]]),
    "eclipse-temurin:17-jre": ("temurin-jre", [[], ["sh", "-c", "java -version && ! command -v javac"]]),
}

_print_lock = threading.Lock()


def log(msg: str) -> None:
    with _print_lock:
        print(f"[images] {msg}", flush=True)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, DOCKER_BUILDKIT="1")
    return subprocess.run(cmd, env=env, text=True, **kw)


def image_exists(tag: str) -> bool:
    return run([DOCKER, "image", "inspect", tag], capture_output=True).returncode == 0


def check(tag: str, how: list[list[str]]) -> None:
    opts, cmd = how
    p = run([DOCKER, "run", "--rm", *opts, tag, *cmd], capture_output=True)
    if p.returncode != 0:
        # Untag it, so that the next run makes it again instead of reusing a broken image.
        run([DOCKER, "rmi", tag], capture_output=True)
        raise RuntimeError(f"{tag} does not work: {cmd}\n{p.stdout}{p.stderr}")
    first = (p.stdout.strip().splitlines() or [""])[0]
    log(f"  ok {tag}: {first}")


def make_minbase() -> None:
    """debootstrap bookworm minbase once and import it (the root fs is not kept on disk)."""
    if not shutil.which("debootstrap") and not os.path.exists("/usr/sbin/debootstrap"):
        raise RuntimeError("debootstrap is missing: run scripts/engine.sh first")
    tmp = tempfile.mkdtemp(prefix="ship-e2e-minbase-")
    try:
        root = os.path.join(tmp, "root")
        env = dict(os.environ, PATH="/usr/sbin:/usr/bin:/sbin:/bin:" + os.environ.get("PATH", ""))
        p = subprocess.run(["debootstrap", "--variant=minbase", "bookworm", root, MIRROR],
                           env=env, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"debootstrap failed:\n{p.stdout[-3000:]}{p.stderr[-3000:]}")
        # Slim it like debian:bookworm-slim: no package lists or .debs, no device nodes.
        for sub in ("var/lib/apt/lists", "var/cache/apt/archives"):
            d = os.path.join(root, sub)
            for name in os.listdir(d):
                path = os.path.join(d, name)
                if os.path.isfile(path):
                    os.unlink(path)
        tar = subprocess.Popen(["tar", "-C", root, "--numeric-owner",
                                "--exclude=./dev/*", "--exclude=./proc/*", "--exclude=./sys/*",
                                "-c", "."], stdout=subprocess.PIPE)
        imp = run([DOCKER, "import",
                   "--change", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                   "--change", 'CMD ["bash"]',
                   "-", MINBASE], stdin=tar.stdout, capture_output=True)
        tar.stdout.close()
        if tar.wait() != 0 or imp.returncode != 0:
            raise RuntimeError(f"docker import failed: {imp.stderr}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def build(tag: str, target: str, dockerfile_dir: str) -> float:
    t0 = time.monotonic()
    p = run([DOCKER, "build", "--progress=plain", "--target", target, "-t", tag, dockerfile_dir],
            capture_output=True)
    if p.returncode != 0:
        raise RuntimeError(f"building {tag} (target {target}) failed:\n{p.stderr[-5000:]}")
    return time.monotonic() - t0


def ensure_images() -> None:
    """Make every image that is missing; verify the ones made. Raises RuntimeError on failure."""
    if run([DOCKER, "info"], capture_output=True, timeout=30).returncode != 0:
        raise RuntimeError("no Docker engine answers: run `bash scripts/engine.sh` first")
    start = time.monotonic()

    if image_exists(MINBASE):
        log(f"reuse {MINBASE}")
    else:
        t0 = time.monotonic()
        log(f"debootstrap bookworm minbase -> {MINBASE} ...")
        make_minbase()
        log(f"made {MINBASE} in {time.monotonic() - t0:.0f}s")
        check(MINBASE, [[], ["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]])

    if not image_exists("debian:bookworm-slim"):
        run([DOCKER, "tag", MINBASE, "debian:bookworm-slim"], check=True)
        log("tagged debian:bookworm-slim")
    else:
        log("reuse debian:bookworm-slim")

    missing = [tag for tag in BUILT if not image_exists(tag)]
    for tag in BUILT:
        if tag not in missing:
            log(f"reuse {tag}")
    if missing:
        with tempfile.TemporaryDirectory(prefix="ship-e2e-build-") as ctx:
            with open(os.path.join(ctx, "Dockerfile"), "w") as f:
                f.write(DOCKERFILE)
            log(f"building {len(missing)} images concurrently: {', '.join(missing)}")
            errors = []
            # All builds at once: BuildKit runs the shared `apt` stage once for all of them.
            with concurrent.futures.ThreadPoolExecutor(max_workers=len(missing)) as pool:
                futs = {pool.submit(build, tag, BUILT[tag][0], ctx): tag for tag in missing}
                for fut in concurrent.futures.as_completed(futs):
                    tag = futs[fut]
                    try:
                        log(f"built {tag} in {fut.result():.0f}s (since start of builds)")
                    except Exception as e:  # collect, report all
                        errors.append(str(e))
            if errors:
                raise RuntimeError("\n\n".join(errors))
        for tag in missing:
            check(tag, BUILT[tag][1])

    log(f"all images ready in {time.monotonic() - start:.1f}s")


if __name__ == "__main__":
    try:
        ensure_images()
    except RuntimeError as e:
        print(f"[images] ERROR: {e}", file=sys.stderr)
        sys.exit(1)

"""Lowering rules whose point is behaviour, proved by building on the engine.

Each case compiles a small .ship file whose stages start from a busybox stand-in made
here (`docker import` of the host's /bin/busybox: about a second, reused when present),
builds one target from a throw-away context and asserts what the build saw or produced.
Every build takes a few seconds at most; nothing is pulled from a registry.
"""

from __future__ import annotations

import io
import tarfile
import textwrap
import uuid
from pathlib import Path

import pytest

import shipc
from e2e.engine import docker

pytestmark = pytest.mark.engine

BUSYBOX = "ship-h5/busybox:1"
# A Debian-like stand-in for the apt runtimes: `runtime debian ship-h5` is FROM debian:ship-h5.
APT_VERSION = "ship-h5"
APT_IMAGE = f"debian:{APT_VERSION}"
DOCKER_CLEAN = "/etc/apt/apt.conf.d/docker-clean"
_APPLETS = ("sh", "ls", "cat", "mkdir", "cp", "mv", "rm", "test", "echo", "printf", "touch",
            "chmod", "find", "grep", "true", "false", "env", "id", "sleep", "[")
# A fake apt-get: records each call and whether the image's clean-up hook was on (the real
# hook empties the package caches after every install, so cache mounts would gain nothing).
_APT_GET = f"""#!/bin/sh
mkdir -p /var/lib/apt/lists /var/cache/apt/archives /var/log
hook=off; [ ! -e {DOCKER_CLEAN} ] || hook=on
echo "apt-get $* (hook $hook)" >> /var/log/fake-apt
"""


def _tar(files: dict[str, tuple[bytes, int]], links: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path, (data, mode) in files.items():
            info = tarfile.TarInfo(path)
            info.size, info.mode = len(data), mode
            tar.addfile(info, io.BytesIO(data))
        for path, target in links.items():
            info = tarfile.TarInfo(path)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
    return buffer.getvalue()


def _import(tag: str, extra: dict[str, tuple[bytes, int]]) -> None:
    if docker("image", "inspect", tag).returncode == 0:
        return
    files = {"bin/busybox": (Path("/bin/busybox").read_bytes(), 0o755), **extra}
    links = {f"bin/{name}": "busybox" for name in _APPLETS}
    change = "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    result = docker("import", "-c", change, "-", tag, input=_tar(files, links), text=False)
    assert result.returncode == 0, result.stderr.decode()


@pytest.fixture(scope="module")
def images() -> None:
    """The stand-ins, made once (idempotent: an image already present is reused)."""
    _import(BUSYBOX, {})
    _import(
        APT_IMAGE,
        {
            "usr/bin/apt-get": (_APT_GET.encode(), 0o755),
            DOCKER_CLEAN.lstrip("/"): (b'DPkg::Post-Invoke { "rm -f /var/cache/apt/*.bin"; };\n',
                                       0o644),
        },
    )


def build(tmp_path: Path, source: str, files: dict[str, str], target: str) -> str:
    """Compile `source`, build `target` from a context of `files`; return the image id."""
    dockerfile = shipc.compile_source(textwrap.dedent(source), "t.ship").dockerfile
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "Dockerfile").write_text(dockerfile)
    result = docker("build", "-q", "--target", target, str(tmp_path))
    assert result.returncode == 0, dockerfile + result.stderr
    return result.stdout.strip()


def run(image: str, *command: str) -> str:
    result = docker("run", "--rm", "--entrypoint", "", image, *command)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_install_sees_the_blocks_cache_mounts_like_the_runs(tmp_path, images):
    """`install` fills a `cache` path (a package cache) that a later `run` reads: both need
    the mount, or the empty mount hides what `install` downloaded."""
    cache = f"/root/.pkgs-{uuid.uuid4().hex[:8]}"  # fresh: no earlier build filled it
    source = f"""
        app demo
        build image {BUSYBOX} {{
            cache {cache}
            deps manifest.txt
            install mkdir -p {cache} && cp manifest.txt {cache}/restored
            run test -f {cache}/restored
        }}
        runtime image {BUSYBOX} {{
        }}
        """
    build(tmp_path, source, {"manifest.txt": "x\n"}, "build")


def test_deps_and_copies_keep_their_relative_paths(tmp_path, images):
    """`deps pom.xml mvnw .mvn`: the folder `.mvn` must arrive as `.mvn`, not spilled into
    the work directory; a nested file and a nested glob keep their folders too."""
    source = f"""
        app demo
        build image {BUSYBOX} {{
            workdir /w
            deps pom.xml mvnw .mvn sub/x.txt conf/*.xml
            install test -f .mvn/wrapper/maven-wrapper.properties && test -f sub/x.txt \\
                && test -f conf/a.xml && test -f pom.xml \\
                && test ! -e wrapper && test ! -e x.txt && test ! -e a.xml
            copy src conf/*.xml
            run test -f src/main/App.java && test -f conf/b.xml && test ! -e main && test ! -e b.xml
        }}
        runtime image {BUSYBOX} {{
        }}
        """
    files = {
        "pom.xml": "<project/>",
        "mvnw": "#!/bin/sh\n",
        ".mvn/wrapper/maven-wrapper.properties": "x=1\n",
        "sub/x.txt": "x\n",
        "conf/a.xml": "<a/>",
        "conf/b.xml": "<b/>",
        "src/main/App.java": "class App {}\n",
    }
    build(tmp_path, source, files, "build")


def test_packages_keep_the_images_apt_clean_up_hook(tmp_path, images):
    """`packages` installs with apt's caches in cache mounts, so the image's docker-clean
    hook must be off during the install; but the image keeps it, or every later apt-get
    (in a `run`, in a stage built on this one) leaves its downloads in a layer."""
    source = f"""
        app demo
        runtime debian {APT_VERSION} {{
            packages curl=7.88.1-10
            run apt-get install -y less
        }}
        """
    image = build(tmp_path, source, {}, "runtime")
    assert run(image, "cat", DOCKER_CLEAN).startswith("DPkg::Post-Invoke")
    assert run(image, "cat", "/var/log/fake-apt").splitlines() == [
        "apt-get update (hook off)",
        "apt-get install -y --no-install-recommends curl=7.88.1-10 (hook off)",
        "apt-get install -y less (hook on)",
    ]


def test_a_destination_starting_with_an_absolute_arg_lands_there(tmp_path, images):
    """`copy config.toml -> ${APP}/config.toml` with `arg APP=/srv/app`: the file is at
    /srv/app/config.toml, not under the runtime's work directory as well."""
    source = f"""
        app demo
        arg APP=/srv/app
        build image {BUSYBOX} {{
            run mkdir -p /out && echo built > /out/demo
            artifact /out/demo -> ${{APP}}/bin/demo
        }}
        runtime image {BUSYBOX} {{
            copy config.toml -> ${{APP}}/config.toml
        }}
        """
    image = build(tmp_path, source, {"config.toml": "port = 8080\n"}, "runtime")
    assert run(image, "cat", "/srv/app/config.toml", "/srv/app/bin/demo") == "port = 8080\nbuilt\n"


def test_a_program_goes_among_the_programs_and_a_system_file_keeps_its_path(tmp_path, images):
    """In a go build (the e2e stand-in golang:1.19), `artifact /out/demo` lands at
    /usr/local/bin/demo, but a file under /usr/share stays at its path."""
    if docker("image", "inspect", "golang:1.19").returncode != 0:
        pytest.skip("the e2e stand-in golang:1.19 is not built (tests/e2e/images.py)")
    source = f"""
        app demo
        build go 1.19 {{
            deps none
            run mkdir -p /out /usr/share/demo && echo prog > /out/demo \\
                && echo data > /usr/share/demo/data.txt
            artifact /out/demo
            artifact /usr/share/demo/data.txt
        }}
        runtime image {BUSYBOX} {{
        }}
        """
    image = build(tmp_path, source, {}, "runtime")
    assert run(image, "cat", "/usr/local/bin/demo", "/usr/share/demo/data.txt") == "prog\ndata\n"

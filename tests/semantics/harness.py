"""Compile a .ship text, build it on the engine, look at the result.

    image = build(SHIP, files={"main.go": "…"})        # compiles (raising on errors), builds
    config(image)["Env"]                              # `docker image inspect` .Config
    sh(image, "id -u")                                # runs in the image, as its user
    tree(image)["/app/x"].uid                         # files of an image without a shell
    output = build_fails(SHIP)                        # the build must fail; its log

Every image built is tagged `ship-sem/case:SESSION-N` and removed at the end of the session
(`remove_built`). The stand-in bases are never removed.

A case registers what it proves with `@case("env", "label")`; test_sem_coverage.py
walks the compiler's directive table and fails for any name no case covers.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import tarfile
import tempfile
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import shipc
from e2e.engine import docker

TAG = "ship-sem/case"
# Tags are this session's own (ship-sem/case:<session>-<n>): another session running at the
# same time on the engine must not move a tag this one is inspecting.
_SESSION = uuid.uuid4().hex[:8]
_counter = itertools.count(1)
_built: list[str] = []
_memo: dict[tuple, "Built"] = {}
_trees: dict[str, dict] = {}
_lock = threading.Lock()


def case(*names: str) -> Callable:
    """Mark a test as an engine case proving the named directives, options or blocks.
    Names are as in the compiler's tables: `env`, `healthcheck.interval`, `build`, …"""

    def mark(fn: Callable) -> Callable:
        fn.ship_covers = getattr(fn, "ship_covers", ()) + names
        return fn

    return mark


# Values that must reach the image exactly: name -> (as written in a .ship file, value).
LITERALS = {
    "SPACES": ("\"two  words \"", "two  words "),
    "DQUOTE": ('"say \\"hi\\""', 'say "hi"'),
    "SQUOTE": ("it's", "it's"),
    "BACKSLASH": ('"a\\\\b"', "a\\b"),
    "BARE_BACKSLASH": ("c:\\dir", "c:\\dir"),
    "HASH": ('"#not-a-comment"', "#not-a-comment"),
    "INNER_HASH": ("a#b", "a#b"),
    "EQUALS": ("k=v=w", "k=v=w"),
    "UNICODE": ("héllo→✓", "héllo→✓"),
    "BRACES": ('"{x}"', "{x}"),
    "TAB": ('"a\\tb"', "a\tb"),
    "EMPTY": ('""', ""),
    "DOLLAR": ('"costs $$5, $${HOME}"', "costs $5, ${HOME}"),
}


def compile_ship(source: str, filename: str = "case.ship") -> str:
    """The Dockerfile of a .ship text; raises `shipc.ShipErrors` if it has errors. A crash
    of the compiler is an AssertionError, so a known-bug case fails for its reason.
    `filename`: where its includes are read relative to."""
    try:
        return shipc.compile_source(source, filename).dockerfile
    except shipc.ShipErrors:
        raise
    except Exception as e:
        raise AssertionError(f"internal compiler error: {e!r}\n{source}") from e


def refused(source: str) -> str:
    """The error messages of a .ship text the compiler must refuse, one per line."""
    try:
        compile_ship(source)
    except shipc.ShipErrors as e:
        return "\n".join(d.message for d in e.diagnostics if d.is_error)
    raise AssertionError(f"the compiler should have refused:\n{source}")


@dataclasses.dataclass(frozen=True)
class Built:
    """The outcome of one `docker build`."""

    ok: bool
    image: str  # the tag, if ok
    output: str  # the plain-progress log
    dockerfile: str


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        if path.read_bytes().startswith(b"#!"):  # a script, executable as in a repository
            path.chmod(0o755)


def run_build(
    source: str,
    files: dict[str, str | bytes] | None = None,
    target: str | None = None,
    build_args: dict[str, str] | None = None,
    secrets: dict[str, str] | None = None,
    no_cache: bool = False,
    filename: str = "case.ship",
    platform: str | None = None,
    ssh: str | None = None,
    dockerignore: str | None = None,
) -> Built:
    """Compile and build; never raises for a failed build (see `build`, `build_fails`).
    An identical request made earlier in the session that built gives the same image.
    `dockerignore`: the text of the Dockerfile's own ignore file (`Dockerfile.dockerignore`
    beside it, which BuildKit reads instead of the context's)."""
    dockerfile = compile_ship(source, filename)
    key = (dockerfile, *(tuple(sorted((d or {}).items())) for d in (files, build_args, secrets)),
           target, no_cache, platform, ssh, dockerignore)
    with _lock:
        if key in _memo:
            return _memo[key]
    with tempfile.TemporaryDirectory(prefix="ship-sem-") as tmp:
        root = Path(tmp)
        context = root / "context"
        context.mkdir()
        _write(context, files or {})
        (root / "Dockerfile").write_text(dockerfile)
        if dockerignore is not None:
            (root / "Dockerfile.dockerignore").write_text(dockerignore)
        tag = f"{TAG}:{_SESSION}-{next(_counter)}"
        argv = ["build", "--progress=plain", "-f", str(root / "Dockerfile"), "-t", tag]
        if target:
            argv += ["--target", target]
        if no_cache:
            argv.append("--no-cache")
        if platform:
            argv += ["--platform", platform]
        if ssh:
            argv += ["--ssh", ssh]
        for key, value in (build_args or {}).items():
            argv += ["--build-arg", f"{key}={value}"]
        for secret_id, content in (secrets or {}).items():
            src = root / f"secret-{secret_id}"
            src.write_text(content)
            argv += ["--secret", f"id={secret_id},src={src}"]
        p = docker(*argv, str(context))
    result = Built(p.returncode == 0, tag if p.returncode == 0 else "", p.stderr + p.stdout,
                   dockerfile)
    if result.ok:
        with _lock:
            _built.append(tag)
            _memo[key] = result
    return result


def build(source: str, files=None, **kw) -> str:
    """Compile and build; the image's tag. A failed build fails the test with its log."""
    result = run_build(source, files, **kw)
    assert result.ok, f"build failed:\n{result.dockerfile}\n{result.output[-4000:]}"
    return result.image


def build_fails(source: str, files=None, **kw) -> str:
    """Compile and build, which must fail; the build log."""
    result = run_build(source, files, **kw)
    assert not result.ok, f"the build should have failed:\n{result.dockerfile}"
    return result.output


def inspect(image: str) -> dict:
    p = docker("image", "inspect", image, check=True)
    return json.loads(p.stdout)[0]


def config(image: str) -> dict:
    """The image's Config: Cmd, Entrypoint, Env, Labels, User, ExposedPorts, Volumes,
    Healthcheck, WorkingDir, …"""
    return inspect(image)["Config"]


def env(image: str) -> dict[str, str]:
    return dict(e.split("=", 1) for e in config(image)["Env"] or ())


def sh(image: str, script: str, user: str | None = None, ok: bool = True) -> str:
    """Run a shell script in the image (as its own user unless `user`); its stdout.
    With ok=True a failing script fails the test."""
    argv = ["run", "--rm", "--entrypoint", "/bin/sh"]
    if user is not None:
        argv += ["--user", user]
    p = docker(*argv, image, "-c", script)
    if ok:
        assert p.returncode == 0, f"`{script}` failed in {image}:\n{p.stdout}{p.stderr}"
    return p.stdout


@dataclasses.dataclass(frozen=True)
class Entry:
    """A file of an exported image."""

    uid: int
    gid: int
    mode: int  # permission bits
    kind: str  # "file", "dir", "link"
    data: bytes


# What the engine adds to every container (and so to `docker export`), not the image's.
_CONTAINER_FILES = {"/.dockerenv", "/etc/hostname", "/etc/hosts", "/etc/mtab", "/etc/resolv.conf",
                    "/dev"}


def tree(image: str) -> dict[str, Entry]:
    """Every file of an image, by absolute path (for images without a shell)."""
    if image.startswith(TAG + ":"):  # this session's images never change: export once
        with _lock:
            if image in _trees:
                return _trees[image]
    out = _export(image)
    if image.startswith(TAG + ":"):
        with _lock:
            _trees[image] = out
    return out


def _export(image: str) -> dict[str, Entry]:
    created = docker("create", image, "/none", check=True).stdout.strip()
    try:
        p = docker("export", created, capture_output=True, text=False, check=True)
    finally:
        docker("rm", created)
    out = {}
    with tarfile.open(fileobj=io.BytesIO(p.stdout)) as tar:
        for m in tar.getmembers():
            if "/" + m.name.strip("/") in _CONTAINER_FILES or m.name.startswith("dev/"):
                continue
            kind = "dir" if m.isdir() else "link" if m.issym() or m.islnk() else "file"
            data = tar.extractfile(m).read() if m.isfile() else b""
            out["/" + m.name.strip("/")] = Entry(m.uid, m.gid, m.mode & 0o7777, kind, data)
    return out


def calls(image: str) -> list[str]:
    """The fake tools' calls recorded in the image, in order ("go build -o /out/x .")."""
    from semantics.standins import CALLS

    data = tree(image).get(CALLS)
    return data.data.decode().splitlines() if data else []


def remove_built() -> None:
    """Untag every image this session built."""
    with _lock:
        tags, _built[:] = list(_built), []
        _memo.clear()
        _trees.clear()
    for i in range(0, len(tags), 50):
        docker("rmi", "--force", *tags[i : i + 50])

"""`ship build`: compile, build with `docker build -f FOLDER/Dockerfile CONTEXT` (BuildKit),
and when a step fails, say which .ship line made it.

The Dockerfile and its `Dockerfile.dockerignore` (what `ship compile --dockerignore` writes:
`.git`, the host outputs of the toolchains used, the file's `ignore` patterns) are written
to a private temporary folder (mode 0700) removed when the build ends. BuildKit reads
`<Dockerfile>.dockerignore` beside the file given with `-f` and then does not read the
context's own `.dockerignore`; so the lines of that file, when there is one, are appended
to ship's list (after it: the user's exceptions `!…` keep their effect).

Docker's output is passed through as it comes (standard error, plain progress since it is
not a terminal) and read on the way (`build_output`), so a failed step is reported at the
`.ship` file, line and column it came from, like any diagnostic.

The secrets the stages being built mount are passed as `--secret id=ID,src=FILE`: from
`--secret ID=FILE`, `--secret ID=env:VAR` (or docker's `id=ID,src=FILE`, `id=ID,env=VAR`),
or the environment variable SHIP_SECRET_<ID>
(upper case, `.` and `-` as `_`). A needed secret without a source is refused before
anything runs. One from the environment is written to a private temporary file (Docker
20.10 reads secrets only from files), removed when the build ends.

This module does not import click: the command is registered in `cli.py`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator

from . import ir
from .build_output import (
    Failure,
    OutputReader,
    diagnostic,
    failed_instruction,
    frontend_unreached,
)
from .errors import Diagnostic, did_you_mean, error
from .record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .compiled import Compiled

BUILD_FAILED = 4  # docker ran and the build failed (ship's own codes are 1 to 3)
DOCKER = "docker"  # the client, unless SHIP_DOCKER names another


class BuildProblem(Exception):
    """A build that cannot start: a secret without a source, an unknown target, no docker;
    with the place in the file it concerns, when there is one (`diagnostic`)."""

    def __init__(self, message: str, diagnostic: Diagnostic | None = None):
        super().__init__(message)
        self.diagnostic = diagnostic


@record
class Request:
    """What `ship build` was asked for."""

    context: str
    target: str | None = None
    platform: str | None = None
    build_args: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()  # ID=FILE or ID=env:VAR
    no_cache: bool = False


def build(compiled: Compiled, request: Request, report: Callable[[Diagnostic], None]) -> int:
    """Run the build; 0 when it succeeds, `BUILD_FAILED` when docker fails (the failed
    step is `report`ed at its .ship line when docker's output names it). The .dockerignore
    warnings (an `ignore` pattern left out because a COPY reads what it names) are
    `report`ed first."""
    from .ignore import dockerignore

    image, lines = compiled.image, compiled.lines
    stages = [s.name for s in image.stages]
    if request.context == "-":
        raise BuildProblem(
            "the Dockerfile comes on docker's standard input: give a folder as CONTEXT"
        )
    if request.target is not None and request.target not in stages:
        raise BuildProblem(f"no stage '{request.target}' to build (stages: {', '.join(stages)})")
    _declared(compiled, request.platform)
    _known_args(compiled, request.build_args)
    needed = needed_secrets(image, request.target)
    listed, warnings = dockerignore(compiled)
    listed += context_ignore(request.context)
    for warned in warnings:
        report(warned)
    with (
        _secret_files(needed, request.secrets) as secrets,
        _written(compiled.dockerfile, listed) as path,
    ):
        failure, code = _run(_argv(request, secrets, path))
    if code == 0:
        return 0
    mapped = failed_instruction(failure, lines, len(stages))
    if mapped is not None and mapped.spans:
        report(diagnostic(mapped, failure.message, failure.output))
    elif (said := frontend_unreached(image, failure.message)) is not None:
        report(said)
    return BUILD_FAILED


def _declared(compiled: Compiled, requested: str | None) -> None:
    """A `--platform` outside the file's `platforms` is refused: the file says what it
    builds for (its cross-compiling stages are written for those), so ship does not quietly
    build something else; without `--platform`, the same for the one docker would build
    for (the engine's own, when docker says it). Docker's own spellings of a platform are
    taken as the same one."""
    declared = compiled.model.platforms if compiled.model is not None else ()
    if not declared:
        return  # no declaration: every stage runs on the platform asked for
    known = {_normal(p.value) for p in declared}
    listed = " ".join(p.value for p in declared)
    span = declared[0].span.to(declared[-1].span)
    if requested is None:
        platform, whose = _default_platform()
        if platform is not None and _normal(platform) not in known:
            message = (
                f"without --platform, docker builds for {platform} ({whose}), which the file"
                f" does not build for: {listed} only"
            )
            hint = f"pass --platform with one of: {listed}"
            raise BuildProblem(message, error(message, span, hint))
        return
    for platform in (p.strip() for p in requested.split(",")):
        if _normal(platform) not in known:
            _platform_shape(platform, span, listed)
            message = f"--platform {platform}: the file builds for {listed} only"
            hint = f"add '{platform}' to 'platforms', or build one of: {listed}"
            raise BuildProblem(message, error(message, span, hint))


def _platform_shape(platform: str, span, listed: str) -> None:
    """`--platform bogus` is no platform at all: say so, not 'add it to platforms'."""
    from . import model
    from .platforms import platform_word
    from .values import Values

    probe = Values()
    if platform_word(probe, model.Text(platform, span)):
        return
    found = probe.diagnostics[0]
    message = f"--platform {platform}: {found.message}"
    hint = f"{found.hint}; the file builds for: {listed}" if found.hint else None
    raise BuildProblem(message, error(message, span, hint or f"build one of: {listed}"))


# The build args Docker knows without an ARG line (the proxies, BuildKit's settings).
_PREDEFINED = re.compile(
    r"(?:(?:HTTPS?|FTP|NO|ALL)_PROXY|(?:https?|ftp|no|all)_proxy|BUILDKIT_\w+|SOURCE_DATE_EPOCH)"
)


def _known_args(compiled: Compiled, given: tuple[str, ...]) -> None:
    """A `--build-arg` the file does not declare is refused: ship wrote every ARG of the
    Dockerfile, so the name is a slip, and docker would build with the default."""
    if compiled.model is None:
        return
    declared = [a.name.value for a in compiled.model.args]
    for arg in given:
        name = arg.partition("=")[0]
        if name in declared or _PREDEFINED.fullmatch(name):
            continue
        listed = ", ".join(declared) if declared else "none"
        raise BuildProblem(
            f"--build-arg {name}: the file declares no such arg{did_you_mean(name, declared)};"
            f" its args: {listed}"
        )


def _default_platform() -> tuple[str | None, str]:
    """The platform `docker build` builds for without `--platform`, and why:
    $DOCKER_DEFAULT_PLATFORM, else the engine's own (`docker version`); None when docker
    does not say."""
    if platform := os.environ.get("DOCKER_DEFAULT_PLATFORM", "").strip():
        return platform, "$DOCKER_DEFAULT_PLATFORM"
    client = os.environ.get("SHIP_DOCKER") or DOCKER
    argv = [client, "version", "--format", "{{.Server.Os}}/{{.Server.Arch}}"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None, ""  # the build itself says what is wrong with docker
    found = done.stdout.strip()
    known = done.returncode == 0 and re.fullmatch(r"[a-z0-9]+/[a-z0-9_]+", found)
    return (found if known else None), "the engine's own"


def _normal(platform: str) -> str:
    """A platform as docker normalises it: `linux/arm64/v8` is `linux/arm64`, `linux/arm`
    is `linux/arm/v7`, `linux/amd64/v1` is `linux/amd64`."""
    parts = platform.lower().split("/")
    if len(parts) == 2 and parts[1] == "arm":
        parts.append("v7")
    if len(parts) == 3 and (parts[1], parts[2]) in (("arm64", "v8"), ("amd64", "v1")):
        parts.pop()
    return "/".join(parts)


def context_ignore(context: str) -> str:
    """The lines of the context's own `.dockerignore`, to append to ship's (BuildKit reads
    only the Dockerfile's own ignore file when there is one); "" when there is none."""
    path = os.path.join(context, ".dockerignore")
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as given:
            text = given.read()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        raise BuildProblem(f"cannot read {path}: {exc.strerror or exc}") from None
    if not text.strip():
        return ""
    return "# the context's own .dockerignore\n" + text + ("" if text.endswith("\n") else "\n")


@contextlib.contextmanager
def _written(dockerfile: str, ignored: str) -> Iterator[str]:
    """The Dockerfile and its `Dockerfile.dockerignore` in a private folder (0700) that is
    removed afterwards; yields the Dockerfile's path."""
    folder = tempfile.mkdtemp(prefix="ship-build-")
    try:
        os.chmod(folder, 0o700)
        path = os.path.join(folder, "Dockerfile")
        for name, text in ((path, dockerfile), (path + ".dockerignore", ignored)):
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as out:
                out.write(text)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def needed_secrets(image: ir.Dockerfile, target: str | None) -> list[str]:
    """The ids of the secrets mounted by the stages a build of `target` (default: the
    last stage) runs: that stage and those it is built from or copies from."""
    by_name = {s.name: s for s in image.stages}
    todo = [target or image.stages[-1].name]
    seen: set[str] = set()
    ids: dict[str, None] = {}
    while todo:
        name = todo.pop()
        if name in seen or name not in by_name:
            continue  # an image, not a stage
        seen.add(name)
        stage = by_name[name]
        todo.append(stage.base)
        for node in stage.instructions:
            if isinstance(node, ir.Copy) and node.from_stage:
                todo.append(node.from_stage)
            for mount in node.mounts if isinstance(node, ir.Run) else ():
                if mount.type == "secret":
                    ids[dict(mount.options)["id"]] = None
    return list(ids)


def environment_name(secret_id: str) -> str:
    """The environment variable a secret is read from when no --secret gives it."""
    return "SHIP_SECRET_" + re.sub(r"[.-]", "_", secret_id).upper()


@contextlib.contextmanager
def _secret_files(needed: list[str], given: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """id -> file for every needed secret; environment values in a private folder that
    is removed afterwards."""
    sources = _sources(needed, given)
    with tempfile.TemporaryDirectory(prefix="ship-secrets-") as folder:
        files = {}
        for secret_id, (kind, value) in sources.items():
            if kind == "file":
                files[secret_id] = value
                continue
            path = os.path.join(folder, secret_id)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(value)
            files[secret_id] = path
        yield files


def _sources(needed: list[str], given: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """id -> ("file", path) or ("env", value), for the needed secrets."""
    flags: dict[str, str] = {}
    for item in given:
        secret_id, source = _docker_form(item, needed) or item.partition("=")[::2]
        if "=" not in item or not secret_id or not source:
            raise BuildProblem(f"--secret takes ID=FILE or ID=env:VAR, not '{item}'")
        if secret_id not in needed:
            declared = ", ".join(needed) or "none"
            raise BuildProblem(
                f"--secret {secret_id}: no stage being built mounts that secret"
                f" (they mount: {declared})"
            )
        flags[secret_id] = source
    out = {}
    for secret_id in needed:
        out[secret_id] = _source(secret_id, flags.get(secret_id))
    return out


_DOCKER_KEYS = ("id", "src", "source", "env", "type")


def _docker_form(item: str, needed: list[str]) -> tuple[str, str] | None:
    """docker's `id=ID,src=FILE` (or `source=`, `env=VAR`, `type=file|env`) as ship's
    (ID, FILE or env:VAR); None for ship's own `ID=…` (a secret named `id` keeps it)."""
    fields = dict(part.partition("=")[::2] for part in item.split(","))
    if "id" not in fields or not set(fields) <= set(_DOCKER_KEYS):
        return None
    if "," not in item and "id" in needed:
        return None  # `--secret id=FILE`: the secret named 'id'
    secret_id = fields["id"]
    file = fields.get("src") or fields.get("source")
    env = fields.get("env")
    kind = fields.get("type")
    if kind == "env" and env is None and file is None:
        env = secret_id
    if kind not in (None, "file", "env") or (file and env) or not (file or env):
        raise BuildProblem(
            f"--secret {item}: give the secret's file or variable, docker's way"
            f" (id={secret_id},src=FILE or id={secret_id},env=VAR) or ship's"
            f" ({secret_id}=FILE or {secret_id}=env:VAR)"
        )
    return secret_id, file or f"env:{env}"


def _source(secret_id: str, flag: str | None) -> tuple[str, str]:
    if flag is not None and flag.startswith("env:"):
        name = flag[4:]
        if name not in os.environ:
            raise BuildProblem(f"--secret {secret_id}={flag}: ${name} is not set")
        return "env", os.environ[name]
    if flag is not None:
        if not os.path.isfile(flag):
            raise BuildProblem(f"--secret {secret_id}={flag}: no such file")
        return "file", os.path.abspath(flag)
    variable = environment_name(secret_id)
    if variable in os.environ:
        return "env", os.environ[variable]
    raise BuildProblem(
        f"the build mounts secret '{secret_id}', and nothing gives it: pass"
        f" --secret {secret_id}=FILE or --secret {secret_id}=env:VAR, or set {variable}"
    )


def _argv(request: Request, secrets: dict[str, str], dockerfile: str) -> list[str]:
    argv = [os.environ.get("SHIP_DOCKER") or DOCKER, "build", "-f", dockerfile]
    if request.target:
        argv += ["--target", request.target]
    if request.platform:
        argv += ["--platform", request.platform]
    for arg in request.build_args:
        argv += ["--build-arg", arg]
    for tag in request.tags:
        argv += ["-t", tag]
    for secret_id, path in secrets.items():
        argv += ["--secret", f"id={secret_id},src={path}"]
    if request.no_cache:
        argv.append("--no-cache")
    return [*argv, "--", request.context]


def _run(argv: list[str]) -> tuple[Failure, int]:
    """Run docker; its standard error passed through line by line, and read for the step
    that failed."""
    env = {**os.environ, "DOCKER_BUILDKIT": "1"}
    try:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    except OSError as exc:
        raise BuildProblem(f"cannot run {argv[0]}: {exc.strerror or exc}") from None
    assert process.stderr is not None
    reader = OutputReader()
    out = sys.stderr.buffer
    for line in process.stderr:
        out.write(line)
        out.flush()
        reader.feed(line)
    return reader.failure, process.wait()

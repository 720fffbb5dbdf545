"""The typed model of a .ship file: what the user wrote, with the span of every part.

Built by `interpret.py` from the syntax tree; read by `check.py` and `lower.py`. Frozen
dataclasses with tuples, changed only with `dataclasses.replace`.
"""

from __future__ import annotations

import dataclasses

from .errors import Span


@dataclasses.dataclass(frozen=True)
class Text:
    """A value the user wrote (quotes and escapes already decoded) and where."""

    value: str
    span: Span


@dataclasses.dataclass(frozen=True)
class Arg:
    """`arg NAME=default`: a build argument, usable as ${NAME} anywhere."""

    name: Text
    default: Text | None
    span: Span


@dataclasses.dataclass(frozen=True)
class Preset:
    """A toolchain or runtime preset: `go 1.22 alpine`, `distroless cc`."""

    name: Text
    version: Text | None
    variants: tuple[Text, ...]
    span: Span


@dataclasses.dataclass(frozen=True)
class Image:
    """An explicit image reference: `image registry/name:tag@sha256:…`."""

    ref: Text
    span: Span


@dataclasses.dataclass(frozen=True)
class FromStage:
    """`from STAGE`: start from another stage of this file."""

    stage: Text
    span: Span


Base = Preset | Image | FromStage


@dataclasses.dataclass(frozen=True)
class Run:
    """A shell command; a command continued with `\\` keeps its lines."""

    lines: tuple[str, ...]
    span: Span


@dataclasses.dataclass(frozen=True)
class Copy:
    """`copy SRC… [-> DEST]`: files from the build context."""

    sources: tuple[Text, ...]
    dest: Text | None
    span: Span


@dataclasses.dataclass(frozen=True)
class Pair:
    """`KEY=value`, in env and label."""

    key: Text
    value: Text
    span: Span


@dataclasses.dataclass(frozen=True)
class Artifact:
    """`artifact SRC [-> DEST]`: what leaves a build for the runtimes."""

    source: Text
    dest: Text | None
    span: Span


@dataclasses.dataclass(frozen=True)
class Secret:
    """`secret ID [-> TARGET]`: a BuildKit secret mounted into the stage's commands."""

    id: Text
    target: Text | None
    span: Span


@dataclasses.dataclass(frozen=True)
class Command:
    """`cmd …` / `entrypoint …`: an exec-form argument vector."""

    argv: tuple[Text, ...]
    span: Span


@dataclasses.dataclass(frozen=True)
class Healthcheck:
    """`healthcheck [interval=…] … COMMAND…`, or `healthcheck none`."""

    options: tuple[Pair, ...]
    command: Command | None
    span: Span


Step = Run | Copy


@dataclasses.dataclass(frozen=True)
class Stage:
    """One block: a build, test or runtime stage. Unused fields stay empty for a kind."""

    kind: str  # "build", "test" or "runtime"
    name: Text
    base: Base
    span: Span
    steps: tuple[Step, ...] = ()
    env: tuple[Pair, ...] = ()
    workdir: Text | None = None
    deps: tuple[Text, ...] | None = None  # None: the preset's manifests
    install: Run | None = None
    secrets: tuple[Secret, ...] = ()
    caches: tuple[Text, ...] = ()
    artifacts: tuple[Artifact, ...] = ()
    links: Text | None = None
    packages: tuple[Text, ...] = ()
    user: Text | None = None
    expose: tuple[Text, ...] = ()
    volumes: tuple[Text, ...] = ()
    labels: tuple[Pair, ...] = ()
    healthcheck: Healthcheck | None = None
    cmd: Command | None = None
    entrypoint: Command | None = None
    # Set by `expand` for a runtime or test written out from a runtime: how many of `steps`
    # are that runtime's (they run as root before USER; a test's own steps run after it),
    # and whether this is a test of a runtime (lowered as that runtime plus its steps).
    inherited_steps: int = 0
    from_runtime: bool = False


@dataclasses.dataclass(frozen=True)
class Ship:
    """A whole .ship file."""

    app: Text
    args: tuple[Arg, ...]
    stages: tuple[Stage, ...]

"""The Dockerfile model: stages and instructions, each keeping the .ship span it came from
(`span`, None for what a preset adds: the stage's head stands for it). An instruction made
of values from several lines keeps them all (`spans`): the pairs of an ENV or LABEL, the
ports of an EXPOSE, the paths of a VOLUME, the commands of a RUN (one per command).

`lower.py` builds it, `emit.py` writes it. Nothing here knows about .ship files or presets;
values are final (quoting is the emitter's job).
"""

from __future__ import annotations

from .errors import Span
from .record import record


@record
class Mount:
    """A `RUN --mount`: type, target and further options in order (e.g. sharing=locked)."""

    type: str
    options: tuple[tuple[str, str], ...]


@record
class Arg:
    name: str
    default: str | None = None
    span: Span | None = None


@record
class Shell:
    argv: tuple[str, ...]
    span: Span | None = None


@record
class Workdir:
    path: str
    span: Span | None = None


@record
class Env:
    pairs: tuple[tuple[str, str], ...]
    span: Span | None = None
    spans: tuple[Span, ...] = ()


@record
class Label:
    pairs: tuple[tuple[str, str], ...]
    span: Span | None = None
    spans: tuple[Span, ...] = ()


@record
class Copy:
    """`COPY`: `sources` to `dest`, or, with `text`, a file of those lines (a heredoc, no
    sources). `link`: `COPY --link` (a layer of its own, made without the stage's files);
    `mode`: `--chmod` (octal)."""

    sources: tuple[str, ...]
    dest: str
    from_stage: str | None = None
    span: Span | None = None
    chown: str | None = None
    link: bool = False
    text: tuple[str, ...] | None = None
    mode: str | None = None


@record
class Run:
    """Commands that share one RUN, each doing what it would do in a RUN of its own (the
    emitter joins them with `shell.join`); each command keeps its continued lines. The
    last `attached` commands must stay in the same RUN as the one before them (they copy
    an artifact out of a cache mount that only that RUN's content is sure to be in).
    `spans`, when given, has one entry per command: the line it came from; `copied_out`
    the artifact lines whose copy out of a cache the attached commands do (one `cp -a` may
    copy several)."""

    commands: tuple[tuple[str, ...], ...]
    mounts: tuple[Mount, ...] = ()
    span: Span | None = None
    attached: int = 0
    spans: tuple[Span | None, ...] = ()
    copied_out: tuple[Span, ...] = ()


@record
class User:
    user: str
    span: Span | None = None


@record
class Expose:
    ports: tuple[str, ...]
    span: Span | None = None
    spans: tuple[Span, ...] = ()


@record
class Volume:
    paths: tuple[str, ...]
    span: Span | None = None
    spans: tuple[Span, ...] = ()


@record
class Healthcheck:
    """`HEALTHCHECK [--option=value…] CMD [argv]`, or `HEALTHCHECK NONE` when argv is None."""

    options: tuple[tuple[str, str], ...]
    argv: tuple[str, ...] | None
    span: Span | None = None


@record
class Stopsignal:
    signal: str
    span: Span | None = None


@record
class Cmd:
    argv: tuple[str, ...]
    span: Span | None = None


@record
class Entrypoint:
    argv: tuple[str, ...]
    span: Span | None = None


Instruction = (
    Arg
    | Shell
    | Workdir
    | Env
    | Label
    | Copy
    | Run
    | User
    | Expose
    | Volume
    | Healthcheck
    | Stopsignal
    | Cmd
    | Entrypoint
)


@record
class Stage:
    """`FROM base AS name` and its instructions."""

    name: str
    base: str
    instructions: tuple[Instruction, ...]
    span: Span | None = None
    platform: str | None = None  # `FROM --platform=…`: "$BUILDPLATFORM" for a cross build


@record
class Dockerfile:
    """A whole Dockerfile: header comment lines, global args, stages (the last is the default)."""

    header: tuple[str, ...]
    args: tuple[Arg, ...]
    stages: tuple[Stage, ...]

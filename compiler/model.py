"""The typed model of a .ship file: what the user wrote, with the span of every part.

Built by `interpret.py` from the syntax tree; read by `check.py` and `lower.py`. Frozen
records (`record.py`) with tuples, changed only with `record.replace`.
"""

from __future__ import annotations

import functools

from .errors import Span
from .record import Field, field, fields, record


@record
class Text:
    """A value the user wrote (quotes and escapes already decoded) and where."""

    value: str
    span: Span


@record
class Arg:
    """`arg NAME=default`: a build argument, usable as ${NAME} anywhere."""

    name: Text
    default: Text | None
    span: Span


@record
class Preset:
    """A toolchain or runtime preset: `go 1.22 alpine`, `distroless cc`,
    `rust 1.89 alpine 3.22 @sha256:…` (a release for the variant that takes one, and a
    digest that pins the image while its tag stays readable)."""

    name: Text
    version: Text | None
    variants: tuple[Text, ...]
    span: Span
    release: Text | None = None
    digest: Text | None = None
    tool: Text | None = None  # `uv=0.6.1`: the version of the tool the manager installs


@record
class Image:
    """An explicit image reference: `image registry/name:tag@sha256:…`."""

    ref: Text
    span: Span


@record
class FromStage:
    """`from STAGE`: start from another stage of this file."""

    stage: Text
    span: Span


Base = Preset | Image | FromStage


@record
class Run:
    """A shell command; a command continued with `\\` keeps its lines."""

    lines: tuple[str, ...]
    span: Span
    # The directive the command was written from, when ship wrote it (`binary ./cmd/api`),
    # for `ship explain` to show what the directive expanded to.
    written: str | None = None
    # A value of the directive the command reads names from (`binary`'s `ldflags="…"`):
    # only args and the env set before the line give them (variables.py checks).
    reads: Text | None = None


@record
class Inline:
    """`file PATH [mode=OCTAL] LINE…`: a copy whose file is written from these lines (each
    a word of the .ship line), root's, with `mode` (octal) if given."""

    lines: tuple[Text, ...]
    mode: Text | None
    span: Span


@record
class Copy:
    """`copy SRC… [-> DEST]`: files from the build context; `copy image REF SRC…` and
    `copy from NAME SRC…` take them from an image or another stage (`origin`). `copy none`
    is a Copy without sources: the stage reads nothing from the build context. `file` is a
    Copy without sources whose origin is its text (`Inline`), to `dest`."""

    sources: tuple[Text, ...]
    dest: Text | None
    span: Span
    origin: Image | FromStage | Inline | None = None


@record
class Pair:
    """`KEY=value`, in env and label."""

    key: Text
    value: Text
    span: Span


@record
class Artifact:
    """`artifact SRC [-> DEST]`: what leaves a build for the runtimes. `program`: the name
    of the program a `binary` line builds (a runtime's `ships` may name it so); `renames`:
    the name its package or target would give it, which the line's destination replaced."""

    source: Text
    dest: Text | None
    span: Span
    program: str | None = None
    renames: str | None = None


@record
class Secret:
    """`secret ID [-> TARGET]`: a BuildKit secret mounted into the stage's commands."""

    id: Text
    target: Text | None
    span: Span


@record
class Ssh:
    """`ssh [ID] [known-hosts=FILE]`: the build's SSH agent forwarded into the stage's
    commands, with the hosts its keys may talk to from a file of the build context."""

    id: Text | None
    known_hosts: Text | None
    span: Span


@record
class Cache:
    """`cache PATH [sharing=MODE] [id=ID]`: a BuildKit cache mount on the stage's commands."""

    path: Text
    sharing: Text | None = None  # shared (BuildKit's default), locked or private
    id: Text | None = None  # None: the path is the id
    span: Span | None = None


@record
class Command:
    """`cmd …` / `entrypoint …`: an exec-form argument vector. `implied`: not written, the
    entrypoint of a runtime that receives one program and names no command (command.py)."""

    argv: tuple[Text, ...]
    span: Span
    implied: bool = False


@record
class Healthcheck:
    """`healthcheck [interval=…] … COMMAND…`, or `healthcheck none`."""

    options: tuple[Pair, ...]
    command: Command | None
    span: Span


@record
class Mark:
    """Where something stands among a runtime's steps (they are lowered in the order
    written): `ships` (the artifacts arrive here), `user`/`root` (`as user`, `as root`:
    who runs the steps after it), `env` (the next `count` pairs of the stage's env)."""

    kind: str
    span: Span
    count: int = 0


Step = Run | Copy | Mark


BUILD, TEST, RUNTIME = "build", "test", "runtime"
KINDS = (BUILD, TEST, RUNTIME)


def _field(
    default,
    kinds: tuple[str, ...],
    docker: str,
    inherit: str | None = None,
    from_build: str | None = None,
):
    """A stage field, with what every pass must agree on about it, said once:

    - `kinds`: the kinds of stage that may set it (others leave it at its default);
    - `docker`: what Docker does with its values: "expands" them (`${…}`, the lexer),
      "in-runtimes" (expanded where the runtimes copy it), "shell" (a shell reads it),
      "exec" (passed on as is), "mount" (literal --mount options) or "none" (no value
      reaches the Dockerfile as written);
    - `inherit`: how a runtime or test written out from a runtime takes it: "concat"
      (the runtime's, then its own), "override" (its own, else the runtime's) or None;
    - `from_build`: what a stage built `FROM` a build or test stage takes of it beyond what
      Docker's FROM carries (the files, env and work directory, never the mounts):
      "concat" (the stage's, then its own) or None (only its own).
    """
    metadata = {
        "kinds": frozenset(kinds),
        "docker": docker,
        "inherit": inherit,
        "from_build": from_build,
    }
    return field(default=default, metadata=metadata)


_ALL, _BUILDS = (BUILD, TEST, RUNTIME), (BUILD, TEST)


@record
class Stage:
    """One block: a build, test or runtime stage. Which fields a kind may set, how Docker
    treats each and how it is inherited are in the fields' metadata (see `_field`), and a
    stage holding a field its kind may not set cannot be made."""

    kind: str  # "build", "test" or "runtime"
    name: Text
    base: Base
    span: Span
    steps: tuple[Step, ...] = _field((), _ALL, "expands", "concat")  # copy paths; run: shell
    env: tuple[Pair, ...] = _field((), _ALL, "expands", "concat")
    workdir: Text | None = _field(None, _ALL, "expands", "override")
    shell: Command | None = _field(None, _ALL, "exec", "override")  # SHELL for its run lines
    # On an `image` base: what ship may assume of the image (its family's shell, package
    # manager and C library; the variables it sets). No value reaches the Dockerfile.
    family: Text | None = _field(None, _ALL, "none", "override")
    base_env: tuple[Text, ...] = _field((), _ALL, "none", "concat")
    deps: tuple[Text, ...] | None = _field(None, (BUILD,), "expands")  # None: the preset's
    install: Run | None = _field(None, (BUILD,), "shell")
    secrets: tuple[Secret, ...] = _field((), _BUILDS, "mount")
    ssh: Ssh | None = _field(None, _BUILDS, "mount")
    # A test of a build runs with the build's caches (same ids, sharing): it reads what the
    # build left there. Its secrets and ssh are its own: it is given only what it names.
    caches: tuple[Cache, ...] = _field((), _ALL, "mount", "concat", "concat")
    # `copies linked`: every COPY of the stage is `COPY --link` (a newer frontend's).
    link: Text | None = _field(None, _ALL, "none", "override")
    artifacts: tuple[Artifact, ...] = _field((), (BUILD,), "in-runtimes")
    links: Text | None = _field(None, (BUILD,), "none")
    packages: tuple[Text, ...] = _field((), (BUILD, RUNTIME), "shell", "concat")
    extensions: tuple[Text, ...] = _field((), (RUNTIME,), "shell", "concat")
    user: Text | None = _field(None, (RUNTIME,), "expands", "override")
    expose: tuple[Text, ...] = _field((), (RUNTIME,), "expands", "concat")
    volumes: tuple[Text, ...] = _field((), (RUNTIME,), "expands", "concat")
    writable: tuple[Text, ...] = _field((), (RUNTIME,), "expands", "concat")
    # `ships`: the builds or artifacts the runtime receives; None: every build's.
    ships: tuple[Text, ...] | None = _field(None, (RUNTIME,), "none", "override")
    labels: tuple[Pair, ...] = _field((), (RUNTIME,), "expands", "concat")
    healthcheck: Healthcheck | None = _field(None, (RUNTIME,), "exec", "override")
    stopsignal: Text | None = _field(None, (RUNTIME,), "none", "override")
    cmd: Command | None = _field(None, (RUNTIME,), "exec", "override")
    entrypoint: Command | None = _field(None, (RUNTIME,), "exec", "override")
    # Set by `expand` for a runtime or test written out from a runtime: how many of `steps`
    # are that runtime's (they run as root before USER; a test's own steps run after it),
    # and whether this is a test of a runtime (lowered as that runtime plus its steps).
    inherited_steps: int = 0
    from_runtime: bool = False
    # Set by `expand` on a stage written out from a runtime: the stage its `from` named
    # (its base is now that runtime's), so `ship explain` can say what it is.
    written_from: Text | None = None

    def __post_init__(self) -> None:
        for name, default in _not_allowed(self.kind, self.from_runtime):
            if getattr(self, name) != default:
                raise ValueError(f"a {self.kind} stage cannot hold '{name}'")


@functools.cache  # asked for by every Stage made: found once for each kind
def _not_allowed(kind: str, from_runtime: bool) -> tuple[tuple[str, object], ...]:
    """The fields a stage of this kind may not set, each with its default."""
    allowed = {RUNTIME, kind} if from_runtime else {kind}
    return tuple((f.name, f.default) for f in stage_fields() if not f.metadata["kinds"] & allowed)


def on_runtime(stage: Stage, stages: dict[str, Stage]) -> bool:
    """Whether a stage is lowered as a runtime: a runtime, or a test built from one through
    any chain of tests (such a stage copies in every build's artifacts)."""
    seen: set[str] = set()
    while stage.kind == TEST and isinstance(stage.base, FromStage):
        if stage.name.value in seen or stage.base.stage.value not in stages:
            return False
        seen.add(stage.name.value)
        stage = stages[stage.base.stage.value]
    return stage.kind == RUNTIME


@functools.cache  # asked for by every Stage made (its check below), so found once
def stage_fields(**wanted: object) -> tuple[Field, ...]:
    """The fields of a stage that directives set, those whose metadata has the `wanted`
    values (`stage_fields(inherit="concat")`)."""
    return tuple(
        f
        for f in fields(Stage)
        if "kinds" in f.metadata and all(f.metadata[k] == v for k, v in wanted.items())
    )


@record
class NamedImage:
    """`image NAME: REF` at the top level: an image that `copy from NAME` and `from NAME`
    read, named once. It becomes a stage of its own (`FROM REF AS NAME`) only if a copy
    takes files from it."""

    name: Text
    ref: Text
    span: Span


@record
class Ship:
    """A whole .ship file."""

    app: Text
    args: tuple[Arg, ...]
    stages: tuple[Stage, ...]
    platforms: tuple[Text, ...] = ()  # `platforms linux/amd64 …`: the build stages cross-compile
    images: tuple[NamedImage, ...] = ()
    # `ignore PATTERN…`: the file's own .dockerignore entries (`ship compile --dockerignore`)
    ignore: tuple[Text, ...] = ()

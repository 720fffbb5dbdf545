"""Checks on names and `${…}` references: secret-looking arg and env names, undefined
variables (and args without defaults where a FROM line needs them), unused args."""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import model, presets
from .errors import Diagnostic, did_you_mean, error, warning
from .resolve import references

# BuildKit's SecretsUsedInArgOrEnv: a name with one of these words between underscores.
_SECRET_NAME = re.compile(
    r"(?:_|^)(?:apikey|auth|credential|credentials|key|password|pass|pword|passwd|secret|token)(?:_|$)",
    re.IGNORECASE,
)
_PUBLIC_NAME = re.compile(r"(?:_|^)public(?:_|$)", re.IGNORECASE)

# Variables that base images commonly set, which a stage may use without declaring them.
BASE_IMAGE_ENV = (
    frozenset(
        [
            "PATH",
            "HOME",
            "HOSTNAME",
            "LANG",
            "GOPATH",
            "GOROOT",
            "CARGO_HOME",
            "RUSTUP_HOME",
            "NODE_VERSION",
            "PYTHON_VERSION",
            "NODE_ENV",
        ]
    )
    | presets.ENV_NAMES
)  # and what the presets themselves set


def secret_names(ship: model.Ship) -> Iterator[Diagnostic]:
    named = [(a.name, "arg") for a in ship.args]
    named += [(p.key, "env") for s in ship.stages for p in s.env]
    for name, what in named:
        if _SECRET_NAME.search(name.value) and not _PUBLIC_NAME.search(name.value):
            yield error(
                f"'{name.value}' looks like a secret, and an {what} value stays in the image's"
                " history",
                name.span,
                f"declare 'secret {name.value.lower()}' in the build and read"
                f" /run/secrets/{name.value.lower()}",
            )


def undefined_variables(ship: model.Ship) -> Iterator[Diagnostic]:
    args = {a.name.value for a in ship.args}
    defaults = {a.name.value for a in ship.args if a.default is not None and a.default.value}
    stages = {s.name.value: s for s in ship.stages}
    for stage in ship.stages:
        for word in _from_words(stage.base):
            yield from _undefined(word, args, "arg")
            for name in references(word.value):
                if name in args and name not in defaults:
                    yield error(
                        f"arg '{name}' has no default, so the image name would be incomplete",
                        word.span,
                        f"give it one: 'arg {name}=…' (it can still be set with --build-arg)",
                    )
        known = args | BASE_IMAGE_ENV | _env_names(stage, stages)
        for text in _expanded_values(stage):
            yield from _undefined(text, known, "arg or env")
        for command in (
            stage.cmd,
            stage.entrypoint,
            stage.healthcheck and stage.healthcheck.command,
        ):
            for word in command.argv if command else ():
                if references(word.value):
                    yield warning(
                        f"'{word.value}' is not expanded: commands are written in exec form",
                        word.span,
                        "use 'sh -c \"…\"' if the base has a shell",
                    )


def _from_words(base: model.Base) -> tuple[model.Text, ...]:
    """The words that end up in a FROM line, where only args (with defaults) can be used."""
    if isinstance(base, model.Preset):
        return tuple(w for w in (base.version, *base.variants) if w)
    return (base.ref,) if isinstance(base, model.Image) else ()


def _undefined(
    text: model.Text | None, known: set[str] | frozenset[str], what: str
) -> Iterator[Diagnostic]:
    for name in references(text.value) if text else ():
        if name not in known:
            suggestions = known - BASE_IMAGE_ENV  # the user's own names, not the bases'
            yield error(
                f"undefined variable '{name}'{did_you_mean(name, suggestions)}",
                text.span,
                f"declare it: 'arg {name}=…' at the top",
            )


def _env_names(stage: model.Stage, stages: dict[str, model.Stage]) -> set[str]:
    names, seen = set(), set()
    while stage is not None and stage.name.value not in seen:
        seen.add(stage.name.value)
        names |= {p.key.value for p in stage.env}
        stage = (
            stages.get(stage.base.stage.value) if isinstance(stage.base, model.FromStage) else None
        )
    return names


def _expanded_values(stage: model.Stage) -> Iterator[model.Text]:
    """The values Docker expands with ${…}: everything but shell commands and exec forms."""
    yield from (p.value for p in stage.env + stage.labels)
    yield from (t for t in (stage.workdir, stage.user) if t)
    yield from stage.expose + stage.volumes + stage.caches
    for step in stage.steps:
        if isinstance(step, model.Copy):
            yield from (t for t in (*step.sources, step.dest) if t)
    for artifact in stage.artifacts:
        yield from (t for t in (artifact.source, artifact.dest) if t)


def unused_args(ship: model.Ship) -> Iterator[Diagnostic]:
    used: set[str] = set()
    for stage in ship.stages:
        for text in _all_texts(stage):
            used.update(references(text))
    for arg in ship.args:
        if arg.name.value not in used:
            yield warning(f"arg '{arg.name.value}' is never used", arg.name.span)


def _all_texts(stage: model.Stage) -> Iterator[str]:
    if isinstance(stage.base, model.Preset):
        yield from (w.value for w in (stage.base.version, *stage.base.variants) if w)
    elif isinstance(stage.base, model.Image):
        yield stage.base.ref.value
    yield from (t.value for t in _expanded_values(stage))
    for step in (*stage.steps, stage.install):
        if isinstance(step, model.Run):
            yield from step.lines

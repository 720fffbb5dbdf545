"""A runtime or test `from` a runtime that sets a work directory of its own.

Such a stage is the runtime it is from written out again, followed by its own lines
(expand.py), and is lowered with one work directory: its own. What the runtimes above it
place relative to theirs (a `copy` without `->` or to a relative path, a `file`, a
`writable` folder or a volume given relatively) and their `run` lines (which run in the
work directory) would then land and run in the new one: `COPY conf.toml /srv/conf.toml`
where the runtime it is from says `/app/conf.toml`. So would the artifacts both receive
with a relative `->` (`artifact conf -> conf/`), and the command, entrypoint or healthcheck
it takes from them would look up the relative paths they name (`cmd ./start.sh`) in the new
one. ship cannot tell whether a run line depends on where it runs (unless it starts with
`cd /…`), so rather than move those lines it refuses, and says which.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import model
from .artifacts import shipped
from .errors import Diagnostic, Span, error
from .places import starts_with_reference
from .record import replace
from .resolve import Setup

_SHOWN = 3
# A run line that first goes to an absolute folder does not depend on where it starts.
_ABSOLUTE_CD = re.compile(r"cd\s+[\"']?/")  # the lines named in the message; the rest are counted


def moved_workdir_checks(ship: model.Ship, setups: dict[str, Setup]) -> Iterator[Diagnostic]:
    stages = {s.name.value: s for s in ship.stages}
    memo: dict[str, tuple[tuple[tuple[str, Span], ...], int]] = {}
    for stage in ship.stages:
        parent = _runtime_parent(stage, stages)
        setup = setups.get(stage.name.value)
        if parent is None or stage.workdir is None or setup is None:
            continue
        theirs = setup.workdir  # the work directory of the runtime it is from
        if _same(stage.workdir.value, theirs):
            continue
        first, count = _placed(parent, stages, memo)
        home = theirs.rstrip("/")
        taken = [
            *_moved_artifacts(stage, parent, stages, ship, home),
            *_relative_commands(stage, stages, home),
        ]
        first = sorted(
            [*first, *((what, span) for what, span, _ in taken)],
            key=lambda p: (p[1].file, p[1].line, p[1].column),
        )
        first, count = first[:_SHOWN], count + len(taken)
        if not count:
            continue
        named = [f"'{what}' (line {span.line})" for what, span in first]
        more = count - len(named)
        said = ", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0]
        said = f"{', '.join(named)} and {more} more" if more > 0 else said
        yield error(
            f"this work directory would move what runtime '{parent.name.value}' places in"
            f" its own ({theirs}): {said} would land or run in {stage.workdir.value}",
            stage.workdir.span,
            f"drop this 'workdir' (the {stage.kind} then works in {theirs}), or write those"
            f" lines with absolute paths (copy x -> {home}/x, writable {home}/data, run cd"
            f" {theirs} && …{''.join(f', {example}' for _, _, example in taken[:1])})",
        )


def _moved_artifacts(stage, parent, stages, ship: model.Ship, home: str):
    """The artifacts the stage receives as the runtime it is from does, to a relative
    destination: they land in the stage's work directory, not in that runtime's."""
    builds = [s for s in ship.stages if s.kind == model.BUILD]

    def received(runtime: model.Stage) -> list[model.Artifact]:
        ships = _inherited(runtime, stages, "ships")
        chosen = shipped(replace(runtime, ships=ships) if ships is not None else runtime, builds)
        return [a for _, artifacts, _ in chosen for a in artifacts]

    theirs = {id(a) for a in received(parent)}
    for artifact in received(stage):
        if id(artifact) in theirs and artifact.dest and _relative(artifact.dest.value):
            line = f"artifact {artifact.source.value} -> "
            yield line + artifact.dest.value, artifact.span, f"{line}{home}/{artifact.dest.value}"


def _relative_commands(stage, stages, home: str) -> Iterator[tuple[str, Span, str]]:
    """The command, entrypoint and healthcheck a runtime takes from the one it is from,
    where they name a relative path: it would be looked up in the new work directory."""
    if stage.kind != model.RUNTIME:
        return
    for field in ("entrypoint", "cmd", "healthcheck"):
        if getattr(stage, field) is not None:
            continue  # its own
        command = _inherited(stage, stages, field)
        if isinstance(command, model.Healthcheck):
            command = command.command
        if command is None or command.implied:
            continue
        words = [w.value for w in command.argv]
        if relative := relative_paths(words):
            shown = " ".join(words)
            shown = shown[:40] + "…" if len(shown) > 40 else shown
            fixed = " ".join(
                f"{home}/{w.removeprefix('./')}" if w in relative else w for w in words
            )
            yield f"{field} {shown}", command.span, f"{field} {fixed}"


def _inherited(stage: model.Stage, stages: dict[str, model.Stage], field: str):
    """The value of an `override` field the stage has from the runtimes it is from."""
    current: model.Stage | None = stage
    seen: set[str] = set()
    while current is not None and current.name.value not in seen:
        seen.add(current.name.value)
        if getattr(current, field, None) is not None:
            return getattr(current, field)
        current = _runtime_parent(current, stages)
    return None


# A word of a command that is a relative path: `./start.sh`, `dist/index.js` (not an option,
# a URL, a reference, a `key=value` or a shell script given to `-c`).
_RELATIVE_PATH = re.compile(r"[^\s/$~:=-][^\s:=]*/[^\s:=]*|\./[^\s:=]*")


def relative_paths(words: list[str]) -> list[str]:
    """The words of a command's argument vector that name a path relative to the work
    directory: the program if it has a `/` (`./start.sh`), or an argument such as
    `dist/index.js`."""
    return [w for w in words if _RELATIVE_PATH.fullmatch(w) and "://" not in w]


def _runtime_parent(stage: model.Stage, stages: dict[str, model.Stage]) -> model.Stage | None:
    """The runtime a runtime or test is written out from, or None."""
    if stage.kind == model.BUILD or not isinstance(stage.base, model.FromStage):
        return None
    parent = stages.get(stage.base.stage.value)
    seen = {stage.name.value}
    while parent is not None and parent.kind == model.TEST:  # a test of a runtime, from a test
        if parent.name.value in seen or not isinstance(parent.base, model.FromStage):
            return None  # a cycle (an error of its own), or a test of a build
        seen.add(parent.name.value)
        parent = stages.get(parent.base.stage.value)
    return parent if parent is not None and parent.kind == model.RUNTIME else None


def _same(path: str, other: str) -> bool:
    return (path.rstrip("/") or "/") == (other.rstrip("/") or "/")


def _placed(parent: model.Stage, stages: dict[str, model.Stage], memo):
    """What the runtimes of the chain above place relative to their work directory (one
    above a runtime that set another work directory is refused there already): the first
    few by their place in the file, each as written with its span, and how many in all.
    Each runtime's answer is kept in `memo`, so a long chain of `from` is walked once."""
    chain: list[model.Stage] = []
    walked: set[str] = set()
    current: model.Stage | None = parent
    while current is not None and current.name.value not in memo:
        if current.name.value in walked:
            break  # a cycle: an error of its own
        walked.add(current.name.value)
        chain.append(current)
        current = _runtime_parent(current, stages)
    found = memo.get(current.name.value, ((), 0)) if current is not None else ((), 0)
    for stage in reversed(chain):
        own = list(_relative_lines(stage))
        merged = sorted([*found[0], *own], key=lambda p: (p[1].file, p[1].line, p[1].column))
        found = memo[stage.name.value] = (tuple(merged[:_SHOWN]), found[1] + len(own))
    return found


def _relative_lines(stage: model.Stage) -> Iterator[tuple[str, Span]]:
    for step in stage.steps:
        if isinstance(step, model.Run) and not _ABSOLUTE_CD.match(step.lines[0].strip()):
            first = step.lines[0].strip()
            yield f"run {first[:40]}{'…' if len(first) > 40 else ''}", step.span
        elif isinstance(step, model.Copy) and _lands_relatively(step):
            yield _copy_text(step), step.span
    for word, text in [("writable", t) for t in stage.writable] + [
        ("volume", t) for t in stage.volumes
    ]:
        if _relative(text.value):
            yield f"{word} {text.value}", text.span


def _lands_relatively(copy: model.Copy) -> bool:
    if copy.dest is not None:
        return _relative(copy.dest.value)
    if isinstance(copy.origin, model.Inline):
        return False  # a file always has its path (dest)
    return any(_relative(s.value) for s in copy.sources)


def _relative(path: str) -> bool:
    return not path.startswith("/") and not starts_with_reference(path)


def _copy_text(copy: model.Copy) -> str:
    if isinstance(copy.origin, model.Inline):
        return f"file {copy.dest.value if copy.dest else ''}"
    sources = " ".join(s.value for s in copy.sources)
    return f"copy {sources}" + (f" -> {copy.dest.value}" if copy.dest else "")

"""The programs a `binary` line names, and the name each gets: a Go package path's
program is named after its last element (as `go build` names it), a Cargo bin target
after itself; a line that gives a destination's file name (`-> /usr/local/bin/NAME`)
names its one program so. Each name is written out: ship names the artifact after it.

Read by `binary.py`; every refusal is a positioned error on the word."""

from __future__ import annotations

import re

from .. import model
from .registry import StageDraft

RUN_INSTEAD = "write the command and its output yourself: 'run …' and 'artifact PATH'"
# A Go package path: elements of letters, digits and . _ ~ + -, between '/'.
_GO_PATH = re.compile(r"[A-Za-z0-9._~+/-]+")
# An element Go skips when it names a program (`example.com/api/v2` builds `api`).
_MAJOR = re.compile(r"v(?:[2-9]|[1-9][0-9]+)")
PROGRAM = re.compile(r"[A-Za-z0-9_~+][A-Za-z0-9._~+-]*")  # a program's file name
_CARGO_BIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")  # ASCII: what Cargo takes everywhere

Program = tuple[str, model.Text]  # the name the build gives the program, and its word


def go_programs(stage: StageDraft, words: list[model.Text], given: str | None) -> list[Program]:
    """Each package path and the program Go builds for it, named `given` if the line
    names it; [] after an error."""
    programs: list[Program] = []
    ok = True
    for word in words:
        alone = len(words) == 1
        name = _go_name(stage, word, given, alone) if _written_out(stage, word) else None
        if name is not None:
            ok = _unique(stage, programs, name, word) and ok
            programs.append((name, word))
        ok = ok and name is not None
    return programs if ok else []


def cargo_programs(stage: StageDraft, words: list[model.Text]) -> list[Program]:
    """Each bin target, the program Cargo names after it; [] after an error."""
    programs: list[Program] = []
    ok = True
    for word in words:
        if not _written_out(stage, word):
            ok = False
        elif not _CARGO_BIN.fullmatch(word.value):
            ok = stage.values.fail(
                f"'{word.value}' is not a Cargo bin target's name (letters, digits, - and _)",
                word.span,
            )
        else:
            ok = _unique(stage, programs, word.value, word) and ok
            programs.append((word.value, word))
    return programs if ok else []


def go_name(path: str, app: str) -> str | None:
    """The name Go gives the program of a valid package path, if ship can tell."""
    elements = elements_of(path)
    if not elements:
        return app if PROGRAM.fullmatch(app) and app not in (".", "..") else None
    if _MAJOR.fullmatch(elements[-1]):
        return elements[-2] if len(elements) > 1 else None
    return elements[-1]


def elements_of(path: str) -> list[str]:
    return [e for e in path.rstrip("/").split("/") if e != "."]


def _written_out(stage: StageDraft, word: model.Text) -> bool:
    """A name ship names a program after: not a reference, not empty, not an option."""
    if "$" in word.value:
        return stage.values.fail(
            f"'{word.value}' names a program, so it is written out: ship names the artifact"
            " after it",
            word.span,
            RUN_INSTEAD + ", to build one a variable names",
        )
    if not word.value:
        return stage.values.fail("an empty name names no program", word.span)
    if word.value.startswith("-"):
        return stage.values.fail(
            f"'{word.value}' would be read as an option of the build, not a program",
            word.span,
            "options are NAME=value ('ldflags=…'); for others, " + RUN_INSTEAD,
        )
    return True


def _go_name(stage: StageDraft, word: model.Text, given: str | None, alone: bool) -> str | None:
    path = word.value
    if "..." in path:
        return none_after(
            stage.values.fail(
                f"'{path}' is a pattern: 'binary' names each program's package",
                word.span,
                "list the packages: 'binary ./cmd/api ./cmd/worker'",
            )
        )
    if not _GO_PATH.fullmatch(path):
        return none_after(
            stage.values.fail(
                f"'{path}' is not a Go package path (letters, digits, . _ ~ + - and '/')",
                word.span,
            )
        )
    elements = elements_of(path)
    if "" in elements or ".." in elements:
        return none_after(
            stage.values.fail(
                f"'{path}' is not a package of the build's sources",
                word.span,
                "a package path is './FOLDER/…' in the sources, or an import path",
            )
        )
    name = given or go_name(path, stage.app)
    if name is not None:
        return name
    # A destination names the line's one program; among several, each needs its own build.
    rename = f"name the program: 'binary {path} -> /usr/local/bin/NAME'" if alone else ""
    if not elements and not stage.app:
        return None  # no app name: the `app` line's error (one error, not a follow-on)
    if not elements:
        return none_after(
            stage.values.fail(
                f"the program of '{path}' is named after the app, and '{stage.app}' is not"
                " a program's name",
                word.span,
                "name the app with letters, digits and . _ ~ + -" + (", or " + rename) * alone,
            )
        )
    return none_after(
        stage.values.fail(
            f"Go names the program of '{path}' after its module, which ship cannot see",
            word.span,
            rename or RUN_INSTEAD,
        )
    )


def _unique(stage: StageDraft, programs: list[Program], name: str, word: model.Text) -> bool:
    first = next((w for n, w in programs if n == name), None)
    if first is None:
        return True
    if first.value == word.value:
        return stage.values.fail(f"'{name}' is named twice", word.span)
    return stage.values.fail(
        f"'{word.value}' makes a program named '{name}', as '{first.value}' does: one would"
        " overwrite the other",
        word.span,
        RUN_INSTEAD + " for each, with outputs of their own",
    )


def none_after(_: bool) -> None:
    return None

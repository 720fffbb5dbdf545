"""`binary NAME… [OPTION=VALUE…]`: the programs a build makes, said by what they are (Go
package paths, Cargo bin targets); the toolchain's preset (`Toolchain.binary`) says how
they are built. The line becomes, where it stands among the build's steps, the command
that builds them, and one artifact per program, as `artifact FOLDER/NAME` on its line
would be: everything after (default destinations, `ships`, the implied entrypoint, the
copy out of a cache mount or a cross build's target folder) is the artifacts'.

Each name is written out: ship names the program after it, so a `${NAME}` in one is
refused; `ldflags="…"` may read args, as a `run` line does."""

from __future__ import annotations

import re

from .. import expansion, model, presets, shell, syntax
from ..errors import did_you_mean
from ..syntax import LINE_BREAKS
from .registry import StageDraft, directive

_USAGE = 'binary NAME… [ldflags="…"] [tags=A,B]'
_RUN_INSTEAD = "write the command and its output yourself: 'run …' and 'artifact PATH'"
_OPTION = re.compile(r"([a-z]+)=")
# A Go package path: elements of letters, digits and . _ ~ + -, between '/'.
_GO_PATH = re.compile(r"[A-Za-z0-9._~+/-]+")
# An element Go skips when it names a program (`example.com/api/v2` builds `api`).
_MAJOR = re.compile(r"v(?:[2-9]|[1-9][0-9]+)")
_PROGRAM = re.compile(r"[A-Za-z0-9_~+][A-Za-z0-9._~+-]*")  # a program's file name
_CARGO_BIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")  # ASCII: what Cargo takes everywhere
_TAGS = re.compile(r"[A-Za-z0-9_.]+(?:,[A-Za-z0-9_.]+)*")

Program = tuple[str, model.Text]  # the program's name, and the word that named it


@directive(
    "binary",
    "artifacts",
    once=True,
    misplaced=_RUN_INSTEAD,
    again="name every program on the one 'binary' line: 'binary A B'",
)
def _binary(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, None, _USAGE)
    how = _how(stage, statement) if words else None
    if how is None:
        return
    options = _options(stage, how, [w for w in words if _OPTION.match(w.value)])
    names = [w for w in words if not _OPTION.match(w.value)]
    if not names:
        stage.values.fail("'binary' needs the name of a program", statement.span, _USAGE)
        return
    programs = (_go_programs if how.style == "go" else _cargo_programs)(stage, names)
    if not programs or options is None:
        return
    if how.style == "go":
        runs = _go_commands(how, programs, options)
    else:
        runs = [how.command + "".join(f" --bin {shell.quote(n)}" for n, _ in programs)]
    written = " ".join(["binary", *(w.raw for w in statement.args)])  # as written
    stage.add("steps", *(model.Run((line,), statement.span, written) for line in runs))
    stage.add(
        "artifacts",
        *(
            model.Artifact(
                model.Text(f"{how.output}/{name}", word.span), None, statement.span, name
            )
            for name, word in programs
        ),
    )


def _how(stage: StageDraft, statement: syntax.Statement) -> presets.Binary | None:
    """The toolchain's way of building programs, or why this build has none."""
    base = stage.base
    if isinstance(base, model.Preset) and base.name.value in presets.TOOLCHAINS:
        how = presets.TOOLCHAINS[base.name.value].binary
        if how is not None:
            return how
        on = f"the {base.name.value} toolchain"
    elif isinstance(base, model.Preset):
        return None  # not a toolchain: the head is reported
    elif isinstance(base, model.FromStage):
        on = f"stage '{base.stage.value}'"
    else:
        on = "an image"
    knows = ", ".join(n for n, t in presets.TOOLCHAINS.items() if t.binary is not None)
    stage.values.fail(
        f"'binary' builds with a toolchain ship knows ({knows}); this build is on {on}",
        statement.name.span,
        _RUN_INSTEAD,
    )
    return None


def _options(
    stage: StageDraft, how: presets.Binary, words: list[model.Text]
) -> dict[str, model.Text] | None:
    options: dict[str, model.Text] = {}
    ok = True
    for word in words:
        key, _, value = word.value.partition("=")
        text = model.Text(value, word.span)
        if key not in how.options:
            takes = f"takes {', '.join(how.options)}" if how.options else "takes no options"
            ok = stage.values.fail(
                f"unknown option '{key}': 'binary' with {how.style} {takes}"
                f"{did_you_mean(key, how.options)}",
                word.span,
                "a program's name has no '='; for other options, " + _RUN_INSTEAD,
            )
        elif key in options:
            ok = stage.values.fail(f"'binary' option '{key}' is given twice", word.span)
        elif key == "tags" and not _TAGS.fullmatch(value):
            ok = stage.values.fail(
                f"build tags are names split by commas (tags=netgo,osusergo), not '{value}'",
                word.span,
            )
        elif key == "ldflags" and not _ldflags(stage, text):
            ok = False
        else:
            options[key] = text
    return options if ok else None


def _ldflags(stage: StageDraft, text: model.Text) -> bool:
    """Linker flags: one shell word whatever they hold; `${NAME}` read as in a run line."""
    if expansion.problems(text.value):
        return stage.values.fail(
            f"a '$' in '{text.value}' is not a reference: write '$$' for the '$' itself",
            text.span,
        )
    if any(c in LINE_BREAKS for c in text.value) or not text.value.isprintable():
        return stage.values.fail("linker flags are one line of printable text", text.span)
    if not text.value.strip():
        return stage.values.fail("'ldflags=' needs flags: leave it out for none", text.span)
    return True


def _written_out(stage: StageDraft, word: model.Text) -> bool:
    """A name ship names a program after: not a reference, not empty, not an option."""
    if "$" in word.value:
        return stage.values.fail(
            f"'{word.value}' names a program, so it is written out: ship names the artifact"
            " after it",
            word.span,
            _RUN_INSTEAD + ", to build one a variable names",
        )
    if not word.value:
        return stage.values.fail("an empty name names no program", word.span)
    if word.value.startswith("-"):
        return stage.values.fail(
            f"'{word.value}' would be read as an option of the build, not a program",
            word.span,
            "options are NAME=value ('ldflags=…'); for others, " + _RUN_INSTEAD,
        )
    return True


def _go_programs(stage: StageDraft, words: list[model.Text]) -> list[Program]:
    """Each package path and the program Go names after it; [] after an error."""
    programs: list[Program] = []
    ok = True
    for word in words:
        name = _go_name(stage, word) if _written_out(stage, word) else None
        if name is not None:
            ok = _unique(stage, programs, name, word) and ok
            programs.append((name, word))
        ok = ok and name is not None
    return programs if ok else []


def _go_name(stage: StageDraft, word: model.Text) -> str | None:
    path = word.value
    if "..." in path:
        return _none(
            stage.values.fail(
                f"'{path}' is a pattern: 'binary' names each program's package",
                word.span,
                "list the packages: 'binary ./cmd/api ./cmd/worker'",
            )
        )
    if not _GO_PATH.fullmatch(path):
        return _none(
            stage.values.fail(
                f"'{path}' is not a Go package path (letters, digits, . _ ~ + - and '/')",
                word.span,
            )
        )
    elements = [e for e in path.rstrip("/").split("/") if e != "."]
    if "" in elements or ".." in elements:
        return _none(
            stage.values.fail(
                f"'{path}' is not a package of the build's sources",
                word.span,
                "a package path is './FOLDER/…' in the sources, or an import path",
            )
        )
    if not elements:
        return _root(stage, word)
    name = elements[-1]
    if _MAJOR.fullmatch(name):  # Go's own rule: a major version names no program
        if len(elements) < 2:
            return _none(
                stage.values.fail(
                    f"Go names the program of '{path}' after its module, which ship cannot see",
                    word.span,
                    _RUN_INSTEAD,
                )
            )
        name = elements[-2]
    return name


def _root(stage: StageDraft, word: model.Text) -> str | None:
    """The package at the root of the sources: its program is named after the app."""
    if _PROGRAM.fullmatch(stage.app) and stage.app not in (".", ".."):
        return stage.app
    return _none(
        stage.values.fail(
            f"the program of '{word.value}' is named after the app, and '{stage.app}' is not"
            " a program's name",
            word.span,
            "name the app with letters, digits and . _ ~ + -",
        )
    )


def _go_commands(
    how: presets.Binary, programs: list[Program], options: dict[str, model.Text]
) -> list[str]:
    """One `go build` for the packages Go names as ship does, into the folder; the root
    package, which Go would name after the module, is built by one of its own."""
    flags = how.ldflags + (" " + options["ldflags"].value if "ldflags" in options else "")
    command = f"{how.command} -ldflags={shell.quote(flags)}"
    if "tags" in options:
        command += f" -tags={shell.quote(options['tags'].value)}"
    root = [(n, w) for n, w in programs if not _elements(w.value)]
    rest = [(n, w) for n, w in programs if _elements(w.value)]
    runs = []
    if len(rest) == 1:
        name, word = rest[0]
        runs.append(f"{command} -o {shell.quote(f'{how.output}/{name}')} {_package(word)}")
    elif rest:
        packages = " ".join(_package(w) for _, w in rest)
        runs.append(f"{command} -o {shell.quote(how.output + '/')} {packages}")
    for name, word in root:
        runs.append(f"{command} -o {shell.quote(f'{how.output}/{name}')} {_package(word)}")
    return runs


def _elements(path: str) -> list[str]:
    return [e for e in path.rstrip("/").split("/") if e != "."]


def _package(word: model.Text) -> str:
    return shell.quote(word.value)


def _cargo_programs(stage: StageDraft, words: list[model.Text]) -> list[Program]:
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
        _RUN_INSTEAD + " for each, with outputs of their own",
    )


def _none(_: bool) -> None:
    return None

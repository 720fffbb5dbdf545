"""`binary NAME… [OPTION=VALUE…] [-> DEST]`: the programs a build makes, said by what they
are (Go package paths, Cargo bin targets); the toolchain's preset (`Toolchain.binary`) says
how they are built. The line becomes, where it stands among the build's steps, the command
that builds them, and one artifact per program, as `artifact FOLDER/NAME [-> DEST]` on its
line would be: everything after (destinations, `ships`, the implied entrypoint, the copy out
of a cache mount or a cross build's target folder) is the artifacts'.

A destination that names a file names the line's one program: Go builds it under that name
(`-o /out/NAME`), so it has the one name everywhere (the build, `ships`, a runtime `from`
the build); Cargo names its programs after their targets, so a Rust one is renamed by the
copy. The names it replaces (`ships` refuses them with the one to write) are kept.

Names are written out: ship names the program after them, so a `${NAME}` in one is
refused; `ldflags="…"` may read args, as a `run` line does."""

from __future__ import annotations

import posixpath
import re

from .. import expansion, model, places, presets, shell, syntax
from ..artifacts import PATH
from ..errors import Span, did_you_mean
from ..syntax import LINE_BREAKS
from .files import spaced_arrows
from .programs import (
    PROGRAM,
    RUN_INSTEAD,
    Program,
    cargo_programs,
    elements_of,
    go_name,
    go_programs,
    none_after,
)
from .registry import StageDraft, directive

_USAGE = 'binary NAME… [ldflags="…"] [tags=A,B] [-> DEST]'
_OPTION = re.compile(r"([a-z]+)=")
_TAGS = re.compile(r"[A-Za-z0-9_.]+(?:,[A-Za-z0-9_.]+)*")


@directive(
    "binary",
    "artifacts",
    once=True,
    misplaced=RUN_INSTEAD,
    again="name every program on the one 'binary' line: 'binary A B'",
)
def _binary(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, None, _USAGE)
    how = _how(stage, statement) if words else None
    arrow = _arrow(stage, statement, words) if how is not None else None
    if how is None or arrow is None:
        return
    words, dest = arrow
    options = _options(stage, how, [w for w in words if _OPTION.match(w.value)])
    names = [w for w in words if not _OPTION.match(w.value)]
    if not names:
        stage.values.fail("'binary' needs the name of a program", statement.span, _USAGE)
        return
    if not spaced_arrows(stage, [*names, *([dest] if dest else [])], "word"):
        return
    if dest is not None and not _destination(stage, names, dest):
        return
    given = _given(dest)
    go = how.style == "go"
    programs = go_programs(stage, names, given) if go else cargo_programs(stage, names)
    if not programs or options is None:
        return
    if go:
        runs = _go_commands(how, programs, options)
    else:
        runs = [how.command + "".join(f" --bin {shell.quote(n)}" for n, _ in programs)]
    written = " ".join(["binary", *(w.raw for w in statement.args)])  # as written
    span = statement.span
    reads = options.get("ldflags")
    stage.add("steps", *(model.Run((line,), span, written, reads) for line in runs))
    stage.add("artifacts", *(_artifact(stage, how, p, dest, given, span) for p in programs))


def _artifact(
    stage: StageDraft,
    how: presets.Binary,
    program: Program,
    dest: model.Text | None,
    given: str | None,
    span: Span,
) -> model.Artifact:
    """A program's artifact: the path the build leaves it at, where it goes, its name, and
    the name the line's destination replaces, if any."""
    built, word = program
    natural = go_name(word.value, stage.app) if how.style == "go" else word.value
    source = model.Text(f"{how.output}/{built}", word.span)
    renames = natural if given is not None and natural != given else None
    return model.Artifact(source, dest, span, given or built, renames)


def _arrow(
    stage: StageDraft, statement: syntax.Statement, words: list[model.Text]
) -> tuple[list[model.Text], model.Text | None] | None:
    """The words before `->` and the destination after it (None without one), as
    `artifact` reads them; the destination ends the line, options come before it."""
    arrows = [i for i, w in enumerate(words) if w.value == "->"]
    if not arrows:
        return words, None
    before, after = words[: arrows[0]], words[arrows[0] + 1 :]
    late = [w for w in after if _OPTION.match(w.value)]
    if late and len(arrows) == 1 and len(after) - len(late) == 1:
        raw = {a.span: a.raw for a in statement.args}  # each word as written
        order = [*before, *late, words[arrows[0]], *(w for w in after if w not in late)]
        fix = " ".join(["binary", *(raw.get(w.span, w.value) for w in order)])
        return none_after(
            stage.values.fail(
                "options come before '->': the destination ends the line, as in 'artifact'",
                late[0].span.to(late[-1].span),
                f"write '{fix}'",
            )
        )
    if len(arrows) > 1 or len(after) != 1:
        at = words[arrows[-1]].span if len(arrows) > 1 or not after else after[1].span
        return none_after(
            stage.values.fail(
                f"'->' must come once, before a single destination; usage: {_USAGE}", at
            )
        )
    return before, after[0]


def _destination(stage: StageDraft, names: list[model.Text], dest: model.Text) -> bool:
    """Where the programs go, as an artifact's `->`; a file's name names the one program."""
    if not stage.values.copy_path(dest, "a program's destination"):
        return False
    name = _given(dest)
    if name is None:
        return True
    if places.folder(dest.value) is None:
        return stage.values.fail(
            f"'{dest.value}' is one reference: ship cannot tell whether it names a folder or"
            " the program",
            dest.span,
            f"end it with '/' for a folder ('-> {dest.value}/'), or write the program's"
            " folder out ('-> /usr/local/bin/NAME')",
        )
    if len(names) > 1:
        return stage.values.fail(
            "several programs go into one folder: end the destination with '/'",
            dest.span,
            f"write '{posixpath.dirname(dest.value) or '.'}/' or '{dest.value}/': each"
            " program keeps its name there; a file's name names the line's one program",
        )
    if "$" in name:
        return stage.values.fail(
            f"'{name}' names the program, so it is written out: ship names the artifact after"
            " it",
            dest.span,
            RUN_INSTEAD + ", to name one after a variable",
        )
    if not PROGRAM.fullmatch(name):
        return stage.values.fail(
            f"'{name}' is not a program's name: letters, digits and . _ ~ + -, the first"
            " neither '.' nor '-'",
            dest.span,
        )
    return True


def _given(dest: model.Text | None) -> str | None:
    """The program's name a destination gives: its file name, unless it is a folder (a
    '/' at its end, or a folder of programs written without it, which is refused later,
    with the hint for every copy)."""
    if dest is None or dest.value.endswith("/") or dest.value in PATH:
        return None
    return places.name(dest.value)  # cut at the last '/' outside references


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
        RUN_INSTEAD,
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
                "a program's name has no '='; for other options, " + RUN_INSTEAD,
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


def _beyond(preset: str, flags: str) -> str:
    """The user's linker flags without the flags the preset passes already (`-s -w`
    written again): the words as the linker splits them, at spaces outside quotes. A word
    after another flag is left, as that flag's value it may be (`-extldflags -s`)."""
    passed = set(preset.split())
    words = _words(flags)
    kept = []
    for before, word in zip(["", *words], words, strict=False):
        value = before.startswith("-") and before not in passed and "=" not in before
        if word not in passed or value:
            kept.append(word)
    return flags if kept == words else " ".join(kept)


def _words(flags: str) -> list[str]:
    """Linker flags split as Go splits `-ldflags` (cmd/internal/quoted): at white space
    outside single or double quotes, each word kept as written, quotes and all."""
    words, word, quote = [], "", None
    for char in flags:
        if quote is None and char.isspace():
            if word:
                words.append(word)
            word = ""
            continue
        if quote is None and char in "'\"":
            quote = char
        elif char == quote:
            quote = None
        word += char
    return [*words, word] if word else words


def _go_commands(
    how: presets.Binary, programs: list[Program], options: dict[str, model.Text]
) -> list[str]:
    """One `go build` for the packages Go names as ship does, into the folder; the root
    package, which Go would name after the module, is built by one of its own."""
    own = _beyond(how.ldflags, options["ldflags"].value) if "ldflags" in options else ""
    flags = how.ldflags + (" " + own if own else "")
    command = f"{how.command} -ldflags={shell.quote(flags)}"
    if "tags" in options:
        command += f" -tags={shell.quote(options['tags'].value)}"
    root = [(n, w) for n, w in programs if not elements_of(w.value)]
    rest = [(n, w) for n, w in programs if elements_of(w.value)]
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


def _package(word: model.Text) -> str:
    return shell.quote(word.value)

"""Directives that name files: `copy` (from the build context, an image or a stage),
`file` (a file written from its lines), `copies linked` (how every copy is made),
`artifact` (what a build leaves for the runtimes), `deps` and `writable`."""

from __future__ import annotations

import re

from .. import expansion, model, syntax
from ..places import glob_in_folder
from ..syntax import LINE_BREAKS
from .registry import StageDraft, directive

_MODE = re.compile(r"[0-7]{3,4}")
# A path `COPY <<… PATH` takes as it is: that form has no quoting (references are kept).
_PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9_./@%+,=~-]|\$\{[A-Za-z_][A-Za-z0-9_]*\})+")


@directive("copy", "steps")
def _copy(stage: StageDraft, statement: syntax.Statement) -> None:
    sources, dest = stage.reader.arrow(statement, "copy SRC… [-> DEST]")
    if not _spaced_arrows(stage, sources, dest) or _copy_options(stage, "copy", sources, dest):
        return
    if [s.value for s in sources] == ["none"] and dest is None:
        _copy_none(stage, statement)
        return
    if sources and sources[0].value in ("image", "from"):
        _copy_from(stage, statement, sources, dest)
        return
    if dest is None and len(sources) > 1 and sources[-1].value.startswith("/"):
        *rest, last = sources  # Dockerfile's `COPY a /dest`: the destination needs its arrow
        written = " ".join(s.value for s in rest)
        hint = f"a destination follows '->': 'copy {written} -> {last.value}'"
        stage.values.fail(f"'{last.value}' is outside the build context", last.span, hint)
        return
    for source in sources:
        if stage.values.context_path(source) and dest is None:
            hint = f"name each folder, or give one destination: 'copy {source.value} -> DEST/'"
            _in_place(stage, source, hint)
    if dest is not None and not stage.values.copy_path(dest, "a destination"):
        return
    if sources and _one_folder(stage, "paths", "path", sources, dest):
        stage.add("steps", model.Copy(tuple(sources), dest, statement.span))


def _copy_none(stage: StageDraft, statement: syntax.Statement) -> None:
    """`copy none`: a build that reads nothing from the build context."""
    if stage.kind != "build":
        stage.values.fail(
            f"'copy none' is for builds: a {stage.kind} gets no sources unless it copies them",
            statement.span,
        )
        return
    stage.add("steps", model.Copy((), None, statement.span))


def _copy_from(
    stage: StageDraft, statement, sources: list[model.Text], dest: model.Text | None
) -> None:
    """`copy image REF PATH… [-> DEST]`, `copy from NAME PATH… [-> DEST]`: files of an
    image, or of another stage of this file."""
    how = sources[0]
    what = "REF" if how.value == "image" else "NAME"
    usage = f"copy {how.value} {what} PATH… [-> DEST]"
    if len(sources) < 3:
        stage.values.fail(
            f"wrong number of words for 'copy {how.value}'; usage: {usage}",
            statement.span,
            f"to copy a file named '{how.value}' from the build context, write"
            f" 'copy ./{how.value}'",
        )
        return
    where, paths = sources[1], sources[2:]
    if how.value == "image":
        if not stage.values.image_ref(where):
            return
        origin: model.Base = model.Image(where, how.span.to(where.span))
    else:
        if not stage.values.stage_name(where):
            return
        origin = model.FromStage(where, how.span.to(where.span))
    ok = all(stage.values.copy_path(p, "a path to copy") for p in paths)
    if how.value == "image":
        ok = ok and all(stage.values.absolute(p, "a path in an image") for p in paths)
    if dest is not None:
        ok = ok and stage.values.copy_path(dest, "a destination")
    if ok and _one_folder(stage, "paths", "path", paths, dest):
        stage.add("steps", model.Copy(tuple(paths), dest, statement.span, origin))


@directive("file", "steps")
def _file(stage: StageDraft, statement: syntax.Statement) -> None:
    """`file PATH [mode=OCTAL] [LINE…]`: a file of these lines (each word one line, each
    ending in a newline), written with `COPY <<"TERM" PATH`, which a newer frontend reads."""
    words = stage.reader.words(statement, 1, None, "file PATH [mode=OCTAL] [LINE…]")
    if not words:
        return
    path, lines = words[0], words[1:]
    mode = None
    if lines and _unquoted(lines[0]) and lines[0].value.startswith("mode="):
        mode, lines = lines[0], lines[1:]
        value = model.Text(mode.value.removeprefix("mode="), mode.span)
        if not _MODE.fullmatch(value.value):
            stage.values.fail(
                f"a file's mode is octal, as chmod takes it (644, 0755), not '{value.value}'",
                mode.span,
                "to write the line itself, quote it",
            )
            return
        mode = value
    if not _file_path(stage, path) or not all(_file_line(stage, line) for line in lines):
        return
    origin = model.Inline(tuple(lines), mode, statement.span)
    stage.add("steps", model.Copy((), path, statement.span, origin))


def _unquoted(word: model.Text) -> bool:
    """Whether a word was written without quotes (quotes make it longer than its value)."""
    span = word.span
    return span.line == span.end_line and span.end_column - span.column == len(word.value)


def _file_path(stage: StageDraft, path: model.Text) -> bool:
    if not stage.values.copy_path(path, "a file's path"):
        return False
    if path.value.endswith("/") or path.value in (".", ".."):
        return stage.values.fail(
            f"'{path.value}' names a folder: 'file' writes one file", path.span,
            f"name the file: '{path.value.rstrip('/') or ''}/NAME'",
        )
    if not _PLAIN_PATH.fullmatch(path.value):
        return stage.values.fail(
            f"a file's path is written as it is, so it may hold only letters, digits,"
            f" '${{NAME}}' and . _ / @ % + , = ~ -, not '{path.value}'",
            path.span,
        )
    return True


def _file_line(stage: StageDraft, line: model.Text) -> bool:
    """A line of a file's text: written as it is (nothing in it is expanded)."""
    parts, problems = expansion.split(line.value)
    reference = next((p for p in parts if isinstance(p, expansion.Reference)), None)
    if reference is not None:
        return stage.values.fail(
            f"a file's text is written as it is: '{reference.raw}' would not be replaced by a"
            " value",
            line.span,
            f"write '$${reference.raw[1:]}' for the text '{reference.raw}' itself",
        )
    if problems:
        return stage.values.fail("a '$' in a file's text is written '$$'", line.span)
    text = "".join(p for p in parts if isinstance(p, str))
    if any(c in LINE_BREAKS for c in text):
        return stage.values.fail(
            "a line of a file cannot hold a line break: give each line a word of its own",
            line.span,
        )
    if not all(c.isprintable() or c == "\t" for c in text):
        return stage.values.fail(
            "a line of a file can hold only printable characters and tabs", line.span
        )
    return True


@directive("copies", "link", once=True)
def _copies(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, 1, "copies linked")
    if words and stage.values.choice(words[0], ("linked",), "copies"):
        stage.fields["link"] = words[0]


@directive("artifact", "artifacts")
def _artifact(stage: StageDraft, statement: syntax.Statement) -> None:
    sources, dest = stage.reader.arrow(statement, "artifact PATH… [-> DEST]")
    if not _spaced_arrows(stage, sources, dest):
        return
    if _copy_options(stage, "artifact", sources, dest):
        return
    paths = [*sources, *([dest] if dest else [])]
    if not all(stage.values.copy_path(p, "an artifact path") for p in paths):
        return
    if not _one_folder(stage, "artifacts", "artifact", sources, dest):
        return
    # One artifact per path, each a COPY of its own in the runtimes.
    stage.add("artifacts", *(model.Artifact(s, dest, statement.span) for s in sources))


def _one_folder(
    stage: StageDraft, what: str, one: str, sources, dest: model.Text | None
) -> bool:
    """Several sources go into one folder, which COPY wants written with its '/'."""
    if dest is None or len(sources) < 2 or dest.value.endswith("/"):
        return True
    return stage.values.fail(
        f"several {what} go into one folder: end the destination with '/'",
        dest.span,
        f"write '{dest.value}/' (each {one}'s contents are copied into it, as COPY"
        f" does), or give each {one} a line of its own",
    )


@directive("deps", "deps", once=True)
def _deps(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, None, "deps FILE… (or 'deps none')")
    if len(words) == 1 and words[0].value == "none":
        words = []
    for word in words:
        if stage.values.context_path(word):
            _in_place(stage, word, "name each folder: 'deps a/FILE b/FILE'")
    stage.fields["deps"] = tuple(words)


@directive("writable", "writable")
def _writable(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, None, "writable PATH …")
    stage.add("writable", *(w for w in words if stage.values.copy_path(w, "a writable path")))


# COPY's options, as a Docker user writes them from habit, and what ship says instead.
_COPY_OPTIONS = {
    "--from": None,  # the ship form says it
    "--chown": "files are root's: a folder the program writes is 'writable PATH' (what is"
    " copied into it is the runtime user's)",
    "--chmod": "a copy keeps the mode the file has in the context (a 'file' line takes"
    " mode=OCTAL)",
    "--link": "'copies linked' in the block makes every copy of it a linked one",
}


def _copy_options(
    stage: StageDraft, keyword: str, words: list[model.Text], dest: model.Text | None
) -> bool:
    """`copy --from=build /out/a /bin/`: Dockerfile COPY options, one error with the ship
    form (True), instead of an error for each word ('-' starts a path, no arrow)."""
    flags = [w for w in words if _unquoted(w) and w.value.split("=")[0] in _COPY_OPTIONS]
    if not flags:
        return False
    paths = [w.value for w in words if w not in flags]
    if dest is None and len(paths) > 1 and paths[-1].startswith("/"):
        *paths, last = paths  # `COPY a /dest`: the destination gets its arrow
        dest = model.Text(last, flags[0].span)
    origin = next((f.value.partition("=")[2] for f in flags if f.value.startswith("--from=")), "")
    if keyword == "copy" and origin:
        how = "image" if any(c in origin for c in ":/.@") else "from"
        paths = [how, origin, *paths]
    fix = " ".join([keyword, *paths] + ([f"-> {dest.value}"] if dest else []))
    notes = [_COPY_OPTIONS[f.value.split("=")[0]] for f in flags]
    if keyword == "artifact" and origin:
        notes.append("an artifact is a path of this build")
    said = ", ".join(f"'{f.value}'" for f in flags)
    stage.values.fail(
        f"{said} {'is a' if len(flags) == 1 else 'are'} Dockerfile COPY"
        f" option{'s' * (len(flags) > 1)}: '{keyword}' takes none",
        flags[0].span.to(flags[-1].span),
        "; ".join([f"write '{fix}'", *dict.fromkeys(n for n in notes if n)]),
    )
    return True


def _spaced_arrows(stage: StageDraft, sources: list[model.Text], dest: model.Text | None) -> bool:
    """`x->/y` is one word, so one path: surely an arrow without its spaces."""
    return spaced_arrows(stage, [*sources, *([dest] if dest else [])], "path")


def spaced_arrows(stage: StageDraft, words: list[model.Text], reads_as: str) -> bool:
    """A word holding `->` (`x->/y`, `./cmd/api->/usr/bin/api`) is one word: surely an
    arrow without its spaces. False once it is reported."""
    for word in words:
        before, arrow, after = word.value.partition("->")
        if arrow:
            fix = f"{before} -> {after}".strip()
            return stage.values.fail(
                f"'{word.value}' reads as one {reads_as}: write '{fix}', with spaces", word.span
            )
    return True


def _in_place(stage: StageDraft, path: model.Text, hint: str) -> None:
    """A path copied to its own place: a glob may only be in its last part."""
    if glob_in_folder(path.value):
        stage.values.fail(
            f"'{path.value}' has a glob in a folder name, so its matches have no one place to keep",
            path.span,
            hint,
        )

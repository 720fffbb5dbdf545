"""Includes, a pass over the syntax tree: `include "common.ship"` puts the top-level items
of another file where the line stands, as if they were written there.

The merge is textual and nothing is replaced: an included file holds `arg` lines and
blocks (and may include others); the `app` line, an arg or a stage name given in two files
is the same error as twice in one file, naming both places. To build on an included stage,
write a stage `from` it. Refused, each a positioned error: a path that is absolute or uses
`${…}`, a missing or unreadable file, a cycle, the same file included twice, inputs larger
together than `files.MAX_INPUT`. Paths are relative to the including file's folder; files
are read under the same rules as the main file (`files.read_source`).

Every span of an included file carries that file's name (as messages show it: joined to
the including file's folder), and `Sources` says which include read it, so a diagnostic
names the file, its line, and the chain of includes that led there.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable

from . import expansion, syntax
from .errors import Diagnostic, ShipErrors, Span, error
from .files import MAX_INPUT, FileProblem, read_source
from .parse import parse
from .record import record

DIRECTIVE = "include"

Read = Callable[[str, str], bytes]  # (path, name for messages) -> bytes; raises FileProblem


def read_file(path: str, shown: str) -> bytes:
    """An included file's bytes, from disk, read as the main file is (`files.read_source`)."""
    return read_source(path, shown, advice="include a .ship file")


@record
class Source:
    """One file read for a compile: its name as messages show it, its bytes and text, and
    the span of the include that read it (None for the main file)."""

    name: str
    data: bytes
    text: str
    included_at: Span | None = None


@record
class Sources:
    """Every file a compile read, the main one first, each included one by the name its
    spans carry."""

    main: Source
    included: tuple[Source, ...] = ()
    # An include whose lines are missing (its file unreadable, its path or text wrong): what
    # the rest of the file names from it cannot be checked.
    incomplete: bool = False

    def of(self, span: Span) -> Source:
        """The file a span is in."""
        return next((s for s in self.included if s.name == span.file), self.main)

    def chain(self, span: Span) -> tuple[tuple[str, Span], ...]:
        """The includes that led to a span's file, innermost first: (including file's
        name, span of the include there)."""
        out = []
        source = self.of(span)
        while source.included_at is not None:
            at = source.included_at
            source = self.of(at)
            out.append((source.name, at))
        return tuple(out)

    def inputs(self) -> tuple[tuple[str, bytes], ...]:
        """What the output depends on, for a digest or a Make rule: each file's name (as
        given, or joined for an include) and bytes, the main file first."""
        return tuple((s.name, s.data) for s in (self.main, *self.included))


def include(
    items: tuple[syntax.Item, ...], main: Source, read: Read
) -> tuple[tuple[syntax.Item, ...], Sources, list[Diagnostic]]:
    """The items with every top-level include replaced by the included file's items."""
    if not any(isinstance(i, syntax.Directive) and i.name.raw == DIRECTIVE for i in items):
        return items, Sources(main, ()), []  # most files: nothing to read, no path to resolve
    reader = _Includer(main, read)
    start = () if main.name == "<stdin>" else ((os.path.realpath(main.name), main.name),)
    merged = reader.items(items, main.name, start)
    sources = Sources(main, tuple(reader.sources), reader.incomplete)
    return tuple(merged), sources, reader.diagnostics


class _Includer:
    def __init__(self, main: Source, read: Read):
        self.read = read
        self.sources: list[Source] = []
        self.diagnostics: list[Diagnostic] = []
        self.total = len(main.data)
        self.seen: dict[str, Span] = {}  # real path -> the include that read it
        self.stdin = main.name == "<stdin>"  # standard input without a name: paths from "."
        self.incomplete = False

    def items(self, items, name: str, chain: tuple[tuple[str, str], ...]) -> list[syntax.Item]:
        """The items with their includes read in; `chain`: (real path, name) of the files
        that include this one, the main file first."""
        out: list[syntax.Item] = []
        for item in items:
            if isinstance(item, syntax.Directive) and item.name.raw == DIRECTIVE:
                out.extend(self._include(item, name, chain))
            else:
                out.append(item)
        return out

    def _fail(self, message: str, span: Span, hint: str | None = None) -> None:
        self.diagnostics.append(error(message, span, hint))

    def _lost(self, message: str, span: Span, hint: str | None = None) -> None:
        """An include whose lines are not read in."""
        self.incomplete = True
        self._fail(message, span, hint)

    def _include(self, item: syntax.Directive, name: str, chain) -> list[syntax.Item]:
        if len(item.args) != 1:
            usage = 'include "FILE"'
            self._lost(f"wrong number of words for 'include'; usage: {usage}", item.span)
            return []
        word = item.args[0]
        path = self._path(word)
        if path is None:
            return []
        shown = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
        real = os.path.realpath(shown)
        reals = [r for r, _ in chain]
        if real in reals:
            names = [n for _, n in chain[reals.index(real) :]] + [shown]
            message = f"files include each other in a cycle: {' -> '.join(names)}"
            self._fail(message, word.span, "a file may not include a file that includes it")
            return []
        if real in self.seen:
            first = self.seen[real]
            where = f"{first.file}:{first.line}" if first.file else f"line {first.line}"
            self._fail(
                f"'{shown}' is already included ({where}): a file is included once", word.span
            )
            return []
        self.seen[real] = word.span
        text = self._read(shown, word)
        if text is None:
            return []
        try:
            parsed = parse(text, shown)
        except ShipErrors as exc:
            self.diagnostics.extend(exc.diagnostics)
            self.incomplete, parsed = True, ()
        return self.items(parsed, shown, (*chain, (real, shown)))

    def _path(self, word: syntax.Word) -> str | None:
        """The path a word names, if it may be included."""
        value = syntax.decode(word.raw)
        if isinstance(value, syntax.DecodeError):
            return self._lost(value.message, word.span)
        path = expansion.literal(value)
        if path is None:
            return self._lost(
                "an include is read when ship compiles: its path cannot use ${…}", word.span
            )
        if not path:
            return self._lost("an include needs a file name", word.span)
        if path.startswith("/"):
            return self._lost(
                "an include path is relative to the including file's folder",
                word.span,
                "so the project compiles wherever it is checked out",
            )
        return path

    def _read(self, shown: str, word: syntax.Word) -> str | None:
        try:
            data = self.read(shown, shown)
        except FileProblem as exc:
            hint = None
            if self.stdin:
                hint = (
                    "standard input has no folder, so includes are read from the current one:"
                    " name the file with --stdin-filename PATH to read them from its folder"
                )
            return self._lost(f"cannot include: {exc}", word.span, hint)
        if self.total + len(data) > MAX_INPUT:
            message = f"the main file and its includes are larger than {MAX_INPUT >> 20} MiB"
            return self._lost(message, word.span)
        self.total += len(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return self._lost(f"{shown} is not UTF-8 text (.ship files are UTF-8)", word.span)
        self.sources.append(Source(shown, data, text, word.span))
        return text

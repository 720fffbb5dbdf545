"""Foreign syntax: what people bring to a .ship file from Dockerfiles, shells, C-like
languages and word processors, recognised so that the diagnostic names the cause ("this
looks like a Dockerfile", "ship strings use double quotes") instead of a symptom ("unknown
top-level directive 'FROM'", "expected KEY=value, got 'y''").

`dockerfile` looks at a whole text, before it is parsed. `repair` looks at the words of
one statement: it reports what it recognises and returns the words as they were meant, so
the statement is still read and nothing later complains about the same mistake again.
"""

from __future__ import annotations

import collections

from . import syntax
from .errors import Diagnostic, Span, error
from .record import replace

INSTRUCTIONS = frozenset(
    "FROM RUN CMD LABEL MAINTAINER EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG"
    " ONBUILD STOPSIGNAL HEALTHCHECK SHELL".split()
)


def dockerfile(text: str) -> Diagnostic | None:
    """One error for a pasted Dockerfile, at its first `FROM`: a file whose instructions
    are mostly upper-case Dockerfile instructions, one of them `FROM`."""
    if "FROM" not in text:
        return None  # most files: no line to look at
    first_from, instructions, lines, continued = None, 0, 0, False
    for number, line in enumerate(text.split("\n"), start=1):
        words = line.split()
        was_continued, continued = continued, line.rstrip().endswith("\\")
        if was_continued or not words or words[0].startswith("#"):
            continue
        lines += 1
        if words[0] in INSTRUCTIONS:
            instructions += 1
            if words[0] == "FROM" and first_from is None:
                column = line.index("FROM") + 1
                first_from = Span(number, column, number, column + 4)
    if first_from is None or instructions * 2 < lines:
        return None
    return error(
        "this looks like a Dockerfile: a .ship file describes the build, and ship writes the"
        " Dockerfile",
        first_from,
        "ship files use 'app NAME', then blocks such as 'build go 1.22 { … }' and"
        " 'runtime alpine 3.20 { … }' (see docs/language.md)",
    )


# Quotes that open a string elsewhere, and the quote that closes each.
_QUOTES = {"'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u201e": "\u201c"}
_PAIRS = ("arg", "env", "label")  # directives whose words are NAME=VALUE
_EXEC = ("cmd", "entrypoint", "healthcheck")  # run without a shell
_OPERATORS = ("&&", "||", "|")


def repair(items: tuple[syntax.Item, ...], report) -> list[syntax.Item]:
    """The items with foreign spellings reported (through `report`) and undone: a 'quoted'
    or “quoted” string, `NAME = VALUE`, a line continued with `\\` or a shell operator
    where lines do not continue. (`// comments` are the parser's: they may hold anything.)"""
    result: list[syntax.Item] = []
    pending = collections.deque(items)
    while pending:
        item = pending.popleft()
        if isinstance(item, syntax.Block):
            args = _quotes(item.args, report)
            result.append(item if args is item.args else replace(item, args=args))
        elif isinstance(item, syntax.Directive):
            result.append(_continued(_directive(item, report), pending, report))
        else:
            result.append(item)
    return result


def _directive(item: syntax.Directive, report) -> syntax.Directive:
    args = _quotes(item.args, report)
    if item.name.raw in _PAIRS:
        args = _spaced_equals(args, report)
    return item if args is item.args else replace(item, args=args)


def _quotes(words: tuple[syntax.Word, ...], report) -> tuple[syntax.Word, ...]:
    """Words with a string in single or curly quotes made one double-quoted word (`words`
    itself when there is none)."""
    quotes = _QUOTES.keys()
    if all(quotes.isdisjoint(word.raw) for word in words):
        return words  # most statements: no foreign quote in any word
    result = list(words)
    index = 0
    while index < len(result):
        found = _opening(result[index].raw)
        if found is None:
            index += 1
            continue
        at, quote = found
        closing = _closing(result, index, at, _QUOTES[quote])
        first = result[index]
        start = first.span.at(first.span.line, first.span.column + at)
        what = (
            "single quotes do not make a string in a .ship file"
            if quote == "'"
            else f"'{quote}' is a curly quote, which does not make a string in a .ship file"
        )
        if closing is None:
            report(error(what, start, 'ship strings are written in straight double quotes: "…"'))
            index += 1
            continue
        end, close = closing
        last = result[end]
        after = last.raw[close + 1 :]  # `='value'` of a `'key'='value'` pair, or nothing
        joined = _joined(result[index : end + 1])
        inner = joined[at + 1 : len(joined) - len(after) - 1]
        escaped = inner.replace("\\", "\\\\").replace('"', '\\"')
        word = syntax.Word(first.raw[:at] + '"' + escaped + '"' + after, first.span.to(last.span))
        shown = word.raw if _QUOTES.keys().isdisjoint(after) else word.raw[: -len(after) + 1] + "…"
        quoted = Span(start.line, start.column, last.span.line, last.span.column + close + 1)
        report(error(what, replace(quoted, file=start.file), f"write {shown}"))
        result[index : end + 1] = [word]
        index += 0 if after else 1  # a quoted key's value may be quoted so too
    return tuple(result)


def _opening(raw: str) -> tuple[int, str] | None:
    """Where a foreign quote opens a string in a word: at its start or after its first '='."""
    if _QUOTES.keys().isdisjoint(raw):  # most words: no foreign quote at all
        return None
    for at in (0, raw.find("=") + 1):
        if at < len(raw) and raw[at] in _QUOTES and raw[:at].count('"') % 2 == 0:
            return at, raw[at]
    return None


def _closing(words: list[syntax.Word], index: int, at: int, quote: str):
    """The index of the word on the same line that holds the closing quote, and where in
    it: at its end, or before the '=' of a quoted key (`'key'=value`)."""
    for end in range(index, len(words)):
        raw = words[end].raw
        if end > index and words[end].span.line != words[index].span.line:
            return None
        if raw.endswith(quote) and (end > index or len(raw) > at + 1):
            return end, len(raw) - 1
        key = raw.find(quote + "=", at + 1 if end == index else 0)
        if key >= 0:
            return end, key
    return None


def _joined(words: list[syntax.Word]) -> str:
    """The raw text of adjacent words on one line, with the blanks between them."""
    text = words[0].raw
    for before, word in zip(words, words[1:], strict=False):
        text += " " * (word.span.column - before.span.end_column) + word.raw
    return text


def _glued_equals(this: str, after: str) -> bool:
    """`NAME =VALUE` or `NAME= VALUE`: two words that are one pair with a blank in it."""
    if after.startswith("=") and after != "=" and "=" not in this:
        return True
    return this.endswith("=") and this.count("=") == 1 and "=" not in after


def _spaced_equals(words: tuple[syntax.Word, ...], report) -> tuple[syntax.Word, ...]:
    """`NAME = VALUE`, `NAME =VALUE`, `NAME= VALUE` made `NAME=VALUE` (`words` itself when
    there is none)."""
    if not any(w.raw.startswith("=") or w.raw.endswith("=") for w in words):
        return words
    result = list(words)
    index = 0
    while index < len(result) - 1:
        this, after = result[index], result[index + 1]
        take = 0
        if after.raw == "=" and index + 2 < len(result):
            take = 3
        elif _glued_equals(this.raw, after.raw):
            take = 2
        if take:
            group = result[index : index + take]
            joined = "".join(w.raw for w in group)
            span = group[0].span.to(group[-1].span)
            report(error("'=' takes no spaces around it", span, f"write '{joined}'"))
            result[index : index + take] = [syntax.Word(joined, span)]
        index += 1
    return tuple(result)


def _continued(item: syntax.Directive, pending: collections.deque, report) -> syntax.Directive:
    """A statement that ends in `\\` (or, in an exec-form command, in `&&`) as if it went on
    to the next line, which only `run` and `install` do. The lines it meant to take are
    taken, so they do not read as statements of their own."""
    if not item.args or item.args[-1].raw not in ("\\", *_OPERATORS):
        return item
    last = item.args[-1]
    if last.raw != "\\" and item.name.raw not in _EXEC:
        return item
    following = pending[0] if pending else None
    takes = (
        isinstance(following, syntax.Directive) and following.span.line == item.span.end_line + 1
    )
    name = item.name.raw
    if last.raw == "\\":
        message = f"this '{name}' line does not continue onto the next: only 'run' and 'install' do"
        report(error(message, last.span, "write it on one line"))
        if not takes:
            return replace(item, args=item.args[:-1])
        pending.popleft()
        args = item.args[:-1] + (following.name,) + following.args
        return _continued(replace(item, args=args), pending, report)
    words = [w.raw for w in item.args]
    if takes:
        pending.popleft()
        words += [following.name.raw, *(w.raw for w in following.args)]
    command = " ".join(words).replace('"', '\\"') + ("" if takes else " …")
    report(
        error(
            f"'{last.raw}' is shell syntax, and '{name}' runs its program without a shell",
            last.span,
            f'to run a shell command, write: {name} sh -c "{command}"',
        )
    )
    return replace(item, args=item.args[:-1])

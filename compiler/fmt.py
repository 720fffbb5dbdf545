"""`ship fmt`: one canonical layout for a .ship file, every comment kept.

The layout: top-level lines at column 0, a block's lines indented by four spaces, a `run`
or `install` line's continuation lines by four more; words one space apart; a trailing
comment two spaces after the code; one blank line around each top-level block, at most
one blank line anywhere else, none at the start or end of a file or block; a block written
on its head's line stays there, `HEAD {}` or `HEAD { STATEMENT }` (one written on several
lines, even empty, stays on several); LF line ends, no byte-order mark, no trailing blanks.

Only layout changes: every word is written as it is, a shell command's text is its own
(but the blanks that start its continuation lines, which the compiler strips), so the
compiled Dockerfile of a formatted file is the original's, byte for byte (the tests check
it over every sample, docs example and parseable corpus file).

The grammar stays the single source of what a file says: the syntax tree gives every
word's and shell text's place, and a comment is a `#` on a line where no token is (a
word cannot start with `#`; a `#` in a `run` line is the shell's, inside its text).
"""

from __future__ import annotations

from . import syntax
from .parse import parse

INDENT = "    "
_Item = syntax.Directive | syntax.Shell | syntax.Block


def format_source(text: str) -> str:
    """The formatted text; raises `ShipErrors` if the file has syntax errors."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    items = parse(text)
    writer = _Writer(text.split("\n"))
    writer.sequence(items, 1, len(writer.lines), "", top=True)
    return "\n".join(writer.out).rstrip("\n") + "\n" if writer.out else ""


def comments(text: str) -> list[str]:
    """Every comment of a file, in order (a `#` outside any token, to the end of its line)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    found = []
    taken = _taken(parse(text))
    for number, line in enumerate(lines, start=1):
        start = _comment_start(line, taken.get(number, ()))
        if start is not None:
            found.append(line[start:].rstrip(" \t"))
    return found


def _taken(items) -> dict[int, list[tuple[int, int]]]:
    """Line -> the 0-based column ranges its tokens hold (braces aside: no `#` in them)."""
    taken: dict[int, list[tuple[int, int]]] = {}

    def hold(span) -> None:
        for line in range(span.line, span.end_line + 1):
            start = span.column - 1 if line == span.line else 0
            end = span.end_column - 1 if line == span.end_line else 1 << 30
            taken.setdefault(line, []).append((start, end))

    def walk(item) -> None:
        hold(item.name.span)
        if isinstance(item, syntax.Shell):
            if item.text_span is not None:
                hold(item.text_span)
            return
        for word in item.args:
            hold(word.span)
        for child in getattr(item, "body", ()):
            walk(child)

    for item in items:
        walk(item)
    return taken


def _comment_start(line: str, taken) -> int | None:
    for column, char in enumerate(line):
        if char == "#" and not any(start <= column < end for start, end in taken):
            return column
    return None


class _Writer:
    """Writes the items of a sequence (the file, a block's body) and the comment and
    blank lines between them."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.out: list[str] = []

    def sequence(self, items, first: int, last: int, indent: str, top: bool) -> None:
        """The items standing on lines `first`…`last`, with the lines between them."""
        line, previous = first, None
        for item in items:
            gap = self._gap(line, item.span.line - 1, indent)
            if previous is None:
                gap = _strip_blanks(gap, leading=True)
            elif top and (isinstance(item, syntax.Block) or isinstance(previous, syntax.Block)):
                gap = gap if "" in gap else ["", *gap]
            self.out.extend(gap)
            self._item(item, indent)
            line, previous = item.span.end_line + 1, item
        tail = self._gap(line, last, indent)
        self.out.extend(_strip_blanks(tail, leading=previous is None, trailing=True))

    def _gap(self, first: int, last: int, indent: str) -> list[str]:
        """The comment and blank lines between items: comments indented, blanks one."""
        out: list[str] = []
        for number in range(first, last + 1):
            text = self.lines[number - 1].strip(" \t")
            if not text:
                if out and out[-1] != "" or not out:
                    out.append("")
            else:  # between items only comments stand (the parser said so)
                out.append(indent + text)
        return out

    def _item(self, item: _Item, indent: str) -> None:
        if isinstance(item, syntax.Block):
            self._block(item, indent)
        elif isinstance(item, syntax.Shell):
            self._shell(item, indent)
        else:
            words = " ".join(w.raw for w in (item.name, *item.args))
            self.out.append(indent + words + self._trailing(item.span.end_line, item.span))

    def _shell(self, item: syntax.Shell, indent: str) -> None:
        if item.text is None:
            self.out.append(indent + item.name.raw + self._trailing(item.span.line, item.span))
            return
        first, *rest = item.text.split("\n")
        self.out.append(f"{indent}{item.name.raw} {_rstrip(first)}")
        self.out.extend(indent + INDENT + _rstrip(line.lstrip(" \t")) for line in rest)

    def _block(self, block: syntax.Block, indent: str) -> None:
        head = " ".join(w.raw for w in (block.name, *block.args))
        last_word = (block.args or (block.name,))[-1].span
        after = self.lines[block.span.line - 1][last_word.end_column - 1 :].strip(" \t")
        rest = after[1:].lstrip(" \t")  # after the '{'
        one_line = rest.startswith("}")  # '{}' or '{ }': an empty block on its head's line
        if block.body and block.span.end_line == block.span.line:  # '{ expose 80 }'
            statement = block.body[0]
            words = " ".join(w.raw for w in (statement.name, *statement.args))
            close = self.lines[block.span.line - 1][statement.span.end_column - 1 :]
            comment = close.strip(" \t")[1:].strip(" \t")  # after its '}'
            line = f"{indent}{head} {{ {words} }}"
            self.out.append(line + (f"  {comment}" if comment else ""))
            return
        if one_line:  # '{}' or '{ }': an empty block, kept on its head's line
            comment = rest[1:].strip(" \t")
            self.out.append(f"{indent}{head} {{}}" + (f"  {comment}" if comment else ""))
            return
        comment = rest
        self.out.append(f"{indent}{head} {{" + (f"  {comment}" if comment else ""))
        self.sequence(
            block.body, block.span.line + 1, block.span.end_line - 1, indent + INDENT, top=False
        )
        close = self.lines[block.span.end_line - 1].strip(" \t")[1:].strip(" \t")
        self.out.append(f"{indent}}}" + (f"  {close}" if close else ""))

    def _trailing(self, line: int, span) -> str:
        """The comment after the code on a statement's line, if any."""
        text = self.lines[line - 1]
        rest = text[span.end_column - 1 :].strip(" \t") if span.end_line == line else ""
        return f"  {rest}" if rest else ""


def _strip_blanks(lines: list[str], leading: bool = False, trailing: bool = False) -> list[str]:
    while leading and lines and lines[0] == "":
        lines = lines[1:]
    while trailing and lines and lines[-1] == "":
        lines = lines[:-1]
    return lines


def _rstrip(line: str) -> str:
    """A shell line without trailing blanks, unless that would leave a final backslash
    (which would then continue the line)."""
    stripped = line.rstrip(" \t")
    return line if stripped.endswith("\\") and stripped != line else stripped

"""The fast path of `parse`: the generated parser's own tables, driven without its machinery.

`parse_tables` holds the LALR table of `generated_parser` (lark's standalone output of
grammar/ship.lark), the regexes of each parser state's contextual lexer and the rules,
as plain data written by scripts/generate_parser.py. Lark's own loop around them makes a
`Token` per token and a `Tree` per rule, propagates positions through every rule and then
leaves the tree to a transformer: about 10 µs a token. `items` runs the same table and
the same regexes in one loop and builds the `syntax` nodes as each rule is reduced, as
`recover._ToSyntax` builds them from lark's tree; and reading a correct file this way
neither imports the standalone's runtime nor builds its objects.

It reads only a file without syntax errors: at the first token the table or a lexer does
not accept, or anything the recovering reader (`recover._Reader`) would remark on, it gives
up (None), and `parse` reads the file again with lark's interactive parser, which reports
every error. tests/test_parse.py checks that both paths build the same tree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from . import parse_tables, syntax
from .errors import Span


class _Tables:
    """What the loop needs, made once from `parse_tables`: per parser state, its lexer (its
    match(text, pos), the terminals it skips, {terminal: {keyword: terminal}}) and
    {symbol: the next state (a shift or a goto), or the rule to reduce by (`_rule`)}."""

    def __init__(self) -> None:
        self.start, self.end = parse_tables.START, parse_tables.END
        scanners = [
            (_matcher([re.compile(*regex) for regex in regexes]), frozenset(ignore), retype)
            for regexes, ignore, retype in parse_tables.SCANNERS
        ]
        self.lexers = {state: scanners[i] for state, i in parse_tables.LEXERS.items()}
        rules = [_rule(*rule) for rule in parse_tables.RULES]
        self.actions = {
            state: {symbol: to if to >= 0 else rules[~to] for symbol, to in moves.items()}
            for state, moves in parse_tables.ACTIONS.items()
        }


def _matcher(patterns: list[re.Pattern[str]]) -> Callable[[str, int], re.Match[str] | None]:
    """The first of the patterns that matches at a position (lark's Scanner.match)."""
    if len(patterns) == 1:
        return patterns[0].match

    def match(text: str, pos: int) -> re.Match[str] | None:
        for pattern in patterns:
            found = pattern.match(text, pos)
            if found is not None:
                return found
        return None

    return match


def _rule(length: int, origin: str, keep: tuple, build: str | None) -> tuple:
    """A rule to reduce by: (how many states to pop, the symbol to go to, its `reduce`,
    which pops its children's values and returns its own: a node, or for an inlined rule
    the list of the children it keeps (each: index, spliced, for an inlined rule's), for
    the rule that takes them in)."""
    return (length, origin, _reducer(length, keep, build and _BUILD[build]))


def _reducer(length: int, keep: tuple, build: Callable | None) -> Callable[[list, str], object]:
    """A rule's `reduce(values, file)`. When the first child kept is an inlined rule, its
    list is taken over and grown, not copied: copying made a list of n items cost n²
    (lark's own tree builder copies). The commonest rules of a list, each a line's or a
    word's, get a function of their own."""
    grows = bool(keep) and keep[0] == (0, True)
    rest = keep[1:] if grows else keep
    if build is None and length == 1 and keep == ((0, False),):
        return _one  # `x: WORD`
    if build is None and length == 1 and not keep:
        return _dropped  # `x: _NL`
    if build is None and length == 2 and grows and rest == ((1, False),):
        return _append  # `x: x WORD`

    def reduce(values: list, file: str) -> object:
        children = values[len(values) - length :]
        del values[len(values) - length :]
        kept = children[0] if grows else []
        for index, splice in rest:
            if splice:
                kept.extend(children[index])
            else:
                kept.append(children[index])
        return kept if build is None else build(kept, children, file)

    return reduce


def _one(values: list, file: str) -> list:
    return [values.pop()]


def _dropped(values: list, file: str) -> list:
    values.pop()
    return []


def _append(values: list, file: str) -> list:
    child = values.pop()
    values[-1].append(child)
    return values.pop()


@functools.cache
def _tables() -> _Tables:
    return _Tables()


def items(text: str, file: str = "") -> tuple[syntax.Item, ...] | None:
    """The items of `text` (normalised by `parse`: "\\n" line ends, one at the end), or None
    when the recovering reader must read it: a syntax error, or a line it remarks on."""
    tables = _tables()
    actions, lexers = tables.actions, tables.lexers
    state = tables.start
    states = [state]
    # What each state holds: a token, as (type, value, line, column, end_line, end_column);
    # a node of the syntax tree; or the kept children of an inlined rule, as a list.
    values: list = []
    pos, line, line_start, size = 0, 1, 0, len(text)
    while True:
        if pos < size:
            match, ignore, retype = lexers[state]
            match = match(text, pos)
            if match is None:
                return None
            value, kind = match.group(), match.lastgroup
            start_line, column = line, pos - line_start + 1
            newlines = value.count("\n")
            if newlines:
                line += newlines
                line_start = pos + value.rindex("\n") + 1
            pos = match.end()
            if kind in ignore:
                continue
            if kind in retype:
                kind = retype[kind].get(value, kind)
            if kind == "WORD" and value.startswith("//"):
                return None  # the reader's: "'//' does not start a comment"
            token = (kind, value, start_line, column, line, pos - line_start + 1)
        else:
            kind = token = "$END"
        while True:
            action = actions[state].get(kind)
            if type(action) is int:
                state = action
                states.append(state)
                values.append(token)
                break
            if action is None:
                return None
            length, origin, reduce = action
            values.append(reduce(values, file))
            del states[len(states) - length :]
            state = actions[states[-1]][origin]
            states.append(state)
            if state == tables.end:
                found = values[-1]
                if any(
                    type(i) is syntax.Directive and syntax.block_kind(i.name.raw) for i in found
                ):
                    return None  # the reader's: "expected '{' at the end of this block head"
                if any(
                    type(s) is syntax.Directive and s.name.raw in syntax.SHELL_KEYWORDS
                    for i in found
                    if type(i) is syntax.Block
                    for s in i.body
                ):
                    return None  # the reader's: a `run` on its block's head line
                return found


# Each rule's node, built from its kept children (tokens and nodes) as recover._ToSyntax builds
# it from lark's tree. Its span runs from its first child's start to its last child's end,
# as lark's propagate_positions makes it: a token, or the last token of an inlined list.


def _span(children: list, file: str) -> Span:
    first, last = children[0], children[-1]
    if type(last) is list:
        last = last[-1]
    return Span(first[2], first[3], last[4], last[5], file)


def _word(token: tuple, file: str) -> syntax.Word:
    return syntax.Word(token[1], Span(token[2], token[3], token[4], token[5], file))


def _directive(kept: list, children: list, file: str) -> syntax.Directive:
    name, *args = kept
    words = tuple([_word(a, file) for a in args])
    return syntax.Directive(_word(name, file), words, _span(children, file))


def _shell(kept: list, children: list, file: str) -> syntax.Shell:
    keyword = _word(kept[0], file)
    if len(kept) == 1:
        return syntax.Shell(keyword, None, None, _span(children, file))
    text = kept[1]
    return syntax.Shell(keyword, text[1], _span([text], file), _span(children, file))


def _block(kept: list, children: list, file: str) -> syntax.Block:
    words = tuple([_word(k, file) for k in kept if type(k) is tuple])
    body = tuple([k for k in kept if type(k) is not tuple])
    return syntax.Block(words[0], words[1:], body, _span(children, file))


def _start(kept: list, children: list, file: str) -> tuple:
    return tuple(kept)


_BUILD = {"directive": _directive, "shell": _shell, "block": _block, "start": _start}

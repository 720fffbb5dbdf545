"""Text to syntax tree. The only module that imports lark.

The grammar is loaded once, with the LALR parser and the contextual lexer (which lets
`run` lines hold any text). Lark's exceptions become a `Diagnostic` phrased for people.
"""

from __future__ import annotations

import functools
from importlib import resources

import lark

from . import syntax
from .errors import Diagnostic, ShipErrors, Span, error

_TERMINALS = {
    "WORD": "a word",
    "SHELL": "a shell command",
    "RUN": "'run'",
    "INSTALL": "'install'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "_NL": "end of line",
    "$END": "end of file",
}


@functools.cache
def _parser() -> lark.Lark:
    grammar = resources.files("shipc.grammar").joinpath("ship.lark").read_text("utf-8")
    return lark.Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=True)


def parse(text: str) -> tuple[syntax.Item, ...]:
    """The syntax tree of a whole file; raises `ShipErrors` on a syntax error."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.endswith("\n"):
        text += "\n"
    try:
        tree = _parser().parse(text)
    except lark.exceptions.UnexpectedInput as exc:
        raise ShipErrors([_syntax_error(exc, text)]) from None
    return tuple(_ToSyntax().transform(tree).children)


def _span(meta: lark.Token | lark.tree.Meta) -> Span:
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


class _ToSyntax(lark.Transformer):
    """One method per grammar rule, each building a `syntax` node."""

    def WORD(self, token: lark.Token) -> syntax.Word:
        return syntax.Word(str(token), _span(token))

    @lark.v_args(meta=True)
    def directive(self, meta, children) -> syntax.Directive:
        return syntax.Directive(children[0], tuple(children[1:]), _span(meta))

    @lark.v_args(meta=True)
    def shell(self, meta, children) -> syntax.Shell:
        keyword, *rest = children
        name = syntax.Word(str(keyword), _span(keyword))
        if not rest:
            return syntax.Shell(name, None, None, _span(meta))
        text = rest[0]
        return syntax.Shell(name, str(text), _span(text), _span(meta))

    @lark.v_args(meta=True)
    def block(self, meta, children) -> syntax.Block:
        words = tuple(c for c in children if isinstance(c, syntax.Word))
        body = tuple(c for c in children if not isinstance(c, syntax.Word))
        return syntax.Block(words[0], words[1:], body, _span(meta))

    def __default__(self, data, children, meta):
        if data == "start":
            return lark.Tree(data, children, meta)
        raise NotImplementedError(f"no transformer method for grammar rule {data!r}")


def _syntax_error(exc: lark.exceptions.UnexpectedInput, text: str) -> Diagnostic:
    if isinstance(exc, lark.exceptions.UnexpectedCharacters):
        return _unexpected_character(text, exc.pos_in_stream, exc.line, exc.column)
    token = exc.token
    expected = set(exc.expected)
    if token.type == "$END":
        return _unexpected_end(exc, text, expected)
    if token.type not in expected and token.type == "SHELL":
        # The contextual lexer found nothing valid here and fell back to every terminal.
        return _unexpected_character(text, token.start_pos, token.line, token.column)
    if token.type == "_NL":
        span = Span.point(token.line, token.column)
        return error(f"unexpected end of line, expected {_expected(expected)}", span)
    if token.type in ("LBRACE", "RBRACE"):
        return _unexpected_character(text, token.start_pos, token.line, token.column)
    span = Span(token.line, token.column, token.end_line, token.end_column)
    return error(f"unexpected '{token}', expected {_expected(expected)}", span)


def _unexpected_end(exc: lark.exceptions.UnexpectedToken, text: str, expected) -> Diagnostic:
    opener = _open_block(exc)
    if "RBRACE" in expected and opener is not None:
        message = (
            f"unexpected end of file, expected '}}' to close the '{opener}' block "
            f"opened on line {opener.line}"
        )
        return error(message, _end_of(text))
    return error(f"unexpected end of file, expected {_expected(expected)}", _end_of(text))


def _open_block(exc: lark.exceptions.UnexpectedToken) -> lark.Token | None:
    """The name token of the innermost block still open when the parser stopped."""
    stack = exc.interactive_parser.parser_state.value_stack
    tokens = [t for t in stack if isinstance(t, lark.Token)]
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].type == "LBRACE":
            while i > 0 and tokens[i - 1].type == "WORD":
                i -= 1
            return tokens[i]
    return None


def _unexpected_character(text: str, offset: int, line: int, column: int) -> Diagnostic:
    char = text[offset]
    span = Span.point(line, column)
    if char == '"':
        return error("unterminated string: the '\"' opened here is not closed on this line", span)
    if text.startswith("${", offset):
        return error(
            "unterminated '${': a reference is written ${NAME}",
            Span(line, column, line, column + 2),
        )
    line_start = text.rfind("\n", 0, offset) + 1
    if char == "}" and text[line_start:offset].strip():
        return error("a block's '}' must stand on a line of its own", span)
    if char == "}":
        return error("unexpected '}': no block is open here", span)
    if text[line_start:offset].rstrip().endswith("{"):
        return error(
            "a block's '{' ends its line: start its first statement on the next line", span
        )
    if char == "{":
        hint = "blocks cannot be nested, and a block's '{' ends its first line"
        return error("unexpected '{'", span, hint)
    return error(f"unexpected character {char!r}", span)


def _expected(names) -> str:
    words = sorted({_TERMINALS.get(name, repr(name)) for name in names})
    if not words:
        return "something else"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _end_of(text: str) -> Span:
    """The position just after the last character of the file, where a caret can point."""
    body = text.rstrip("\n")
    lines = body.split("\n")
    return Span.point(len(lines), len(lines[-1]) + 1)

"""`parse`'s slow path: a file the fast reader (`lalr.items`) gave up on, read with lark's
interactive parser (`generated_parser`, lark's standalone parser of grammar/ship.lark) by
`_Reader`, which reports every syntax error of the file, phrased for people, and goes on
reading after each. Loaded only then: the standalone parser's runtime costs milliseconds
to import, which a correct file does not pay.
"""

from __future__ import annotations

import copy
import functools
import re

from . import generated_parser as lark
from . import syntax
from .errors import Diagnostic, ShipErrors, Span, error
from .parse import _in_file
from .record import replace

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
    return lark.Lark_StandAlone()


def read(text: str, file: str = "") -> tuple[syntax.Item, ...]:
    """The syntax tree of `text` (normalised as `parse` does); raises `ShipErrors` with
    every syntax error (`_Reader`)."""
    reader = _Reader(text)
    tree = reader.read()
    if reader.diagnostics:
        raise ShipErrors(_in_file(reader.diagnostics, file))
    return tuple(_ToSyntax(file).transform(tree).children)


def _span(meta: lark.Token | lark.Meta, file: str = "") -> Span:
    return Span(meta.line, meta.column, meta.end_line, meta.end_column, file)


class _ToSyntax(lark.Transformer):
    """One method per grammar rule, each building a `syntax` node."""

    def __init__(self, file: str):
        super().__init__()
        self.file = file

    def _span(self, meta: lark.Token | lark.Meta) -> Span:
        return _span(meta, self.file)

    def WORD(self, token: lark.Token) -> syntax.Word:
        return syntax.Word(str(token), self._span(token))

    @lark.v_args(meta=True)
    def directive(self, meta, children) -> syntax.Directive:
        return syntax.Directive(children[0], tuple(children[1:]), self._span(meta))

    @lark.v_args(meta=True)
    def shell(self, meta, children) -> syntax.Shell:
        keyword, *rest = children
        name = syntax.Word(str(keyword), self._span(keyword))
        if not rest:
            return syntax.Shell(name, None, None, self._span(meta))
        text = rest[0]
        return syntax.Shell(name, str(text), self._span(text), self._span(meta))

    @lark.v_args(meta=True)
    def block(self, meta, children) -> syntax.Block:
        words = tuple(c for c in children if isinstance(c, syntax.Word))
        body = tuple(c for c in children if not isinstance(c, syntax.Word))
        return syntax.Block(words[0], words[1:], body, self._span(meta))

    def __default__(self, data, children, meta):
        if data == "start":
            return lark.Tree(data, children, meta)
        raise NotImplementedError(f"no transformer method for grammar rule {data!r}")


class _Reader:
    """Feeds lark's interactive parser one token at a time, so that a syntax error is
    reported and reading goes on at the next line: every syntax error of a file in one run.

    The grammar is line-shaped, so a parser state worth resuming from is "at the start of a
    line, at the top level" or "… inside a block". After an error the rest of the line is
    skipped, and which of the two states follows is guessed from the braces the line shows,
    so that one mistake does not make every later line look wrong too. A line that starts
    with a block's kind but lacks its '{' is a block head, reported where the '{' is
    missing, and read on as one.
    """

    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        self.diagnostics: list[Diagnostic] = []
        self.block: lark.Token | None = None  # the kind word of the open block's head
        self.line_block: lark.Token | None = None  # … as it was when the line started
        self.line_tokens: list[lark.Token] = []
        self.nested = False  # skipping a block written inside a block, up to its '}'
        self.last: lark.Token | None = None
        self.shell_in_one_line = 0  # the line of '{ run …': its missing '}' is that error

    def read(self) -> lark.Tree | None:
        parser: lark.InteractiveParser | None = _parser().parse_interactive(self.text)
        while parser is not None:
            try:
                self._line_start(parser)
                for token in parser.lexer_thread.lex(parser.parser_state):
                    self._feed(parser, token)
                    self.last = token
                return parser.feed_eof(self.last)
            except lark.UnexpectedInput as exc:
                parser = self._recover(parser, exc)
        return None

    def _feed(self, parser: lark.InteractiveParser, token: lark.Token) -> None:
        if token.type == "_NL":
            if self.line_block is None and self.block is None:
                self._head_without_brace(parser)
            parser.feed_token(token)
            self.line_tokens = []
            self.line_block = self.block
            self._line_start(parser)
            return
        if token.type == "WORD" and token.value == "//" and self.line_tokens:
            self._comment(token, parser.lexer_thread.state.line_ctr)
            return
        parser.feed_token(token)
        self.line_tokens.append(token)
        if token.value in syntax.SHELL_KEYWORDS and self.line_tokens[-2:-1] == ["{"]:
            message = (
                f"'{token}' cannot be the statement of a block on one line: its command runs"
                " to the end of the line, '}' included"
            )
            hint = "write the block on several lines, the command on a line of its own"
            self._report(error(message, _span(token), hint))
            self.shell_in_one_line = token.line
        if token.type == "LBRACE":
            self.block = self.line_tokens[0]
        elif token.type == "RBRACE":
            self.block = None

    def _line_start(self, parser: lark.InteractiveParser) -> None:
        """Lines that are not ship at all are reported and skipped before they are lexed."""
        counter = parser.lexer_thread.state.line_ctr
        line = self.lines[counter.line - 1] if counter.line <= len(self.lines) else ""
        indent = len(line) - len(line.lstrip(" \t"))
        if self.nested:
            self.nested = not line[indent:].startswith("}")
            counter.feed(line, test_newline=False)
        elif line[indent:].startswith("//"):
            token = lark.Token("WORD", "//", counter.char_pos + indent, counter.line, indent + 1)
            self._comment(token, counter)

    def _comment(self, token: lark.Token, counter) -> None:
        """A `// comment` (C, Go, JavaScript): reported, and the rest of its line skipped,
        since a comment may hold what the lexer would stop at."""
        span = Span(token.line, token.column, token.line, token.column + 2)
        message = "'//' does not start a comment in a .ship file"
        self._report(error(message, span, "comments start with '#'"))
        line = self.lines[token.line - 1]
        counter.feed(line[counter.column - 1 :], test_newline=False)

    def _head_without_brace(self, parser: lark.InteractiveParser) -> None:
        """`build go 1.22` at the end of its line: the head of a block missing its '{'."""
        first = self.line_tokens[0] if self.line_tokens else None
        if first is None or first.type != "WORD" or syntax.block_kind(first) is None:
            return
        if any(t.type == "LBRACE" for t in self.line_tokens):
            return  # '{}': an empty block, open and closed on its line
        last = self.line_tokens[-1]
        head = self.lines[first.line - 1][first.column - 1 : last.end_column - 1]
        brace = self._brace_below(first.line)
        if brace is not None:
            line, column = brace
            message = "a block's '{' goes at the end of its head's line, not on a line below"
            self._report(error(message, Span.point(line, column), f"write '{head} {{'"))
        elif self._body_below(first.line):
            self._report(
                error(
                    "expected '{' at the end of this block head",
                    Span.point(last.end_line, last.end_column),
                    f"write '{head} {{'",
                )
            )
        else:
            hint = f"a block is its head ('{head} {{'), its statements below, then '}}'"
            message = "expected '{' at the end of this block head"
            self._report(error(message, Span.point(last.end_line, last.end_column), hint))
            return
        parser.feed_token(lark.Token.new_borrow_pos("LBRACE", "{", last))
        self.block = first
        if brace is not None:  # the lexer goes on after that '{'
            counter, (line, column) = parser.lexer_thread.state.line_ctr, brace
            skip = sum(len(self.lines[n - 1]) + 1 for n in range(counter.line, line)) + column
            counter.feed(self.text[counter.char_pos : counter.char_pos + skip])

    def _brace_below(self, line: int) -> tuple[int, int] | None:
        """Where a '{' starts the next line that is neither blank nor a comment."""
        for number in range(line + 1, len(self.lines) + 1):
            text = self.lines[number - 1].lstrip(" \t")
            if text and not text.startswith("#"):
                if text.startswith("{"):
                    return number, len(self.lines[number - 1]) - len(text) + 1
                return None
        return None

    def _body_below(self, line: int) -> bool:
        """Whether a lone '}' closes what follows, before another block head."""
        for text in self.lines[line:]:
            words = text.split()
            if not words or words[0].startswith("#"):
                continue
            if words[0].startswith("}"):
                return True
            if syntax.block_kind(words[0]) or text.rstrip().endswith("{"):
                return False
        return False

    def _recover(
        self, parser: lark.InteractiveParser, exc: lark.UnexpectedInput
    ) -> lark.InteractiveParser | None:
        """Report the error, then a parser at the start of the next line (None at the end)."""
        if isinstance(exc, lark.UnexpectedToken) and exc.token.type == "$END":
            self._report(self._unexpected_end(exc))
            return None
        diagnostic = self._diagnose(exc)
        if isinstance(exc, lark.UnexpectedCharacters):
            start = last = exc.pos_in_stream
            line = exc.line
        else:
            start, last = exc.token.start_pos, max(exc.token.start_pos, exc.token.end_pos - 1)
            line = exc.token.line
        resume = self.text.find("\n", last) + 1 or len(self.text)
        if diagnostic.message.startswith("unterminated string") and self._string_ends_below(line):
            # `"a` then `b"`: one string written over two lines, one error; the line that
            # ends it is skipped rather than read as a statement with a string of its own.
            diagnostic = replace(diagnostic, hint="a value cannot hold a line break")
            resume = self.text.find("\n", resume) + 1 or len(self.text)
        if line != self.shell_in_one_line or not diagnostic.message.startswith(_UNCLOSED):
            self._report(diagnostic)
        line_start = self.text.rfind("\n", 0, start) + 1
        self._guess_block(self.text[line_start:resume], line)
        counter = copy.copy(parser.lexer_thread.state.line_ctr)
        if counter.char_pos > resume:  # not expected; start counting afresh
            counter = copy.copy(_parser().parse_interactive("").lexer_thread.state.line_ctr)
        counter.feed(self.text[counter.char_pos : resume])
        fresh = _parser().parse_interactive(self.text)
        fresh.lexer_thread.state.line_ctr = counter
        if self.block is not None:
            here = self.block
            for kind, value in (("WORD", here.value), ("LBRACE", "{"), ("_NL", "\n")):
                fresh.feed_token(lark.Token.new_borrow_pos(kind, value, here))
        self.line_tokens = []
        self.line_block = self.block
        return fresh

    def _string_ends_below(self, line: int) -> bool:
        """Whether the next line closes a string left open on `line`: it has one quote, which
        ends a word (`b"`, not `cmd "x`, which opens one), and no brace, which would be the
        block's."""
        if line >= len(self.lines):
            return False
        below = self.lines[line].replace('\\"', "").rstrip()
        return below.count('"') == 1 and below.endswith('"') and not any(c in below for c in "{}")

    def _guess_block(self, line: str, number: int) -> None:
        """Whether a block is open after a broken line: its loose braces say."""
        words = _blank_strings(line).split()
        if words and words[0] in ("run", "install"):
            return  # shell text: its braces are the shell's
        column = len(line) - len(line.lstrip(" \t")) + 1
        self.block = self.line_block
        one_line = False  # a block opened and closed on this line, or meant to be
        opened_at = None  # the index of the word that opened a block on this line
        for index, word in enumerate(words):
            if word.startswith("#"):
                # '{ env A=1 # }': the '}' in the comment was meant to close it
                opened_here = self.block is not None and self.block.line == number
                one_line = one_line or (opened_here and any("}" in w for w in words[index:]))
                break
            if word.startswith("}") and self.block is not None and self.block.line == number:
                one_line = True
            if word.startswith("}") and word != "{}":
                self.block = None
            if word.endswith("{") and word != "{}":
                # Blocks do not nest: a head inside a block that is not a block's, or one
                # indented under it (written as nested), is skipped whole; an unindented
                # block head ends a block that lacks its '}'.
                if self.block is not None and (not syntax.block_kind(words[0]) or column > 1):
                    self.nested = True
                else:
                    self.block = lark.Token("WORD", words[0], 0, number, column)
                    opened_at = index
        if opened_at is not None and opened_at < len(words) - 1 and self.block is not None:
            # '{ binary ./cmd/api' and no '}': a block meant to be on one line, unless a
            # lone '}' below closes it (its statements go on below)
            one_line = not words[opened_at + 1].startswith("#")
        if one_line and not self._body_below(number):
            self.block = None  # what follows on the line is the mistake, not a block

    def _report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def _diagnose(self, exc: lark.UnexpectedInput) -> Diagnostic:
        """The error, phrased for people, with what the lines around it suggest."""
        found = _syntax_error(exc, self.text)
        token = getattr(exc, "token", None)
        braces = [t for t in self.line_tokens if t.type in ("LBRACE", "RBRACE")]
        kinds = [t.type for t in braces]
        opened = kinds == ["LBRACE"] and self.line_tokens[-1].type != "LBRACE"
        if token is not None and token.type == "_NL" and opened:  # '{ expose 80' and no '}'
            hidden = self._comment_with_brace(token)
            if hidden is not None:  # '{ env A=1 # }': the comment took the '}'
                message = (
                    "the block on this line is not closed: its '}' is in the comment that"
                    " '#' starts here, which runs to the end of the line"
                )
                hint = "close the block before the comment ('{ STATEMENT } # …'), or quote the '#'"
                if self._body_below(token.line):  # statements below, then a '}'
                    hint = "end the head's line with '{', the statement on the next line"
                return error(message, Span.point(token.line, hidden), hint)
            message = _UNCLOSED
            hint = "close it there ('{ STATEMENT }'), or start the statement on the next line"
            return error(message, found.span, hint)
        if kinds == ["LBRACE", "RBRACE"] and braces[-1] is self.line_tokens[-1]:
            # '{ expose 80 } }', '{ expose 80 } cmd x': the block closed, the line goes on
            closed = braces[-1]
            where = f"the block on this line is closed by the '}}' at column {closed.column}"
            at = found.span
            if self.lines[at.line - 1][at.column - 1 : at.column] == "}":
                return error(f"this '}}' closes nothing: {where}", at, "remove it")
            if token is None or token.type != "_NL":
                return error(
                    f"nothing may follow a block written on its line but a comment: {where}",
                    at,
                    "a block of more than one statement is written on several lines, one"
                    " statement a line, its '}' on a line of its own",
                )
        if token is None or token.type not in ("LBRACE", "RBRACE"):
            return found
        first = self.line_tokens[0] if self.line_tokens else token
        if token.type == "LBRACE" and self.line_block is not None and syntax.block_kind(first):
            opened = self.line_block
            if first.column > 1:  # indented under the open block: written as nested
                message = (
                    f"blocks do not nest: this '{first}' block is inside the '{opened}' block"
                    f" opened on line {opened.line}"
                )
                hint = f"close the '{opened}' block with '}}' before it, and write it unindented"
                return error(message, _span(first), hint)
            message = (
                f"'{first}' starts a block, but the '{opened}' block opened on line"
                f" {opened.line} is not closed"
            )
            return error(message, _span(first), "close it with '}' on a line of its own first")
        if token.type == "RBRACE" and first is token and self.line_block is None:
            line = self._head_missing_brace(token.line)
            if line is not None and self._closed_on_its_line(line):
                hint = (
                    f"the block of line {line} is closed on that line: to go on below, end"
                    f" line {line} with '{{' and put its statement on a line of its own"
                )
                return replace(found, hint=hint)
            if line is not None:
                hint = f"is the '{{' missing at the end of line {line}?"
                return replace(found, hint=hint)
        return found

    def _closed_on_its_line(self, line: int) -> bool:
        """Whether a head line is a block written on its line (`KIND BASE { STATEMENT }`)."""
        words = _blank_strings(self.lines[line - 1]).split("#")[0].split()
        return "{" in words and words[-1].endswith("}") and words[-1] != "{}"

    def _comment_with_brace(self, end: lark.Token) -> int | None:
        """The column of a '#' comment ending the line of `end` that holds a '}'."""
        text = self.lines[end.line - 1]
        last = self.line_tokens[-1]
        rest = text[last.end_column - 1 :]
        comment = rest.lstrip(" \t")
        if comment.startswith("#") and "}" in comment:
            return last.end_column + len(rest) - len(comment)
        return None

    def _head_missing_brace(self, line: int) -> int | None:
        """The line of the unindented head above a stray '}', when indented lines follow it
        and it does not end in '{'."""
        indented = False
        for number in range(line - 1, 0, -1):
            text = self.lines[number - 1]
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            if text[0] in " \t":
                indented = True
                continue
            head = text.split("#")[0].rstrip()
            if indented and not head.endswith("{") and not head.startswith("}"):
                return number
            return None
        return None

    def _unexpected_end(self, exc: lark.UnexpectedToken) -> Diagnostic:
        if "RBRACE" in exc.expected and self.block is not None:
            message = (
                f"unexpected end of file, expected '}}' to close the '{self.block}' block "
                f"opened on line {self.block.line}"
            )
            return error(message, _end_of(self.text))
        message = f"unexpected end of file, expected {_expected(exc.expected)}"
        return error(message, _end_of(self.text))


_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_REFERENCE = re.compile(r"\$\{[^}\s]*(\}?)")
_QUOTE_OR_DOLLAR = re.compile(r'["$]')


_UNCLOSED = "a block written on its head's line ends with '}' on that line"


def _blank_strings(line: str) -> str:
    """The line with each "string" and ${reference} made `""`, so their braces and blanks do
    not count; a '"' or '${' left open stays as written.

    In linear time: a '"' left open means every later one on the line is left open too (its
    scan would reach the same end of line), and a '${' left open, every later one up to the
    same blank. A regex rescanning from each of them took minutes on a line of escaped
    quotes."""
    out, pos, strings_open, references_from = [], 0, True, 0
    while (found := _QUOTE_OR_DOLLAR.search(line, pos)) is not None:
        start = found.start()
        match = None
        if line[start] == '"' and strings_open:
            match = _STRING.match(line, start)
            strings_open = match is not None
        elif line.startswith("${", start) and start >= references_from:
            match = _REFERENCE.match(line, start)
            if not match.group(1):
                references_from, match = match.end(), None
        if match is None:
            out.append(line[pos : start + 1])
            pos = start + 1
        else:
            out.append(line[pos:start] + '""')
            pos = match.end()
    out.append(line[pos:])
    return "".join(out)


def _syntax_error(exc: lark.UnexpectedInput, text: str) -> Diagnostic:
    if isinstance(exc, lark.UnexpectedCharacters):
        return _unexpected_character(text, exc.pos_in_stream, exc.line, exc.column)
    token = exc.token
    expected = set(exc.expected)
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

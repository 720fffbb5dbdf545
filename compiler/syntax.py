"""The syntax tree: what the grammar recognises, before any meaning is given to it.

A file is a sequence of directives (`name word…`), shell lines (`run …`, `install …`) and
blocks (`name word… { … }`). Words keep their raw text and span; `decode` turns a raw word
into its value. Interpreting names and words is `interpret.py`'s job.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import Span
from .record import record

# Characters that end a line in some reader of the output (Docker's, an editor's, Python's).
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

_ESCAPES = {"\\": "\\", '"': '"', "t": "\t"}


@record
class Word:
    """One word as written: bare text, `${NAME}` references and "quoted strings" side by side."""

    raw: str
    span: Span


@record
class Directive:
    """`name word…` on one line."""

    name: Word
    args: tuple[Word, ...]
    span: Span


@record
class Shell:
    """`run …` or `install …`: the rest of the line, verbatim, as a shell command."""

    name: Word
    text: str | None
    text_span: Span | None
    span: Span


@record
class Block:
    """`name word… {` statements `}`."""

    name: Word
    args: tuple[Word, ...]
    body: tuple[Directive | Shell, ...]
    span: Span


Statement = Directive | Shell
Item = Directive | Shell | Block

# The words that start a block. The grammar does not know them (a misspelt kind is an
# "unknown block" with a suggestion), but a line that starts with one and lacks its '{' is a
# block head with a missing brace, not a statement: the parser says so, where it is missing.
BLOCK_KINDS = ("build", "test", "runtime")


# The directives whose text is the rest of the line, verbatim: in a block written on one
# line (`runtime x { expose 80 }`) such a line would take the block's '}' as its own.
SHELL_KEYWORDS = ("run", "install")


def block_kind(word: str) -> str | None:
    """The kind of block a first word starts: `build` for `build`, and for `build:` (a head
    written with the NAME: form but no name)."""
    kind = word[:-1] if word.endswith(":") else word
    return kind if kind in BLOCK_KINDS else None


@record
class DecodeError:
    """Why a word cannot be decoded, and the 0-based offset in the raw word where."""

    message: str
    offset: int


_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL)


def decode(raw: str) -> str | DecodeError:
    """The value of a raw word: quotes removed, escapes inside quotes applied.

    A line break in the value is an error: it would let a value escape its instruction.
    """
    if '"' not in raw:  # most words: no string, no escape
        found = bad_character(raw)
        if found is None:
            return raw
        return DecodeError(f"{found[1]} in a value", found[0])
    out, pos = [], 0
    for match in _QUOTED.finditer(raw):
        out.append(raw[pos : match.start()])
        body = match.group(1)
        i = 0
        while i < len(body):
            char = body[i]
            if char == "\\":
                escaped = body[i + 1]
                offset = match.start() + 1 + i
                if escaped in "nr":
                    message = (
                        f"'\\{escaped}' would put a line break in a value, which is not allowed"
                    )
                    return DecodeError(message, offset)
                if escaped not in _ESCAPES:
                    known = " ".join("\\" + e for e in _ESCAPES)
                    return DecodeError(f"unknown escape '\\{escaped}' (known: {known})", offset)
                out.append(_ESCAPES[escaped])
                i += 2
            else:
                out.append(char)
                i += 1
        pos = match.end()
    out.append(raw[pos:])
    value = "".join(out)
    found = bad_character(value)
    if found is not None:
        char = value[found[0]]
        return DecodeError(f"{found[1]} in a value", raw.find(char))
    return value


def bad_character(text: str) -> tuple[int, str] | None:
    """The offset of the first character that must not reach a Dockerfile, and why: a line
    break would end the instruction, other control characters (but tab) corrupt it, and a
    format character (a bidi override, a zero-width space) makes the text read, in review,
    otherwise than it runs ("trojan source")."""
    found = _BAD.search(text)
    if found is None:
        return None
    return found.start(), f"{character_kind(found.group())} is not allowed"


def character_kind(char: str) -> str:
    """What a character `bad_character` refuses is, for a message."""
    if char in LINE_BREAKS:
        return f"a line break ({char!r})"
    if FORMAT.fullmatch(char):
        return f"an invisible format character (U+{ord(char):04X} {_name(char)})"
    return f"a control character ({char!r})"


def _name(char: str) -> str:
    return unicodedata.name(char, "unnamed")


# Unicode's format characters (category Cf): the bidi embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069), the zero-width space, joiners and marks (U+200B-U+200F),
# the word joiner and invisible operators, the byte order mark, the soft hyphen, the tag
# characters, … Written out (tests/test_parse.py checks it against unicodedata) so that
# importing the compiler computes nothing.
FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)
# Every character `bad_character` refuses: the line breaks, the control characters
# (Unicode's category Cc, which is exactly U+0000-U+001F and U+007F-U+009F) but tab, and
# the format characters.
_BAD = re.compile(
    "[" + re.escape(LINE_BREAKS) + "\x00-\x08\x0e-\x1f\x7f-\x9f" + FORMAT.pattern[1:]
)

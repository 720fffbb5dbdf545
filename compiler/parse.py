"""Text to syntax tree.

The parser is lark's LALR parser with the contextual lexer (which lets `run` lines hold any
text), generated from grammar/ship.lark by lark's standalone tool into `generated_parser`
(`python scripts/generate_parser.py`), so a run neither imports lark nor builds the parse
tables. A file without syntax errors is read by `lalr.items`, which drives those tables
(written out as data in `parse_tables`) directly: lark's own loop costs about 10 µs a
token, and its runtime milliseconds to import. A file it gives up on is read again by
`recover.read` with lark's interactive parser, which reports every syntax error, phrased
for people.
"""

from __future__ import annotations

from . import foreign, lalr, syntax
from .errors import Diagnostic, ShipErrors
from .record import replace


def parse(text: str, file: str = "") -> tuple[syntax.Item, ...]:
    """The syntax tree of a whole file; raises `ShipErrors` with every syntax error. Every
    span carries `file` ("" for the file being compiled, an included file's name)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.endswith("\n"):
        text += "\n"
    pasted = foreign.dockerfile(text)
    if pasted is not None:
        raise ShipErrors(_in_file([pasted], file))  # one error says it all: the rest is noise
    found = lalr.items(text, file)  # a file without syntax errors, read in one go
    return found if found is not None else read(text, file)


def read(text: str, file: str = "") -> tuple[syntax.Item, ...]:
    """`parse`'s slow path, for a file the fast one gave up on: lark's interactive parser,
    reporting every syntax error (`recover.read`). `text` is normalised as `parse` does."""
    from . import recover  # lark's runtime: loaded for a file with syntax errors only

    return recover.read(text, file)


def _in_file(diagnostics: list[Diagnostic], file: str) -> list[Diagnostic]:
    return [
        replace(d, span=replace(d.span, file=file)) for d in diagnostics
    ]

"""Exec-form commands (`cmd`, `entrypoint`, the command of `healthcheck`): words to argv.

Docker runs these without a shell, so what a Docker user might type from habit would
silently mean something else: `["demo", "--port", "8080"]` is read as the JSON array it
is; a shell operator (`&&`, `|`, `>`) written bare, a program name holding spaces, or
`healthcheck`'s Dockerfile spelling (`--interval=…`, `CMD`) is refused with a fix.
"""

from __future__ import annotations

import json
import re

from . import model, syntax
from .errors import Span
from .reading import Reader
from .values import Values

_SURROGATE = re.compile("[\ud800-\udfff]")  # a JSON `\\uXXXX` may give one alone
_OPERATORS = frozenset({"&&", "||", "|", ";", "&", ">", ">>", "<", "2>", "2>&1", "&>", "|&"})

# The programs ship knows as shells, by name (a `cmd` that runs one needs the base to have
# it; the words of its `-c` script are the shell's to expand), and the option that makes a
# shell run the word after it as a command: `-c` alone or among others (`-ec`, `-euxc`,
# `-ce`). One table and one pattern for `check`, `variables` and the `shell` directive.
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"})
COMMAND_OPTION = re.compile(r"-[a-z]*c[a-z]*")


def command(read: Reader, words: tuple[syntax.Word, ...]) -> model.Command | None:
    """The argv of an exec-form command, from its (one or more) words as written; None
    after an error."""
    values = read.values
    span = words[0].span.to(words[-1].span)
    if words[0].raw.startswith("["):
        # An escape that gives what no value may hold is its own error, where it stands
        # (not the array's on top of it).
        if any(not _json_escapes(values, word) for word in words):
            return None
        return _json_array(values, words, span)
    texts = []
    for word in words:
        text = read.text(word)
        if text is None:
            return None
        if word.raw in _OPERATORS:
            return _fail(
                values,
                f"'{word.raw}' would be passed to the program as an argument: this command runs"
                " without a shell",
                word.span,
                'to use a shell, write: sh -c "…" (on a base that has one); to pass it as an'
                f' argument, quote it: "{word.raw}"',
            )
        texts.append(text)
    return model.Command(tuple(texts), span)


def check_program(values: Values, command: model.Command) -> bool:
    """A program name holding a blank is a shell command typed in exec form (`healthcheck
    "curl -f http://x/ || exit 1"`): Docker would look for a program of that whole name.
    An empty one (`cmd ""`) names no program at all.
    Only where the first word is the program: not in a `cmd` that an entrypoint runs."""
    program = command.argv[0]
    if not program.value:
        return values.fail(
            "the program to run is empty: Docker would look for a program named ''",
            program.span,
            "name the program first: 'PROGRAM [ARG…]'",
        )
    if not any(c.isspace() for c in program.value):
        return True
    return values.fail(
        f"the program name '{program.value}' holds a blank: this command runs without a"
        " shell, so the whole word would be taken as the program's name",
        program.span,
        f'write its words apart, or run it with a shell: sh -c "{program.value}"',
    )


_JSON_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|.)")


def _json_escapes(values: Values, word: syntax.Word) -> bool:
    """Whether the word's JSON escapes give only what a value may hold (`\\n` does not)."""
    for found in _JSON_ESCAPE.finditer(word.raw):
        try:
            char = json.loads(f'"{found.group()}"')
        except ValueError:
            continue  # the array's error
        bad = syntax.bad_character(char)
        if bad is not None:
            what = syntax.character_kind(char).partition(" (")[0]
            at = word.span.at(word.span.line, word.span.column + found.start())
            values.fail(f"'{found.group()}' would put {what} in a value, which is not allowed", at)
            return False
    return True


def _json_array(values: Values, words: tuple[syntax.Word, ...], span: Span):
    raw = " ".join(w.raw for w in words)
    try:
        argv = json.loads(raw)
    except ValueError as exc:
        return _fail(values, f"this looks like a JSON array, but is not one: {exc.msg}", span)
    if not argv or not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        return _fail(values, "a JSON command must be a non-empty array of strings", span)
    for word in words:
        if "$$" in word.raw:
            at = word.span.at(word.span.line, word.span.column + word.raw.index("$$"))
            return _fail(values, JSON_DOLLAR_DOLLAR, at, JSON_DOLLAR_DOLLAR_HINT)
    for item in argv:
        found = syntax.bad_character(item)
        if found is not None:
            return _fail(values, f"{found[1]} in a command", span)
        surrogate = _SURROGATE.search(item)
        if surrogate is not None:
            return _fail(
                values,
                f"'\\u{ord(surrogate.group()):04x}' is half of a UTF-16 pair, not a character",
                span,
                "write the character itself, or both halves of its pair",
            )
    # Its strings are what JSON says they are: a `$` stays one `$` when passed on, where
    # `$$` is how a ship value writes it (so `"\\u0024\\u0024"` stays `$$`).
    return model.Command(tuple(model.Text(_as_value(a), span) for a in argv), span)


JSON_DOLLAR_DOLLAR = (
    "'$$' in a JSON array: Docker passes it on as written (a shell's process id), while"
    " in a .ship file it is a literal '$'"
)
JSON_DOLLAR_DOLLAR_HINT = (
    "a JSON array's strings are passed as JSON reads them: write '$' for a '$' itself,"
    " '${$}' for a shell's process id"
)


def _as_value(string: str) -> str:
    """A decoded JSON string as a ship value (where `$$` is one literal `$`): each `$$` in
    it doubled, so it is passed on exactly as decoded; a lone `$` stays a reference passed
    as is (and warned about where no shell reads it)."""
    return string.replace("$$", "$$$$") if "$$" in string else string


def _fail(values: Values, message: str, span: Span, hint: str | None = None) -> None:
    values.fail(message, span, hint)
    return None

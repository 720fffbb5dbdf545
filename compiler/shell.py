"""What ship must know of a shell command it passes through, and how to join commands.

A `run` line is the shell's, verbatim. But ship puts several of them in one `RUN`, after
mount flags, on Docker's continuation lines, where a `#` comment, a `;` or a heredoc
marker would change what the other lines do. `scan` reads one command the way a POSIX
shell tokenizes it (quotes, escapes, `$(…)`, backquotes, `case` patterns), far enough to
know where it is safe; `join` makes one shell line of several commands so that each
fails the whole `RUN` exactly when it would fail a `RUN` of its own.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata

from . import expansion
from .record import record, replace

# Characters that end a word and may start a new one, so a `#` after them opens a comment.
_BREAKS = " \t;&|()<>"
# Words that may change the shell for the commands after them, as a command's first word
# (a needless subshell costs nothing, a missed one changes meaning).
_STATEFUL = frozenset(
    {
        *("cd", "pushd", "popd", "export", "unset", "set", "shopt", "alias", "unalias"),
        *("source", ".", "eval", "exec", "exit", "return", "break", "continue", "trap"),
        *("umask", "ulimit", "read", "readonly", "declare", "typeset", "local", "let"),
        *("shift", "getopts", "hash", "enable", "mapfile", "readarray", "builtin"),
        *("command", "function"),
    }
)
TRAILING_BACKSLASH = (
    "a '\\' at the end of a command would continue it onto the next Dockerfile line:"
    ' quote it ("\\\\")'
)
# Stretches `step` may take at once. Word characters only add to the word being read:
# nothing looks at them one by one ('#' only where a word starts, '$' only before '(').
# Blanks after the first only end a word that is already ended. (The word is a list of
# pieces: `+=` on a string attribute copies it, and a long word took quadratic time.)
_SPECIAL = "\\\\'\"<`" + re.escape(_BREAKS)
_WORD_CHARS = re.compile(rf"(?:[^#${_SPECIAL}]|\$(?!\())(?:[^${_SPECIAL}]|\$(?!\())*")
_BLANKS = re.compile(r"[ \t]+")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
# Compound commands, by the word that opens them and the one that closes them.
_CLOSERS = {"if": "fi", "for": "done", "while": "done", "until": "done", "select": "done"}
_CLOSERS["{"] = "}"
# Reserved words after which a new command starts.
_OPENERS = frozenset(["{", "!", "if", "then", "else", "elif", "while", "until", "do", "time"])


@record
class Scan:
    """One command, read. Offsets are into the text scanned."""

    comment: int | None = None  # a `#` that comments out the rest of the line
    problem: tuple[str, int] | None = None  # why ship cannot pass the command on, and where
    compound: bool = False  # a `;`, `&` or `||` outside quotes: its status is its last part's
    stateful: bool = False  # may change the shell for what follows (`cd`, `export`, `X=1`, …)
    pipe: int | None = None  # a `|` that pipes (not `||`, not a `case` pattern's)

    @property
    def isolated(self) -> bool:
        """Whether, sharing a RUN with other commands, it needs a subshell of its own."""
        return self.compound or self.stateful


@functools.lru_cache(maxsize=512)  # a command is asked about by several passes
def scan(text: str) -> Scan:
    """Read a command: comments, pipes, separators and what ship must refuse."""
    return _Scanner(text).run()


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.i = 0
        self.depth = 0  # inside $( … ) or ` … `
        self.backquoted = False  # inside ` … ` (quoted text, skipped whole, never counts)
        self.case: list[str] = []  # per open `case`: "word", "pattern" or "body"
        self.groups: list[str] = []  # the words closing the open `if`, `for`, `{`, `(`, …
        self.word: list[str] = []  # the bare word being read, to spot `case`, `in`, `esac`
        # The same word as the shell runs it, quotes and escapes removed (`\cd`, `"cd"` and
        # `c\d` are `cd`), to spot a built-in; None once it holds an expansion (`$X`, `$(…)`),
        # whose value, unknown, may name one.
        self.unquoted: list[str] | None = []
        # Per open `$(` or backquote: the word, and the command's state, it interrupts.
        self.outer: list[tuple[list[str], list[str] | None, bool, bool]] = []
        self.compound = False
        self.stateful = False
        self.previous = ""  # the word before, for `printf -v NAME`
        self.command = True  # the next word is in command position
        self.assigning = False  # the command so far is only assignments
        self.pipe: int | None = None

    def run(self) -> Scan:
        text = self.text
        if text.startswith("-"):
            return self.refuse(
                "a command cannot start with '-': RUN would read it as its option", 0
            )
        if text.startswith("[") and _json_array(text):
            return self.refuse("this is a JSON array, which RUN would run without a shell", 0)
        while self.i < len(text):
            result = self.step()
            if result is not None:
                return result
        self.end_word()
        self.end_command()
        if self.depth:
            return self.refuse("'$(' or '`' is not closed on this line", len(text) - 1)
        return self.result()

    def result(self, comment: int | None = None) -> Scan:
        return Scan(comment, None, self.compound, self.stateful, self.pipe)

    def refuse(self, message: str, offset: int) -> Scan:
        return Scan(problem=(message, offset))

    def step(self) -> Scan | None:
        text, i = self.text, self.i
        plain = _WORD_CHARS.match(text, i)
        if plain is not None:
            self.word.append(plain.group())
            self._unquoted(plain.group())
            self.i = plain.end()
            return None
        blanks = _BLANKS.match(text, i)
        if blanks is not None:
            self.end_word()
            self.i = blanks.end()
            return None
        char = text[i]
        if char == "\\":
            if i + 1 == len(text):
                return self.refuse(TRAILING_BACKSLASH, i)
            self.word.append(text[i : i + 2])
            self._unquoted(text[i + 1])
            self.i += 2
            return None
        if char in "'\"":
            end = self._quote_end(i)
            if end < 0:
                return self.refuse(f"unterminated {char} quote", i)
            self.word.append("x")  # quoted text is never a keyword
            inside = text[i + 1 : end]
            if char == '"':
                if "$" in inside or "`" in inside:
                    self.unquoted = None
                inside = re.sub(r'\\([$`"\\])', r"\1", inside)
            self._unquoted(inside, quoted=True)
            self.i = end + 1
            return None
        if char == "#" and (i == 0 or text[i - 1] in _BREAKS) and not self.word:
            if self.depth:
                return self.refuse("this '#' comments out the ')' or '`' that closes it", i)
            self.end_word()
            self.end_command()
            return self.result(comment=i)
        if text.startswith("$((", i) and (end := _arithmetic_end(text, i)) > 0:
            self.word.append("$(())")  # `<<` and `#` inside are arithmetic's, not the shell's
            self.unquoted = None
            self.i = end
            return None
        heredoc = text.startswith("<<", i) and not text.startswith("<<<", i)
        if heredoc and not (i > 0 and text[i - 1] == "<"):
            return self.refuse(
                "a heredoc ('<<') needs lines of its own, which a run line cannot give: write"
                " its text with 'file PATH LINE…' and read that file",
                i,
            )
        self.operator(char)
        self.i += 1
        return None

    def operator(self, char: str) -> None:
        text, i = self.text, self.i
        if char == "$" and text.startswith("$(", i):
            self.open_substitution()
            self.i += 1
            return
        if char == "`":
            # Backquotes do not nest without escapes: one opens, the next closes.
            if self.backquoted:
                self.close_substitution()
            else:
                self.open_substitution()
            self.backquoted = not self.backquoted
            return
        if char not in _BREAKS:
            self.word.append(char)
            return
        self.end_word()
        opens_group = char == "(" and self.command and not text.startswith("()", i)
        if char in ";&|()":
            self.end_command()
        if text.startswith("()", i):  # a function definition
            self.stateful = True
        if char == ")" and self.depth:
            self.close_substitution()
            return
        if char == ")" and self.case and self.case[-1] == "pattern":
            self.case[-1] = "body"
            return
        if self.depth:
            return
        if opens_group:
            self.groups.append(")")
        elif char == ")" and self.groups and self.groups[-1] == ")":
            self.groups.pop()
        # Inside `if … fi`, `( … )` and the like, a `;` or `||` is the compound command's
        # own: the whole is one command, and `&&` binds to all of it.
        top = not self.groups and not self.case
        if char == ";":
            if text.startswith(";;", i) and self.case:
                self.case[-1] = "pattern"
                self.i += 1
            else:
                self.compound = self.compound or top
        elif char == "&" and text.startswith("&&", i):
            self.i += 1
        elif char == "&":
            self.compound = self.compound or top
        elif char == "|" and text.startswith("||", i):
            self.compound = self.compound or top
            self.i += 1
        elif char == "|" and not (self.case and self.case[-1] == "pattern"):
            self.pipe = i if self.pipe is None else self.pipe

    def open_substitution(self) -> None:
        """`$(` or an opening backquote: the commands inside, then the word it is part of
        goes on (`X=$(pwd)/bin` is one assignment, `$(…) x` is named by its output)."""
        self.outer.append((self.word, self.unquoted, self.command, self.assigning))
        self.word, self.unquoted = [], []
        self.command, self.assigning = True, False
        self.depth += 1

    def close_substitution(self) -> None:
        self.end_word()
        self.end_command()
        self.depth -= 1
        if self.outer:
            self.word, _, self.command, self.assigning = self.outer.pop()
            self.word.append("$()")  # never a keyword, and the word is not empty
            self.unquoted = None  # its value is unknown

    def _unquoted(self, piece: str, quoted: bool = False) -> None:
        if self.unquoted is None:
            return
        if "$" in piece and not quoted:
            self.unquoted = None
        else:
            self.unquoted.append(piece)

    def end_command(self) -> None:
        self.stateful = self.stateful or self.assigning
        self.command, self.assigning = True, False

    def end_word(self) -> None:
        word, self.word = "".join(self.word), []
        unquoted, self.unquoted = self.unquoted, []
        if not word:
            return
        # A built-in however it is quoted (`\cd` runs `cd`), and a command named by an
        # expansion (`$CMD`), which may be one.
        assignment = _ASSIGNMENT.match(word)
        if self.command and not assignment:
            name = None if unquoted is None else "".join(unquoted)
            self.stateful = self.stateful or name is None or name in _STATEFUL
        if self.command and word in _CLOSERS:
            self.groups.append(_CLOSERS[word])
        elif self.command and self.groups and word == self.groups[-1]:
            self.groups.pop()
        # `X=1` alone sets X for what follows; `X=1 cmd` only for cmd.
        self.assigning = self.command and bool(_ASSIGNMENT.match(word))
        if (self.previous, word) == ("printf", "-v"):
            self.stateful = True
        # A prefix assignment (`X=1 cmd`) leaves the command word still to come.
        self.command = word in _OPENERS or (self.command and bool(_ASSIGNMENT.match(word)))
        self.previous = word
        if word == "case" and not self.depth:
            self.case.append("word")
        elif word == "in" and self.case and self.case[-1] == "word":
            self.case[-1] = "pattern"
        elif word == "esac" and self.case:
            self.case.pop()

    def _quote_end(self, start: int) -> int:
        """The index of the quote closing the one at `start`, or -1."""
        quote, text, i = self.text[start], self.text, start + 1
        while i < len(text):
            if quote == '"' and text[i] == "\\":
                i += 2
                continue
            if text[i] == quote:
                return i
            i += 1
        return -1


def _arithmetic_end(text: str, start: int) -> int:
    """Where the arithmetic expansion `$(( … ))` at `start` ends, or -1 if it is not one
    (`$((cd x); y)` is a command substitution holding a subshell) or holds quotes or
    escapes, which the scanner then reads as it reads any `$(`."""
    depth, closed_one = 2, -1
    for j in range(start + 3, len(text)):
        char = text[j]
        if char in "'\"`\\":
            return -1
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 1:
                closed_one = j
            elif depth == 0:
                return j + 1 if closed_one == j - 1 else -1
    return -1


def _json_array(text: str) -> bool:
    """Whether RUN would take the text for its exec form: Docker decodes one JSON value
    from the start and ignores what follows it (`["a"]echo x` runs `a`)."""
    try:
        return isinstance(json.JSONDecoder().raw_decode(text)[0], list)
    except ValueError:
        return False


def join(commands: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """Commands (each its continued lines) ready to be joined with `&&` in one RUN, each
    doing what it would do in a RUN of its own: a command that could change the shell for
    the others (`cd`, `export`) or whose status is not its last part's (`a; b`, `a || b`,
    which `&&` would split) runs in a subshell `( … )`."""
    if len(commands) < 2:
        return commands
    return tuple(_subshell(c) if scan(" ".join(c)).isolated else c for c in commands)


def _subshell(lines: tuple[str, ...]) -> tuple[str, ...]:
    if len(lines) == 1:
        return (f"( {lines[0]} )",)
    return (f"( {lines[0]}", *lines[1:-1], f"{lines[-1]} )")


@record
class Line:
    """One line of a command as written: its text (outer blanks removed) and where."""

    text: str
    line: int
    column: int


@record
class Refusal:
    """Why a command cannot be passed on, and the line and column at fault."""

    message: str
    line: int
    column: int
    hint: str | None = None


DOLLAR_DOLLAR = (
    "'$$' is the shell's process id here, while everywhere else in a .ship file it is a"
    " literal '$'"
)
DOLLAR_DOLLAR_HINT = (
    "a run line is the shell's: write ${$} for the process id, or \\$ for a '$' itself"
)


def read(lines: list[Line]) -> tuple[str, ...] | Refusal:
    """The lines of a `run`/`install` command, ready for a RUN, or why not.

    A comment at the end is dropped, since nothing may follow it on the joined line.
    Everything that would change what the command does once it shares a RUN is refused:
    a comment line after a '\\' among them, which Docker would skip and continue past, but
    the shell would end the command at.
    """
    for line in lines:
        if line.text.startswith("#"):
            message = (
                "a comment line cannot continue a command (Docker would skip it and go on,"
                " a shell would stop there): put the comment above the 'run'"
                if line is not lines[0]
                else "a command cannot start with a comment"
            )
            return Refusal(message, line.line, line.column)
    for line in lines:
        for offset in (0, len(line.text) - 1):
            if line.text[offset].isspace():
                message = (
                    f"a {unicodedata.name(line.text[offset], 'blank').lower()} at the edge of a"
                    " command line: Docker trims it, a shell does not"
                )
                return Refusal(message, line.line, line.column + offset)
    kept = list(lines)
    joined, starts = _joined(kept)
    found = scan(joined)
    if found.problem is not None:
        return Refusal(found.problem[0], *_position(kept, starts, found.problem[1]))
    pids = [p for p in expansion.shell_dollar_dollars(joined) if p < (found.comment or len(joined))]
    if pids:
        return Refusal(DOLLAR_DOLLAR, *_position(kept, starts, pids[0]), DOLLAR_DOLLAR_HINT)
    if found.comment is not None:
        last = starts[-1]
        if found.comment < last:
            message = (
                "this '#' would comment out the rest of the command, lines it continues onto"
                " included"
            )
            return Refusal(message, *_position(kept, starts, found.comment))
        # Not empty: a line starting with '#' was refused above.
        cut = kept[-1].text[: found.comment - last].rstrip(" \t")
        kept[-1] = replace(kept[-1], text=cut)
    if kept[-1].text.endswith("\\"):
        last = kept[-1]
        return Refusal(TRAILING_BACKSLASH, last.line, last.column + len(last.text) - 1)
    return tuple(line.text for line in kept)


def _joined(lines: list[Line]) -> tuple[str, list[int]]:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line.text) + 1
    return " ".join(line.text for line in lines), starts


def _position(lines: list[Line], starts: list[int], offset: int) -> tuple[int, int]:
    index = max(i for i, start in enumerate(starts) if start <= offset)
    return lines[index].line, lines[index].column + offset - starts[index]


def quote(value: str) -> str:
    """A value (in .ship syntax: `${NAME}` references, `$$` for `$`) as one shell word:
    bare when it is plain, else in double quotes, its references expanded by the shell and
    nothing else."""
    parts, problems = expansion.split(value)
    if problems:
        raise ValueError(f"unchecked value reached the shell: {value!r}")
    if len(parts) == 1 and isinstance(parts[0], str) and _PLAIN.fullmatch(parts[0]):
        return parts[0]
    return '"' + _quoted(parts) + '"'


_PLAIN = re.compile(r"[A-Za-z0-9_./:@%+,=-]+")

# The glob patterns a copied-out artifact may use, which the shell and Docker's COPY read
# alike (no `[!…]`/`[^…]`, whose negation they spell differently): `places.lifted_glob`.
GLOB = re.compile(r"\*|\?|\[[A-Za-z0-9_.-]+\]")


def glob(value: str) -> str:
    """A path (in .ship syntax) as one shell word in which its glob patterns (`GLOB`) stay
    patterns and everything else is quoted as `quote` does: `/a b/*.so` -> `"/a b/"*.so`."""
    parts, problems = expansion.split(value)
    if problems:
        raise ValueError(f"unchecked value reached the shell: {value!r}")
    if not any(isinstance(p, str) and GLOB.search(p) for p in parts):
        return quote(value)
    out, text = [], []  # the finished word; the parts of the quoted run being gathered
    for part in parts:
        pieces = GLOB.split(part) if isinstance(part, str) else [part]
        patterns = GLOB.findall(part) if isinstance(part, str) else []
        for i, piece in enumerate(pieces):
            if piece:
                text.append(piece)
            if i < len(patterns):
                out.append(_run(text) + patterns[i])
                text = []
    return "".join(out) + _run(text)


def _run(parts) -> str:
    """Text between glob patterns: bare when plain, else quoted."""
    if not parts:
        return ""
    if len(parts) == 1 and isinstance(parts[0], str) and _PLAIN.fullmatch(parts[0]):
        return parts[0]
    return '"' + _quoted(parts) + '"'


def _quoted(parts) -> str:
    out = []
    for part in parts:
        if not isinstance(part, expansion.Reference):
            out.append(re.sub(r'([\\"$`])', r"\\\1", part))
        elif part.operator is None:
            out.append(f"${{{part.name}}}")
        else:
            out.append(f"${{{part.name}{part.operator}{_quoted(part.word)}}}")
    return "".join(out)

"""Diagnostics: where a problem is (`Span`), what it is (`Diagnostic`), and how it reads.

The source text is attached only when rendering, so every pass can report a problem with
nothing but the span it already holds.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from .record import record


@record(order=True)
class Span:
    """A region of a source file: 1-based line and column of its start and end (exclusive),
    and the file: "" for the file being compiled, an included file's name as messages show
    it (see `include.py`)."""

    line: int
    column: int
    end_line: int
    end_column: int
    file: str = ""

    @classmethod
    def point(cls, line: int, column: int, file: str = "") -> Span:
        """A span one character wide."""
        return cls(line, column, line, column + 1, file)

    def to(self, other: Span) -> Span:
        """The span from the start of this one to the end of `other` (in the same file)."""
        return Span(self.line, self.column, other.end_line, other.end_column, self.file)

    def at(self, line: int, column: int, end_column: int | None = None) -> Span:
        """A span on one line of this span's file (one character wide by default)."""
        return Span(line, column, line, column + 1 if end_column is None else end_column, self.file)

    def where(self, seen_from: Span) -> str:
        """This span's line as a message written at `seen_from` names it: `line 3` in the
        same file, `common.ship:3` in another (an included file)."""
        if self.file == seen_from.file:
            return f"line {self.line}"
        return f"{self.file}:{self.line}" if self.file else f"line {self.line} of the main file"


@record
class Diagnostic:
    """One problem in a source file. Errors stop compilation; warnings are only printed."""

    message: str
    span: Span
    severity: str = "error"
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def error(message: str, span: Span, hint: str | None = None) -> Diagnostic:
    return Diagnostic(message, span, "error", hint)


def warning(message: str, span: Span, hint: str | None = None) -> Diagnostic:
    return Diagnostic(message, span, "warning", hint)


class Collector:
    """Collects every diagnostic of a pass, so a file's mistakes come in one round."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def fail(self, message: str, span: Span, hint: str | None = None) -> bool:
        """Report an error; False, so a check can `return self.fail(…)`."""
        self.report(error(message, span, hint))
        return False


class ShipErrors(Exception):
    """Raised with every diagnostic of a file once any of them is an error."""

    def __init__(self, diagnostics: Iterable[Diagnostic], sources: object = None):
        self.diagnostics = sort(diagnostics)
        self.sources = sources  # the files read (`include.Sources`), to render them against
        super().__init__(f"{sum(d.is_error for d in self.diagnostics)} error(s)")


def sort(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Diagnostics in source order (the main file's first, then each included file's),
    duplicates dropped, so output is stable."""
    unique = dict.fromkeys(diagnostics)
    return tuple(sorted(unique, key=lambda d: (d.span.file, d.span, d.severity, d.message)))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or nothing if none is close."""
    import difflib  # only when a name is wrong: not on every run

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    if not close and word.lower() != word:
        close = [c for c in choices if c == word.lower()]
    return f" (did you mean '{close[0]}'?)" if close else ""


_COLORS = {"error": "\033[1;31m", "warning": "\033[1;35m", "note": "\033[1;36m"}
_BOLD, _GREEN, _RESET = "\033[1m", "\033[1;32m", "\033[0m"


def render(
    diagnostic: Diagnostic,
    source: str,
    filename: str,
    color: bool = False,
    chain: tuple[tuple[str, Span], ...] = (),
) -> str:
    """`file:line:col: error: message`, then the source line and a caret under the span,
    the hint, and for a span in an included file the includes that led there (`chain`:
    including file's name and the include's span, innermost first)."""
    bold, reset = (_BOLD, _RESET) if color else ("", "")
    tint = _COLORS[diagnostic.severity] if color else ""
    span = diagnostic.span
    lines = [
        f"{bold}{filename}:{span.line}:{span.column}:{reset} "
        f"{tint}{diagnostic.severity}:{reset} {bold}{_escaped(diagnostic.message)}{reset}"
    ]
    source_lines = _lines(source)
    if 1 <= span.line <= len(source_lines):
        text = source_lines[span.line - 1].expandtabs(1)
        width = (
            span.end_column - span.column
            if span.end_line == span.line
            else len(text) - span.column + 1
        )
        caret = "^" + "~" * max(0, width - 1)
        green = _GREEN if color else ""
        lines.append(f"    {_printable(text)}")
        lines.append(f"    {' ' * (span.column - 1)}{green}{caret}{reset}")
    if diagnostic.hint:
        note = _COLORS["note"] if color else ""
        lines.append(f"    {note}hint:{reset} {_escaped(diagnostic.hint)}")
    lines.extend(f"    included from {name}:{at.line}:{at.column}" for name, at in chain)
    return "\n".join(lines)


@functools.lru_cache(maxsize=1)
def _lines(source: str) -> tuple[str, ...]:
    """The lines of the source, kept for the last one: every diagnostic of a file is
    rendered against the same text, and splitting it anew for each made 64,000 errors
    take quadratic time."""
    return tuple(source.split("\n"))


def _printable(text: str) -> str:
    """The line with control characters shown as `?`, so the caret stays aligned."""
    return "".join(c if c.isprintable() else "?" for c in text)


def _escaped(text: str) -> str:
    """A message with each invisible or control character a value brought in written as
    its escape (`ex\\u200bpose`), so what the message names can be seen and told apart."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() or c == "\n" else ascii(c)[1:-1] for c in text
    )

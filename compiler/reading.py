"""Reading the words of one directive into the model's values, with positioned errors:
decoding quoted words, counting them against the directive's usage, the `SRC… -> DEST`
and `KEY=value` forms, and shell commands (through `shell.read`). What each value may be
is checked by `values.Values`, which also collects every diagnostic.
"""

from __future__ import annotations

from . import model, shell, syntax
from .values import Values


class Reader:
    """Reads statements' words; reports through the `Values` it checks them with."""

    def __init__(self, values: Values):
        self.values = values
        self.fail = values.fail

    def text(self, word: syntax.Word) -> model.Text | None:
        value = syntax.decode(word.raw)
        if isinstance(value, syntax.DecodeError):
            column = word.span.column + value.offset
            self.fail(value.message, word.span.at(word.span.line, column))
            return None
        return model.Text(value, word.span)

    def words(
        self, statement: syntax.Statement, least: int, most: int | None, usage: str
    ) -> list[model.Text]:
        texts = [self.text(word) for word in self.arguments(statement, least, most, usage)]
        return [t for t in texts if t is not None]

    def arguments(
        self, statement: syntax.Statement, least: int, most: int | None, usage: str
    ) -> tuple[syntax.Word, ...]:
        """The words after the directive as written, not decoded (a JSON command decodes
        its own escapes), if there are as many as the usage says; else () after an error."""
        if isinstance(statement, syntax.Shell):
            self.fail(
                f"'{statement.name.raw}' is not a shell command here; usage: {usage}",
                statement.name.span,
            )
            return ()
        args = statement.args
        if len(args) < least or (most is not None and len(args) > most):
            span = (
                args[most].span.to(args[-1].span)
                if most is not None and len(args) > most
                else statement.span
            )
            self.fail(f"wrong number of words for '{statement.name.raw}'; usage: {usage}", span)
            return ()
        return tuple(args)

    def shell(self, statement: syntax.Statement) -> model.Run | None:
        if not isinstance(statement, syntax.Shell) or statement.text is None:
            return self._none(
                self.fail(f"'{statement.name.raw}' needs a shell command", statement.span)
            )
        assert statement.text_span is not None
        end = statement.text_span
        if statement.text.endswith("\\"):
            message = (
                "this '\\' continues the command, but the next line is blank, closes the block"
                " or is missing"
            )
            return self._none(self.fail(message, end.at(end.end_line, end.end_column - 1)))
        lines = []
        # Split at each '\\' + newline, and at the newline after each comment line the
        # grammar keeps in a continued command (shell.read refuses those).
        pieces = [p for chunk in statement.text.split("\\\n") for p in chunk.split("\n")]
        for index, raw in enumerate(pieces):
            line = end.line + index
            found = syntax.bad_character(raw)
            if found is not None:
                column = (end.column if index == 0 else 1) + found[0]
                return self._none(self.fail(f"{found[1]} in a command", end.at(line, column)))
            # Strip only the blanks Docker strips: after a final '\\', an NBSP is not one,
            # and stripping it would turn that '\\' into a line continuation.
            text = raw.strip(" \t")
            column = (end.column if index == 0 else 1) + len(raw) - len(raw.lstrip(" \t"))
            if text:
                lines.append(shell.Line(text, line, column))
        read = shell.read(lines)
        if isinstance(read, shell.Refusal):
            at = end.at(read.line, read.column)
            return self._none(self.fail(read.message, at, read.hint))
        return model.Run(read, statement.span)

    @staticmethod
    def _none(_: bool) -> None:
        return None

    def arrow(self, statement: syntax.Statement, usage: str, max_sources: int | None = None):
        """`SRC… [-> DEST]`: the sources and the destination (None when no arrow)."""
        reported = len(self.values.diagnostics)
        words = self.words(statement, 1, None, usage)
        if len(self.values.diagnostics) > reported:  # a word refused, or too few: said once
            return [], None
        arrows = [i for i, w in enumerate(words) if w.value == "->"]
        if len(arrows) > 1 or (arrows and arrows[0] != len(words) - 2):
            at = words[arrows[-1]].span if arrows else statement.span
            self.fail(f"'->' must come once, before a single destination; usage: {usage}", at)
            return [], None
        sources = words[: arrows[0]] if arrows else words
        dest = words[-1] if arrows else None
        if not sources or (max_sources is not None and len(sources) > max_sources):
            self.fail(
                f"wrong number of words for '{statement.name.raw}'; usage: {usage}", statement.span
            )
            return [], None
        return sources, dest

    def pairs(
        self, statement: syntax.Statement, usage: str, identifier_keys: bool
    ) -> list[model.Pair]:
        result = []
        words = self.words(statement, 1, None, usage)
        for index, word in enumerate(words):
            key, eq, value = word.value.partition("=")
            rest = words[index + 1 :]
            if not eq and key and rest and not any("=" in w.value for w in rest):
                # A Dockerfile's old `ENV KEY value…` form: one error for the words, not one
                # each, with the pair it was meant to be.
                self._spaced_pair(statement, word, rest, usage)
                break
            if not eq or not key:
                self.fail(f"expected KEY=value, got '{word.value}'; usage: {usage}", word.span)
            elif (
                self.values.identifier(key, word, "variable")
                if identifier_keys
                else self.values.label_key(key, word)
            ):
                result.append(model.Pair(*split_pair(word, key, value), word.span))
        return result

    def _spaced_pair(
        self, statement: syntax.Statement, key: model.Text, rest: list[model.Text], usage: str
    ) -> None:
        value = " ".join(w.value for w in rest)
        if any(c in value for c in ' \t"\\{}#'):
            value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        name = statement.name.raw
        self.fail(
            f"'{name}' takes KEY=value pairs, not a key and a value separated by a space;"
            f" usage: {usage}",
            key.span.to(rest[-1].span),
            hint=f"write '{name} {key.value}={value}'",
        )


def split_pair(word: model.Text, key: str, value: str) -> tuple[model.Text, model.Text]:
    """`KEY=value` as two texts; each with its own span when the word is written unquoted
    (its value is then exactly its text), so a diagnostic points at the part at fault."""
    span = word.span
    unquoted = span.line == span.end_line and span.end_column - span.column == len(word.value)
    if not unquoted:
        return model.Text(key, span), model.Text(value, span)
    middle = span.column + len(key)
    key_span = span.at(span.line, span.column, middle)
    value_span = span.at(span.line, middle + 1, span.end_column) if value else span
    return model.Text(key, key_span), model.Text(value, value_span)

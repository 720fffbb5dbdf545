"""Reading and validating the words of one directive, with positioned errors.

`Values` decodes words into `model.Text` and checks each kind of value (ports, users,
paths, package names, …) where it stands, so every message points at the word at fault.
A value holding `${NAME}` references is checked with each reference standing for a value of
the allowed shape (`user ${U}:1000` as `0:1000`), so no reference can smuggle text into
another part of the instruction; `variables.py` checks the references themselves and, where
an arg's default is known, the value it gives. All digit and name classes are ASCII: Docker
reads only ASCII digits in ports, users and durations.
"""

from __future__ import annotations

import posixpath
import re

from . import model, shell, syntax
from .errors import Diagnostic, Span, did_you_mean, error, warning
from .expansion import Reference, split

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STAGE_NAME = re.compile(r"[a-z][a-z0-9_.-]*")
_VERSION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_IMAGE = re.compile(
    r"[a-z0-9][a-z0-9._:/-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?"
)
_PACKAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9+._-]*(?:=[A-Za-z0-9+.:~_-]+)?")
_SECRET_ID = re.compile(r"[A-Za-z0-9_.-]+")
_USER = re.compile(r"[0-9]+(?::[0-9]+)?")
_PORT = re.compile(r"([0-9]+)(?:/([A-Za-z]+))?")
_COUNT = re.compile(r"[0-9]+")
# Label keys: what OCI and reverse-DNS keys use. No '=', quotes or spaces, and no leading
# '-', which Docker would read as a flag of LABEL.
_LABEL_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]*")
# A version written like a Git tag: official images have none (`golang:1.22`, not `v1.22`).
_V_VERSION = re.compile(r"v([0-9][A-Za-z0-9_.-]*)")
# A path in a `--mount` option. BuildKit reads flags byte by byte: a blank, a comma, a quote
# or a byte outside ASCII would end the path or start another option, so only these.
_MOUNT_PATH = re.compile(r"[A-Za-z0-9._/@+~%:-]+")


def shape(value: str, placeholder: str) -> str | None:
    """The value with each reference replaced by `placeholder`, a value of the shape the
    reference must stand for; None if a `$` in it is not a reference (`variables.py` says
    why). `$$` comes out as `$`, which no check below lets through."""
    parts, problems = split(value)
    if problems:
        return None
    return "".join(placeholder if isinstance(p, Reference) else p for p in parts)


class Values:
    """Decodes and validates words; collects every diagnostic."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def fail(self, message: str, span: Span, hint: str | None = None) -> bool:
        self.report(error(message, span, hint))
        return False

    def text(self, word: syntax.Word) -> model.Text | None:
        value = syntax.decode(word.raw)
        if isinstance(value, syntax.DecodeError):
            column = word.span.column + value.offset
            self.fail(value.message, Span.point(word.span.line, column))
            return None
        return model.Text(value, word.span)

    def words(
        self, statement: syntax.Statement, least: int, most: int | None, usage: str
    ) -> list[model.Text]:
        if isinstance(statement, syntax.Shell):
            self.fail(
                f"'{statement.name.raw}' is not a shell command here; usage: {usage}",
                statement.name.span,
            )
            return []
        args = statement.args
        if len(args) < least or (most is not None and len(args) > most):
            span = (
                args[most].span.to(args[-1].span)
                if most is not None and len(args) > most
                else statement.span
            )
            self.fail(f"wrong number of words for '{statement.name.raw}'; usage: {usage}", span)
            return []
        texts = [self.text(word) for word in args]
        return [t for t in texts if t is not None]

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
            return self._none(self.fail(message, Span.point(end.end_line, end.end_column - 1)))
        lines = []
        for index, raw in enumerate(statement.text.split("\\\n")):
            line = end.line + index
            found = syntax.bad_character(raw)
            if found is not None:
                column = (end.column if index == 0 else 1) + found[0]
                return self._none(self.fail(f"{found[1]} in a command", Span.point(line, column)))
            # Strip only the blanks Docker strips: after a final '\\', an NBSP is not one,
            # and stripping it would turn that '\\' into a line continuation.
            text = raw.strip(" \t")
            column = (end.column if index == 0 else 1) + len(raw) - len(raw.lstrip(" \t"))
            if text:
                lines.append(shell.Line(text, line, column))
        read = shell.read(lines)
        if isinstance(read, shell.Refusal):
            return self._none(self.fail(read.message, Span.point(read.line, read.column)))
        return model.Run(read, statement.span)

    @staticmethod
    def _none(_: bool) -> None:
        return None

    def arrow(self, statement: syntax.Statement, usage: str, max_sources: int | None = None):
        """`SRC… [-> DEST]`: the sources and the destination (None when no arrow)."""
        words = self.words(statement, 1, None, usage)
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
        for word in self.words(statement, 1, None, usage):
            key, eq, value = word.value.partition("=")
            if not eq or not key:
                self.fail(f"expected KEY=value, got '{word.value}'; usage: {usage}", word.span)
            elif (
                self.identifier(key, word, "variable")
                if identifier_keys
                else self.label_key(key, word)
            ):
                result.append(model.Pair(*_split_pair(word, key, value), word.span))
        return result

    def label_key(self, key: str, word: model.Text) -> bool:
        if _LABEL_KEY.fullmatch(key):
            return True
        return self.fail(
            f"invalid label key '{key}': use letters, digits, '.', '-', '_' and '/', not"
            " starting with '-', '.' or '/'",
            word.span,
            "for example org.opencontainers.image.source",
        )

    def identifier(self, name: str, word: model.Text, what: str) -> bool:
        if _IDENTIFIER.fullmatch(name):
            return True
        return self.fail(
            f"'{name}' is not a valid {what} name"
            " (letters, digits and _, not starting with a digit)",
            word.span,
        )

    def stage_name(self, name: model.Text) -> bool:
        if _STAGE_NAME.fullmatch(name.value):
            return True
        hint = (
            f"write '{name.value.lower()}'" if _STAGE_NAME.fullmatch(name.value.lower()) else None
        )
        return self.fail(
            f"invalid stage name '{name.value}': use lower-case letters, digits, '_', '.' and"
            " '-', starting with a letter",
            name.span,
            hint,
        )

    def image_ref(self, ref: model.Text) -> bool:
        """`name[:tag][@digest]`; a reference may stand for a part of a name or a tag."""
        value = shape(ref.value, "x")
        if value is None:
            return True
        if not _IMAGE.fullmatch(value):
            return self.fail(
                f"invalid image reference '{ref.value}'",
                ref.span,
                "write it as name[:tag][@sha256:digest], in lower case",
            )
        if value == ref.value:  # else pinned or not depends on the args (variables.py)
            self._pinned(ref)
        return True

    def _pinned(self, ref: model.Text) -> None:
        last = ref.value.rsplit("/", 1)[-1]
        if ":" not in last and "@" not in last:
            message = f"image '{ref.value}' is not pinned to a tag or digest"
            self.report(warning(message, ref.span, "write NAME:TAG or NAME@sha256:…"))
        elif last.partition("@")[0].endswith(":latest") and "@" not in last:
            self._latest(ref, "image", "write NAME:TAG with the version you tested, or a digest")

    def version(self, word: model.Text) -> bool:
        """A preset's version: an image tag, of an official image (which has no 'v' tags)."""
        value = shape(word.value, "x")
        if value is None:
            return True
        if not _VERSION.fullmatch(value):
            return self.fail(
                f"invalid version '{word.value}': an image tag is letters, digits, '_', '.'"
                " and '-'",
                word.span,
            )
        if value == "latest":
            self._latest(word, "version", "write the version you tested, e.g. '1.22'")
        elif v_version := _V_VERSION.fullmatch(value):
            return self.fail(
                f"invalid version '{word.value}' (did you mean '{v_version.group(1)}'?)",
                word.span,
                "official images tag versions without a 'v'",
            )
        return True

    def _latest(self, word: model.Text, what: str, hint: str) -> None:
        message = (
            f"{what} '{word.value}' is not pinned: the 'latest' tag moves with each release,"
            " so the build changes under you"
        )
        self.report(warning(message, word.span, hint))

    def context_path(self, path: model.Text) -> bool:
        if not self.copy_path(path, "a path in the build context"):
            return False
        value = shape(path.value, "x")
        if value is None:
            return True
        if value.startswith("/") or value == ".." or value.startswith("../") or "/../" in value:
            return self.fail(
                f"'{path.value}' is outside the build context: use a path relative to it",
                path.span,
            )
        return True

    def copy_path(self, path: model.Text, what: str) -> bool:
        """A path COPY reads: no leading '-' (COPY would take it for its option) and no
        backslash (COPY's patterns read it as an escape: `a\\b` would be `ab`)."""
        if path.value.startswith("-"):
            return self.fail(
                f"{what} cannot start with '-': COPY would read '{path.value}' as its option",
                path.span,
                f"if it is a file, write './{path.value}'; ship has no COPY options",
            )
        if "\\" in path.value:
            return self.fail(
                f"{what} cannot hold a backslash: COPY reads it as an escape", path.span
            )
        return True

    def absolute(self, path: model.Text, what: str) -> bool:
        value = shape(path.value, "/x")
        if value is None or value.startswith("/"):
            return True
        return self.fail(
            f"{what} must be an absolute path, got '{path.value}'",
            path.span,
            f"write '{posixpath.normpath('/' + path.value)}'",
        )

    def mount_path(self, path: model.Text, what: str) -> bool:
        """A path inside `RUN --mount=…`: literal (Docker 20.10 does not expand ${…} there)
        and free of the characters that separate mount options."""
        if "$" in path.value:
            return self.fail(
                f"{what} cannot use variables: Docker does not expand them in --mount options",
                path.span,
            )
        if not _MOUNT_PATH.fullmatch(path.value):
            return self.fail(
                f"{what} '{path.value}' may hold only ASCII letters, digits and . _ / @ + ~ % : -",
                path.span,
                "Docker reads --mount options byte by byte: a blank, comma, '=', quote,"
                " backslash or non-ASCII letter would end the path or add an option",
            )
        return True

    def secret_id(self, word: model.Text) -> bool:
        if _SECRET_ID.fullmatch(word.value):
            return True
        return self.fail(
            f"invalid secret id '{word.value}': use letters, digits, '_', '.' and '-'", word.span
        )

    def choice(self, word: model.Text, choices: tuple[str, ...], directive: str) -> bool:
        if word.value in choices:
            return True
        known = " or ".join(choices)
        return self.fail(
            f"'{directive}' takes {known}, not '{word.value}'{did_you_mean(word.value, choices)}",
            word.span,
        )

    def package(self, word: model.Text) -> bool:
        if _PACKAGE.fullmatch(word.value):
            return True
        return self.fail(f"invalid package '{word.value}': write NAME or NAME=VERSION", word.span)

    def user(self, word: model.Text) -> bool:
        value = shape(word.value, "0")
        if value is None or _USER.fullmatch(value):
            return True
        hint = "names fail on images without /etc/passwd; the default is 65532:65532"
        return self.fail(
            f"user must be numeric, UID or UID:GID, not '{word.value}'", word.span, hint
        )

    def port(self, word: model.Text) -> bool:
        value = shape(word.value, "1")
        if value is None:
            return True
        match = _PORT.fullmatch(value)
        if not match:
            return self.fail(
                f"invalid port '{word.value}': write PORT or PORT/tcp or PORT/udp", word.span
            )
        number, protocol = int(match.group(1)), match.group(2)
        if not 1 <= number <= 65535:
            return self.fail(f"port {number} is out of range (1-65535)", word.span)
        if protocol is not None and protocol not in ("tcp", "udp"):
            fix = f" (write '{protocol.lower()}')" if protocol.lower() in ("tcp", "udp") else ""
            return self.fail(f"unknown protocol '{protocol}': use tcp or udp{fix}", word.span)
        return True

    def health_option(self, word: model.Text, kind: str, duration: re.Pattern[str]) -> bool:
        key, _, value = word.value.partition("=")
        if kind == "count" and _COUNT.fullmatch(value) and int(value) > 0:
            return True
        if kind == "duration" and duration.fullmatch(value):
            return True
        expected = (
            "a whole number above 0"
            if kind == "count"
            else "a duration such as 30s, 1m30s or 500ms"
        )
        return self.fail(f"healthcheck {key} must be {expected}, not '{value}'", word.span)

    def command(self, statement: syntax.Statement, usage: str) -> model.Command | None:
        words = self.words(statement, 1, None, usage)
        if not words:
            return None
        return model.Command(tuple(words), words[0].span.to(words[-1].span))


def _split_pair(word: model.Text, key: str, value: str) -> tuple[model.Text, model.Text]:
    """`KEY=value` as two texts; each with its own span when the word is written unquoted
    (its value is then exactly its text), so a diagnostic points at the part at fault."""
    span = word.span
    unquoted = span.line == span.end_line and span.end_column - span.column == len(word.value)
    if not unquoted:
        return model.Text(key, span), model.Text(value, span)
    middle = span.column + len(key)
    key_span = Span(span.line, span.column, span.line, middle)
    value_span = Span(span.line, middle + 1, span.line, span.end_column) if value else span
    return model.Text(key, key_span), model.Text(value, value_span)

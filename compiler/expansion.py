"""`$` in the values Docker expands (env, label, workdir, user, expose, volume, copy and
artifact paths, image references and versions): references, and the one escape.

Docker's word lexer expands `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME:+word}` in
those values, and quietly turns any other `$` form into something else (`$1.99` → `.99`).
So in a .ship value every `$` is one of:

- a reference, in one of the four forms above (the `word` may itself hold references);
- `$$`, a literal `$`;

and anything else is a `Problem`, reported by the caller where the value stands.
`split` gives the value as literal text and references, which is what the emitter needs
to escape the literal text for Docker and keep the references live.

Shell text (`run`, `install`) is not a value: the shell expands it. `shell_references`
finds the names it may read, for ARG scoping and the unused-arg check.
"""

from __future__ import annotations

import re

from .record import record

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The modifiers the Dockerfile frontend of Docker 20.10 (BuildKit 0.8) understands.
OPERATORS = (":-", ":+")
# Characters a modifier's word may hold besides references: no quotes, backslashes or
# braces, whose meaning inside `${…}` differs between Docker versions.
_WORD_CHAR = re.compile(r"[^\"'\\{}$]")


@record
class Reference:
    """`$NAME`, `${NAME}` or `${NAME<operator><word>}` as written, at `offset` in the value."""

    name: str
    raw: str
    offset: int
    operator: str | None = None
    word: tuple[str | Reference, ...] = ()

    def names(self) -> list[str]:
        """This reference's name and those its word reads."""
        inner = [n for part in self.word if isinstance(part, Reference) for n in part.names()]
        return [self.name, *inner]


@record
class Problem:
    """A `$` that is neither a reference nor `$$`: why, where in the value, and the fix."""

    message: str
    offset: int
    length: int = 1
    hint: str | None = None


Part = str | Reference


def split(value: str) -> tuple[tuple[Part, ...], tuple[Problem, ...]]:
    """The value as literal text (with `$$` already made `$`) and references, in order."""
    if "$" not in value:  # most values: nothing to scan
        return ((value,) if value else ()), ()
    parts, problems, _ = _scan(value, 0, inside_braces=False)
    return tuple(parts), tuple(problems)


def references(value: str) -> list[str]:
    """Every name a value reads, in order, nested ones included (problems ignored)."""
    parts, _ = split(value)
    return [n for part in parts if isinstance(part, Reference) for n in part.names()]


def problems(value: str) -> tuple[Problem, ...]:
    return split(value)[1]


def literal(value: str) -> str | None:
    """The value with `$$` made `$`, if it holds no reference (and no problem); else None."""
    parts, found = split(value)
    if found or any(isinstance(p, Reference) for p in parts):
        return None
    return "".join(parts)  # type: ignore[arg-type]


def substitute(value: str, args: dict[str, str | None]) -> str | None:
    """The value with each reference replaced as Docker would with these values (a name
    missing from `args` or without a value counts as unset); None if a name is unknown."""
    parts, found = split(value)
    if found:
        return None
    return _substitute(parts, args)


def _substitute(parts, args) -> str | None:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        if part.name not in args:
            return None
        current = args[part.name] or ""
        word = _substitute(part.word, args) if part.operator else ""
        if word is None:
            return None
        if part.operator == ":-":
            current = current or word
        elif part.operator == ":+":
            current = word if current else ""
        out.append(current)
    return "".join(out)


_SHELL_REFERENCE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)")


def shell_references(text: str) -> list[str]:
    """Names a shell command may read: every `$NAME` and `${NAME…` (`$$` is the shell's
    process id). Quoting is ignored, so this may find a name the shell would not expand;
    that only declares an ARG that was not needed."""
    names = (m.group(1) or m.group(2) for m in _SHELL_REFERENCE.finditer(text))
    return [n for n in names if n]


def exec_word(value: str) -> str:
    """A word of an exec-form command (`cmd`, `entrypoint`, `healthcheck`, `shell`) as it is
    passed on: `$$` is a literal `$`, as in every value of a .ship file; any other `$` is
    passed as is (Docker expands nothing there, a shell that reads the word may)."""
    return value.replace("$$", "$") if "$$" in value else value


def passes_dollar(value: str) -> bool:
    """Whether an exec-form word passes a `$` on that is not written `$$` (a reference a
    shell may expand; not Docker)."""
    return "$" in value.replace("$$", "")


def shell_dollar_dollars(text: str) -> list[int]:
    """Where shell text holds `$$` (not after a backslash, `\\$$`): the shell's process
    id, where the rest of a .ship file reads `$$` as a literal `$`, so it is refused."""
    found, i = [], text.find("$")
    while 0 <= i < len(text):
        if text.startswith("$$", i) and not _escaped(text, i):
            found.append(i)
            i += 2
        else:
            i += 1
        i = text.find("$", i)
    return found


def _escaped(text: str, i: int) -> bool:
    """Whether the character at `i` follows an odd number of backslashes."""
    start = i
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return (i - start) % 2 == 1


def _scan(value: str, start: int, inside_braces: bool):
    """Parts from `start` up to the end (or, inside `${…:-word}`, up to its `}`)."""
    parts: list[Part] = []
    problems: list[Problem] = []
    text: list[str] = []
    i = start
    while i < len(value):
        if not inside_braces:  # plain text runs up to the next '$', taken at once
            dollar = value.find("$", i)
            end = len(value) if dollar < 0 else dollar
            if end > i:
                text.append(value[i:end])
                i = end
                continue
        char = value[i]
        if inside_braces and char == "}":
            break
        if char != "$":
            if inside_braces and not _WORD_CHAR.fullmatch(char):
                problems.append(Problem(_word_char_message(char), i))
            text.append(char)
            i += 1
            continue
        if value.startswith("$$", i):
            text.append("$")
            i += 2
            continue
        reference, found, i = _dollar(value, i)
        problems.extend(found)
        if reference is not None:
            if text:
                parts.append("".join(text))
                text = []
            parts.append(reference)
    if text:
        parts.append("".join(text))
    return parts, problems, i


def _dollar(value: str, i: int) -> tuple[Reference | None, list[Problem], int]:
    """The reference starting at the `$` at `i`, the problems found, and where it ends."""
    name = _NAME.match(value, i + 1)
    if name and _name_goes_on(value, name.end()):
        return None, [_unicode_name(name.group(), value[name.end()], i, 1)], name.end() + 1
    if name:
        return Reference(name.group(), value[i : name.end()], i), [], name.end()
    if not value.startswith("${", i):
        return None, [_lone_dollar(value, i)], i + 1
    name = _NAME.match(value, i + 2)
    close = value.find("}", i + 2)
    if not name or close < 0:
        end = close + 1 if close >= 0 else len(value)
        message = "a reference is written ${NAME}, with a name of letters, digits and _"
        return None, [Problem(message, i, end - i)], end
    after = name.end()
    if _name_goes_on(value, after):
        end = close + 1
        return None, [_unicode_name(name.group(), value[after], i, 2)], end
    if value[after] == "}":
        return Reference(name.group(), value[i : after + 1], i), [], after + 1
    operator = value[after : after + 2]
    if operator not in OPERATORS:
        end = close + 1
        message = f"'{value[i:end]}' fails the build on Docker 20.10, which knows only :- and :+"
        hint = "use ${NAME}, ${NAME:-default} or ${NAME:+value}; change a value in a 'run' line"
        return None, [Problem(message, i, end - i, hint)], end
    word, problems, end = _scan(value, after + 2, inside_braces=True)
    if end >= len(value):
        return None, [Problem("unterminated '${': a reference is written ${NAME}", i, 2)], end
    raw = value[i : end + 1]
    return Reference(name.group(), raw, i, operator, tuple(word)), problems, end + 1


def _name_goes_on(value: str, end: int) -> bool:
    """Whether a letter or digit outside ASCII follows a name: Docker's lexer reads names
    as Unicode letters and digits, so `$HOMEé` is the (unset) variable `HOMEé`."""
    char = value[end : end + 1]
    return bool(char) and not char.isascii() and char.isalnum()


def _unicode_name(name: str, char: str, i: int, prefix: int) -> Problem:
    message = f"Docker reads '{name}{char}' as one name: it takes letters beyond ASCII into names"
    hint = f"write ${{{name}}}{char} for '{name}' followed by '{char}'"
    return Problem(message, i, prefix + len(name) + 1, hint)


def _lone_dollar(value: str, i: int) -> Problem:
    after = value[i + 1 : i + 2]
    what = f"'${after}'" if after and not after.isspace() else "a '$' on its own"
    return Problem(f"{what} is not a reference", i, 1, "write $$ for a literal '$'")


def _word_char_message(char: str) -> str:
    return f"{char!r} cannot stand inside ${{NAME:-…}}: use a plain default"

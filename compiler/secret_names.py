"""Names that look like a secret's, on args, env and labels: their values stay in the
image for anyone who has it, so a secret there is an error, unless the value is visibly
not one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import model
from .errors import Diagnostic, error, warning

# Secret-looking names. A name is read as words: split at '_', '-', '.', '/', at a change
# from lower to upper case and between letters and digits (`npmToken2` is npm, token, 2).
# These words make a name look secret; the short ones only as words of their own (KEYBOARD,
# PATH, AUTHOR are not secrets), the long ones also at the end of a word (NPMTOKEN).
_SECRET_WORDS = frozenset(
    "apikey auth credential credentials key pass passwd password passwords pat pword"
    " secret secrets token tokens passphrase".split()
)
_SECRET_ENDINGS = (
    "token tokens secret secrets password passwords passwd apikey accesskey privatekey"
    " secretkey credential credentials passphrase".split()
)
_NAME_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# Values that are visibly not a secret: a flag. Anything else could be one.
_FLAG = re.compile(r"0|1|true|false|yes|no|on|off", re.IGNORECASE)


def looks_secret(name: str) -> bool:
    """Whether a name reads as a secret's (`API_KEY`, `NPMTOKEN`, `GH_PAT`, `dbPassword`),
    unless it says it is public (`PUBLIC_KEY`)."""
    words = [w.lower() for w in _NAME_WORD.findall(name)]
    if "public" in words:
        return False
    return any(w in _SECRET_WORDS or w.endswith(tuple(_SECRET_ENDINGS)) for w in words)


def secret_names(ship: model.Ship) -> Iterator[Diagnostic]:
    """An arg, env or label named like a secret is an error, unless its value is visibly
    not a secret (a flag such as 1 or true; for env and label, also empty): then a warning.
    An arg's value comes with --build-arg, so an empty default proves nothing."""
    for arg in ship.args:
        if looks_secret(arg.name.value):
            value = arg.default.value if arg.default else None
            yield from _secret(arg.name, "arg", value, bool(value) and _FLAG.fullmatch(value))
    for stage in ship.stages:
        for pair, what in [(p, "env") for p in stage.env] + [(p, "label") for p in stage.labels]:
            if looks_secret(pair.key.value):
                flag = not pair.value.value or _FLAG.fullmatch(pair.value.value)
                kind = "env of a runtime" if what == "env" and stage.kind == "runtime" else what
                yield from _secret(pair.key, kind, pair.value.value, flag)


_SECRET_HINTS = {
    "arg": "declare 'secret {id}' in the build and read /run/secrets/{id}",
    "env": "declare 'secret {id}' in this stage and read /run/secrets/{id} in 'run'",
    "env of a runtime": "pass it when the container starts, with 'docker run -e {name}' or"
    " your orchestrator's secrets, not in the image",
    "label": "labels are public metadata of the image: keep secrets out of them",
}


def _secret(name: model.Text, what: str, value: str | None, flag: object) -> Iterator[Diagnostic]:
    kind = what.split(" ")[0]
    if flag:
        yield warning(
            f"'{name.value}' looks like a secret's name, but "
            + (f"its value '{value}' is a flag, not a secret" if value else "it is empty"),
            name.span,
            "fine as long as it never holds a secret; rename it if you can",
        )
        return
    where = "image's history" if kind == "arg" else "image"
    yield error(
        f"'{name.value}' looks like a secret, and {'an' if kind != 'label' else 'a'} {kind}"
        f" value stays in the {where}",
        name.span,
        _SECRET_HINTS[what].format(id=name.value.lower(), name=name.value),
    )

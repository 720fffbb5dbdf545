"""Foreign syntax: what people bring to a .ship file from Dockerfiles, shells, C-like
languages and word processors, recognised so that the diagnostic names the cause ("this
looks like a Dockerfile", "ship strings use double quotes") instead of a symptom ("unknown
top-level directive 'FROM'", "expected KEY=value, got 'y''").

`dockerfile` looks at a whole text, before it is parsed. `repair` looks at the words of
one statement: it reports what it recognises and returns the words as they were meant, so
the statement is still read and nothing later complains about the same mistake again.
"""

from __future__ import annotations

import dataclasses
import re

from . import syntax
from .errors import Diagnostic, Span, error

INSTRUCTIONS = frozenset(
    "FROM RUN CMD LABEL MAINTAINER EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG"
    " ONBUILD STOPSIGNAL HEALTHCHECK SHELL".split()
)


def dockerfile(text: str) -> Diagnostic | None:
    """One error for a pasted Dockerfile, at its first `FROM`: a file whose instructions
    are mostly upper-case Dockerfile instructions, one of them `FROM`."""
    first_from, instructions, lines, continued = None, 0, 0, False
    for number, line in enumerate(text.split("\n"), start=1):
        words = line.split()
        was_continued, continued = continued, line.rstrip().endswith("\\")
        if was_continued or not words or words[0].startswith("#"):
            continue
        lines += 1
        if words[0] in INSTRUCTIONS:
            instructions += 1
            if words[0] == "FROM" and first_from is None:
                column = line.index("FROM") + 1
                first_from = Span(number, column, number, column + 4)
    if first_from is None or instructions * 2 < lines:
        return None
    return error(
        "this looks like a Dockerfile: a .ship file describes the build, and ship writes the"
        " Dockerfile",
        first_from,
        "ship files use 'app NAME', then blocks such as 'build go 1.22 { … }' and"
        " 'runtime alpine 3.20 { … }' (see docs/language.md)",
    )

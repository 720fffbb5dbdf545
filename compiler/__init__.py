"""Ship: compile `.ship` files to multi-stage Dockerfiles.

The whole pipeline, one pass per module, data flowing one way:
text -> syntax tree (parse) -> typed model (interpret) -> checks (check)
     -> Dockerfile IR (lower) -> text (emit).
"""

from __future__ import annotations

import dataclasses
import posixpath

from .errors import Diagnostic, ShipErrors, sort

__version__ = "0.1.0"
__all__ = ["Compiled", "ShipErrors", "compile_source", "__version__"]


@dataclasses.dataclass(frozen=True)
class Compiled:
    """A compiled file: the Dockerfile text and the warnings met on the way."""

    dockerfile: str
    warnings: tuple[Diagnostic, ...]


def compile_source(text: str, filename: str = "<stdin>") -> Compiled:
    """Compile the text of a .ship file; raises `ShipErrors` with every diagnostic on error."""
    # Imported here so `import shipc` (for __version__, ShipErrors) does not load lark.
    from .check import check
    from .emit import emit
    from .interpret import interpret
    from .lower import lower
    from .parse import parse

    ship, diagnostics = interpret(parse(text))
    diagnostics += check(ship)
    if any(d.is_error for d in diagnostics):
        raise ShipErrors(diagnostics)
    dockerfile = emit(lower(ship, posixpath.basename(filename.replace("\\", "/"))))
    return Compiled(dockerfile, sort(diagnostics))

"""What `compile_source` returns. Its own module, loaded with the compiler: `import shipc`
must stay cheap (the up-to-date check in entry.py needs only the version)."""

from __future__ import annotations

from .record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (milliseconds)
if TYPE_CHECKING:
    from collections.abc import Mapping

    from . import ir
    from .emit import Mapped
    from .errors import Diagnostic
    from .include import Sources
    from .model import Ship
    from .resolve import Setup


@record
class Compiled:
    """A compiled file: the Dockerfile text and the warnings met on the way, and what the
    tools around the compiler read: the files read (the stamp and the depfile), the line
    map (`ship build`, `--annotate`), the decisions (`ship explain`)."""

    dockerfile: str
    warnings: tuple[Diagnostic, ...]
    sources: Sources  # every file read: `sources.inputs()` is what the output depends on
    lines: tuple[Mapped, ...] = ()  # each instruction's Dockerfile lines and .ship spans
    image: ir.Dockerfile | None = None  # the IR the text was written from
    # What the compiler decided: the model with runtimes written out, each stage's base.
    model: Ship | None = None
    setups: Mapping[str, Setup] | None = None

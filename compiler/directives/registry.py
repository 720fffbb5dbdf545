"""The one table of directives and the decorator that fills it; the stage being read,
which every directive's reader writes into."""

from __future__ import annotations

from collections.abc import Callable

from .. import model, syntax
from ..reading import Reader
from ..record import field, record
from ..values import Values


@record(frozen=False)
class StageDraft:
    """The block being read: its kind, and the fields its directives have set so far."""

    kind: str
    values: Values
    reader: Reader
    fields: dict[str, object] = field(default_factory=dict)
    # The block's base, read from its head before its body (None until then), and the
    # app's name: what `binary` builds with and names a Go program of the root package.
    base: model.Base | None = None
    app: str = ""

    def add(self, key: str, *items: object) -> None:
        """Append to a field that its directive may repeat (`steps`, `env`, …)."""
        self.fields.setdefault(key, []).extend(items)  # type: ignore[union-attr]


@record
class Rule:
    """A directive: the kinds of stage it may stand in, whether it may repeat, its reader."""

    kinds: frozenset[str]
    once: bool
    read: Callable[[StageDraft, syntax.Statement], None]
    # Said after the error for the directive where it is not allowed, and a second time
    # where it may stand once: what to write instead.
    misplaced: str = ""
    again: str = ""


# Filled by `directive` as the reader modules of this package are loaded.
DIRECTIVES: dict[str, Rule] = {}
_KINDS_OF = {f.name: f.metadata["kinds"] for f in model.stage_fields()}


def directive(name: str, field: str, once: bool = False, misplaced: str = "", again: str = ""):
    """Register a function as the reader of directive `name`. It may stand in the kinds of
    stage that may set `field` (the model's metadata says which); `misplaced` and `again`
    are the hints of the errors for it elsewhere and a second time (see `Rule`)."""

    def register(read):
        DIRECTIVES[name] = Rule(_KINDS_OF[field], once, read, misplaced, again)
        return read

    return register

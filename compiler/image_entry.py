"""A `cmd` that names the program the image's own ENTRYPOINT already runs.

The distroless language images run their interpreter as their ENTRYPOINT (nodejs:
/nodejs/bin/node; python3: the release's python; java: java -jar), so a `cmd` is its
arguments: `cmd node dist/server.js` would run `node node dist/server.js`. Which images do
so, and by what names a `cmd` may call that program, is preset data (`Variant.entrypoint`,
`Variant.interpreter`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from . import model, presets
from .errors import Diagnostic, error
from .resolve import Setup


def doubled_interpreter(stage: model.Stage, setup: Setup) -> Iterator[Diagnostic]:
    variant = setup.variant
    if (
        stage.cmd is None
        or stage.entrypoint is not None  # the stage's own replaces the image's
        or not isinstance(stage.base, model.Preset)
        or setup.runtime is None
        or variant is None
        or not variant.entrypoint
    ):
        return
    version = setup.version or ""
    entry = [presets.fill(w, version, **variant.values) for w in variant.entrypoint]
    names = {presets.fill(n, version, **variant.values) for n in variant.interpreter}
    names |= {entry[0], posixpath.basename(entry[0])}
    argv = [w.value for w in stage.cmd.argv]
    named = argv[0] in names or posixpath.basename(argv[0]) in names
    rest = argv[1:] if named else argv
    options = entry[1:]  # java's `-jar`, which the entrypoint gives already
    repeated = bool(options) and rest[: len(options)] == options
    if not (named or repeated):
        return
    rest = rest[len(options) :] if repeated else rest
    base = " ".join(w.value for w in (stage.base.name, *stage.base.variants))
    message = (
        f"'{base}' runs {' '.join(entry)} as its entrypoint, with the cmd as its arguments:"
        f" this would run {' '.join(entry)} {' '.join(argv)}"
    )
    own = " ".join([entry[0], *argv[named:]])
    replace = f"'entrypoint {own}' to replace the image's entrypoint"
    hint = f"write 'cmd {' '.join(rest)}', or {replace}" if rest else f"write {replace}"
    yield error(message, stage.cmd.argv[0].span, hint)

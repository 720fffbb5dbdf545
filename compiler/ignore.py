"""The `.dockerignore` of a compiled file (`ship compile --dockerignore`): what `docker build`
should not send, worked out from the same IR as the COPY instructions.

Listed: version control (`.git`), what each toolchain the file builds with leaves on the
host (`node_modules`, Rust's `target`, Python's `__pycache__` and `.venv`, .NET's
`bin`/`obj`, …), and the file's own `ignore` patterns. The toolchains' are made again
inside the image by the dependency install or the build; sent along, a `COPY . .` after
the install would put the host's copies (built for another system, or stale) over the
image's own.

Never listed: anything a COPY from the build context reads. A pattern that would exclude
a COPY source, or a folder holding one, is left out (one of the file's own, with a warning
at its line), so BuildKit's CopyIgnoredFile check can never fire and no COPY loses a file
it names.

Written beside the Dockerfile as `NAME.dockerignore` (for `-o NAME`), the name BuildKit
reads for a Dockerfile given with `-f NAME`, instead of the context's `.dockerignore`.
"""

from __future__ import annotations

import posixpath
import re

from . import ir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .compiled import Compiled
    from .errors import Diagnostic

DOCKERIGNORE = ("dockerignore",)  # the stamp's options: this file's digest is its own
ALWAYS = (".git",)
# What a toolchain's tools leave in a checkout, made again in the image: by toolchain name
# (presets.TOOLCHAINS; tests/test_workflow_ignore.py checks every toolchain is here).
HOST_OUTPUTS: dict[str, tuple[str, ...]] = {
    "go": (),  # no output folder of its own (vendor/ is source)
    "rust": ("target",),
    "c": (),
    "cmake": ("build",),
    "node": ("**/node_modules",),
    "bun": ("**/node_modules",),
    "deno": ("**/node_modules",),  # with a package.json or nodeModulesDir
    "python": ("**/__pycache__", "**/*.pyc", ".venv", "*.egg-info"),
    "ruby": (".bundle", "vendor/bundle"),
    "composer": ("vendor",),
    "java": ("target", "build", ".gradle"),
    "dotnet": ("**/bin", "**/obj"),
}


def dockerignore(compiled: Compiled) -> tuple[str, list[Diagnostic]]:
    """The .dockerignore text (the header of the Dockerfile, then one pattern a line), and
    a warning for each of the file's own patterns left out."""
    from .errors import warning
    from .presets import TOOLCHAINS

    names = {id(t): n for n, t in TOOLCHAINS.items()}
    used = [names[id(s.toolchain)] for s in (compiled.setups or {}).values() if s.toolchain]
    defaults = ALWAYS + tuple(p for n in used for p in HOST_OUTPUTS[n])
    sources = context_sources(compiled.image)
    kept = [p for p in dict.fromkeys(defaults) if not _copied(p, sources)]
    warnings = []
    for word in compiled.model.ignore if compiled.model is not None else ():
        if source := _copied(word.value, sources):
            message = f"'{word.value}' would leave out '{source}', which a COPY reads"
            warnings.append(warning(message, word.span, "it is not written to the .dockerignore"))
        elif word.value not in kept:
            kept.append(word.value)
    from .stamp import header as header_line  # the header, not a `# syntax=` line before it

    header = header_line(compiled.dockerfile.encode("utf-8")).decode("utf-8")
    return "\n".join([header, *kept]) + "\n", warnings


def _copied(pattern: str, sources: list[str]) -> str | None:
    """The first COPY source the pattern would exclude (an exception, `!…`, excludes none)."""
    if pattern.startswith("!"):
        return None
    return next((s for s in sources if excludes(pattern, s)), None)


def context_sources(dockerfile: ir.Dockerfile | None) -> list[str]:
    """The paths every COPY from the build context names, as docker cleans them."""
    found = []
    for stage in dockerfile.stages if dockerfile is not None else ():
        for step in stage.instructions:
            if isinstance(step, ir.Copy) and step.from_stage is None:
                found += [_clean(source) for source in step.sources]
    return found


def excludes(pattern: str, source: str) -> bool:
    """True if `pattern` (in .dockerignore's syntax) excludes `source` or a folder above it:
    a COPY of it would then find nothing."""
    if source == ".":
        return False
    regex = _regex(pattern)
    parts = source.split("/")
    return any(regex.fullmatch("/".join(parts[:n])) for n in range(1, len(parts) + 1))


def _regex(pattern: str) -> re.Pattern[str]:
    """`**` any number of folders, `*` and `?` within one name, as docker's matcher."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            char = pattern[i]
            out.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
            i += 1
    return re.compile("".join(out))


def _clean(source: str) -> str:
    cleaned = posixpath.normpath(source.lstrip("/")) if source.strip("/") else "."
    return "." if cleaned in ("", ".") else cleaned

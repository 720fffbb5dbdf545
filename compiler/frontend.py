"""The Dockerfile frontend an output needs.

ship's output builds with the frontend built into every BuildKit engine since Docker
20.10, with no image to pull: that is the default. A feature only a newer frontend reads
(`COPY --link`, a heredoc) is written only when the .ship file asks for it, and then the
output's first line is the parser directive `# syntax=docker/dockerfile:X.Y`, naming the
lowest version that has every feature used, so an older engine fetches a frontend that
reads the file instead of failing on it (`COPY --link` without the line fails on an engine
whose own frontend predates it; a heredoc is read as a broken instruction).
"""

from __future__ import annotations

from . import ir

IMAGE = "docker/dockerfile"
# What each feature needs: the first docker/dockerfile release with it (stable channel).
NEEDS = {
    "COPY --link": (1, 4),
    "a heredoc": (1, 4),
}


def features(node: ir.Instruction) -> tuple[str, ...]:
    """The features of one instruction that the built-in frontend of Docker 20.10 lacks."""
    if not isinstance(node, ir.Copy):
        return ()
    link = ("COPY --link",) if node.link else ()
    return link + (("a heredoc",) if node.text is not None else ())


def used(dockerfile: ir.Dockerfile) -> tuple[str, ...]:
    """Every such feature the Dockerfile uses, each once, in the order of its instructions."""
    nodes = (node for stage in dockerfile.stages for node in stage.instructions)
    found = (feature for node in nodes for feature in features(node))
    return tuple(dict.fromkeys(found))


def syntax(dockerfile: ir.Dockerfile) -> str | None:
    """The `syntax=` directive the Dockerfile needs (None: the built-in frontend reads it)."""
    needed = used(dockerfile)
    if not needed:
        return None
    major, minor = max(NEEDS[f] for f in needed)
    return f"syntax={IMAGE}:{major}.{minor}"

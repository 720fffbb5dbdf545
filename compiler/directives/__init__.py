"""The directives of a .ship file, read into the model's values: one reader each,
registered with `@directive`, which records the directive's name, the kinds of stage it
may stand in (those that may set its field of `model.Stage`) and whether it may repeat.
`DIRECTIVES` is the one table of them; `interpret.py` reads each block with it.

The readers, by what they read:
- `steps`: what a stage runs, in the order written, and the shell and folder it runs in;
- `files`: copies, artifacts, deps and writable folders: paths of the build context,
  images and stages;
- `binary`: the programs a build's toolchain builds, and their artifacts;
- `mounts`: secrets, ssh and caches mounted on a stage's commands;
- `image`: what a stage's image is, what is installed in it, how a build links against it;
- `container`: what only a runtime says, about the container it runs;
- `toplevel`: the lines outside blocks (not in the table: `interpret` reads them).
"""

from __future__ import annotations

# Loading each reader module registers its directives.
from . import binary, container, files, image, mounts, steps, toplevel
from .registry import DIRECTIVES, Rule, StageDraft, directive

__all__ = [
    "DIRECTIVES",
    "Rule",
    "StageDraft",
    "directive",
    "binary",
    "container",
    "files",
    "image",
    "mounts",
    "steps",
    "toplevel",
]

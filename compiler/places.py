"""Where files are in an image: paths joined to a stage's work directory, whether a path
is in a folder, and the destinations ship chooses for a copy kept in place and for an
artifact written without `->`.

Used by the checks, `lower.py` and `explain.py` once each stage's base is resolved.
"""

from __future__ import annotations

import functools
import posixpath
import re

from . import model
from .expansion import Reference, split
from .resolve import Setup, workdir_of


@functools.lru_cache(maxsize=1024)  # the same paths are asked for by check, lower, explain
def absolute(path: str, workdir: str) -> str:
    """`path` under `workdir` unless it is absolute. A path that starts with a reference
    (`${APP}/x`) is taken as absolute: `check` lets one through only if the reference's
    value is known to be absolute."""
    if starts_with_reference(path):
        return path
    joined = posixpath.join(workdir, path)
    return posixpath.normpath(joined) if "$" not in joined else _normalized(joined)


def _normalized(path: str) -> str:
    """`posixpath.normpath` for a path with references, which it would cut inside
    (`${D:-/q}/..` is not `${D:-`): `.` and `..` are resolved only between literal parts,
    since a reference's value may be several folders."""
    out: list[str] = []
    for part in _parts(path):
        if part in ("", "."):
            continue
        if part == ".." and out and out[-1] != ".." and "$" not in out[-1]:
            out.pop()
        elif not (part == ".." and not out and path.startswith("/")):  # `/..` is `/`
            out.append(part)
    lead = "/" if path.startswith("/") else ""
    return lead + "/".join(out) or "."


def _slashes(path: str) -> list[int]:
    """Where a path's `/` outside references are."""
    parts, _ = split(path)
    covered = {
        i
        for part in parts
        if not isinstance(part, str)
        for i in range(part.offset, part.offset + len(part.raw))
    }
    return [i for i, char in enumerate(path) if char == "/" and i not in covered]


def _parts(path: str) -> list[str]:
    """A path's parts between its `/` outside references."""
    cuts = [-1, *_slashes(path), len(path)]
    return [path[a + 1 : b] for a, b in zip(cuts, cuts[1:], strict=False)]


def starts_with_reference(path: str) -> bool:
    """Whether a path's first part is a `${NAME}` (absolute or relative only once it is
    substituted); `$$x` is the literal `$x`, a relative path."""
    parts, _ = split(path)
    return bool(parts) and isinstance(parts[0], Reference)


def within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def folder(path: str) -> str | None:
    """A path's folder (in .ship syntax): the text before its last `/` outside references
    (`/src/target/${PROFILE}/app` -> `/src/target/${PROFILE}`; `/x` -> `/`); None when
    every `/` is inside a reference (`${D:-/q}`), whose folder only its value says."""
    slashes = _slashes(path)
    return (path[: slashes[-1]] or "/") if slashes else None


def name(path: str) -> str:
    """A path's last part (in .ship syntax), cut as `folder` cuts it: `/out/${X:-a/b}` ->
    `${X:-a/b}`."""
    parent = folder(path)
    return path if parent is None else path[len(parent) + (parent != "/") :].lstrip("/")


def claimed_folders(folders, dests) -> list[str]:
    """The writable folders strictly inside a copy's destination (that is not itself in a
    writable folder): the copy may bring them, root's."""
    return [
        f
        for f in folders
        if any(inside(f, d) and not any(within(d, g) for g in folders) for d in dests)
    ]


def handed_folders(folders, dests, setup: Setup) -> list[str]:
    """The writable folders that ship cannot show to be new, and that no copy brings: they
    may be the base's, which the user's WORKDIR would leave as they are; a RUN hands them
    to the user."""
    claimed = claimed_folders(folders, dests)
    return [f for f in folders if f not in claimed and not new_to_base(f, setup)]


def new_to_base(folder: str, setup: Setup) -> bool:
    """Whether a runtime's base is known not to have a folder: it is under the folder the
    preset's image lacks (/app; scratch lacks everything), or outside every folder at the
    root of an image whose root ship knows (distroless: `/data`, not `/tmp`)."""
    runtime = setup.runtime
    if runtime is None or setup.from_stage is not None:
        return False  # an `image`, a build's stage: anything may be there
    if runtime.missing is not None and within(folder, runtime.missing):
        return True
    top = folder.strip("/").split("/")[0]
    return runtime.roots is not None and top != "" and top not in runtime.roots


def inside(folder: str, dest: str) -> bool:
    dest = dest.rstrip("/") or "/"
    return folder != dest and within(folder, dest)


_GLOB = frozenset("*?[")


def glob_in_folder(path: str) -> bool:
    """Whether a context path has a glob before its last part (`src/*/x.h`): its matches
    come from several folders, so no one destination keeps each in its place."""
    return bool(_GLOB & set(posixpath.dirname(posixpath.normpath(path))))


def in_place(path: str) -> str:
    """The destination that keeps a context path at the same relative place under the work
    directory, whether it names a file or a folder (Docker copies a folder's contents, so
    `COPY .mvn ./` would spill them): `.mvn` -> `./.mvn`, `sub/x` -> `./sub/x`. A glob
    copies its matches into their folder: `conf/*.xml` -> `./conf/`; `.` -> `./`."""
    normal = posixpath.normpath(path)
    if normal == ".":
        return "./"
    if _GLOB & set(name(normal)):
        parent = folder(normal)
        return f"./{parent}/" if parent else "./"
    return "./" + normal


def cache_targets(stage: model.Stage, setup: Setup) -> tuple[str, ...]:
    """The absolute cache-mount paths of a build stage: its manager's, its toolchain's
    (relative ones under the work directory) and the stage's own `cache` paths."""
    paths = list(setup.manager.caches if setup.manager else ())
    paths += setup.toolchain.caches if setup.toolchain else ()
    paths += [c.path.value for c in stage.caches]
    workdir = workdir_of(stage, setup)
    return tuple(dict.fromkeys(absolute(p, workdir) for p in paths))


# Where a program toolchain's artifacts do not go among the programs: files under these
# folders keep their path (a CA bundle, time zones, a passwd file for scratch).
SYSTEM_DATA = (
    "/etc",
    "/usr/share",
    "/usr/lib",
    "/usr/local/lib",
    "/usr/local/share",
    "/var",
    "/opt",
    "/lib",
)


_EXTENSION = re.compile(r".+\.[A-Za-z][A-Za-z0-9]{0,7}")


def unplaced_artifact(source: str) -> str | None:
    """Why ship cannot choose where an artifact of a program toolchain (go, rust, c) lands
    without `->`, or None: `folder` for a path that ends in `/` or holds a glob (not one
    program), `file` for a name with an extension (`ca.crt`, `config.json`: maybe no
    program). Files under SYSTEM_DATA keep their path and need no `->`."""
    normal = posixpath.normpath(source)
    if any(within(normal, folder) for folder in SYSTEM_DATA) and source.startswith("/"):
        return None
    last = name(normal)
    if source.endswith("/") or last in ("", ".", "..") or _GLOB & set(source):
        return "folder"
    if "/" in last:  # a reference whose value may hold a folder (`${X:-a/b}`)
        return "folder"
    return "file" if _EXTENSION.fullmatch(last) else None


def artifact_dest(stage: model.Stage, setup: Setup, artifact: model.Artifact, workdir: str) -> str:
    """Where an artifact lands in a runtime whose work directory is `workdir`: its `->`
    destination (a trailing `/` kept), else a program toolchain's folder for programs
    (`/usr/local/bin/NAME`), else the same absolute path as in the build."""
    source = absolute(artifact.source.value, workdir_of(stage, setup))
    if artifact.dest is not None:
        dest = absolute(artifact.dest.value, workdir)
        # A path that starts with a reference keeps its own `/` (`absolute` leaves it be).
        kept = artifact.dest.value.endswith("/") and not dest.endswith("/")
        return dest + "/" if kept else dest
    program_dir = setup.toolchain.artifact_dir if setup.toolchain else None
    placeable = program_dir and unplaced_artifact(artifact.source.value) is None
    if placeable and not any(within(source, folder) for folder in SYSTEM_DATA):
        return posixpath.join(program_dir, name(source))
    return source


def placed_absolute(stage: model.Stage, setup: Setup) -> bool:
    """Whether the stage's copy destinations are written out absolute (a runtime's, and
    those of a stage written out from one), so one that starts with a reference must be
    known to be absolute (paths.py)."""
    return setup.runtime is not None or stage.kind == model.RUNTIME


def leading_destinations(stage: model.Stage, setups: dict[str, Setup]) -> set[int]:
    """The ids of such a stage's copy destinations that start with a reference."""
    setup = setups.get(stage.name.value)
    if setup is None or not placed_absolute(stage, setup):
        return set()
    dests = (s.dest for s in stage.steps if isinstance(s, model.Copy) and s.dest is not None)
    return {id(d) for d in dests if starts_with_reference(d.value)}

"""Reading a source and writing a Dockerfile safely, whatever the paths point at.

A source is read only from a regular file, or from standard input (which may be a pipe),
and never more than `MAX_INPUT` bytes of it: a FIFO cannot hang ship, `/dev/zero` cannot
fill memory.

An output is written only as a regular file: an existing target that is anything else (a
device, a FIFO, a socket, a folder) is refused, even with --force, so `-o /dev/null --force`
run as root cannot replace /dev/null. A symbolic link is followed and what it points to gets
the same checks; the link stays and its target is replaced, as `>` in a shell would.
A file that already holds the bytes to write is left alone, its modification time too.
The file is written in full before it takes the target's name (a rename), so a reader never
sees half a Dockerfile, and a failed write leaves the old one and no temporary file.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable

MAX_INPUT = 4 * 1024 * 1024  # far above any hand-written file, small enough to stay fast
MAX_OUTPUT = 4 * MAX_INPUT  # what is read of an existing output to judge it
TEMP_SUFFIX = ".ship-tmp"
STALE_AFTER = 60.0  # seconds: a temporary file this old belongs to a killed run

# O_NONBLOCK: opening a FIFO must not wait for a writer (a regular file ignores the flag).
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileProblem(Exception):
    """A source that cannot be read, or an output that must not or cannot be written."""


def read_source(
    path: str, shown: str, advice: str = "give a .ship file, or '-' for standard input"
) -> bytes:
    """The bytes of the regular file at `path` (`shown` is its name for messages; `advice`
    ends the message when it is not a regular file)."""
    # stat before open: opening some devices has effects (a tape rewinds, a watchdog arms).
    _require_regular(_stat(path, shown, "read"), shown, advice)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _cannot("read", shown, exc) from None
    try:
        _require_regular(os.fstat(fd), shown, "")  # it may have been swapped since the stat
        return _read_at_most(lambda size: os.read(fd, size), shown)
    except OSError as exc:
        raise _cannot("read", shown, exc) from None
    finally:
        os.close(fd)


def read_stream(read: Callable[[int], bytes], shown: str) -> bytes:
    """The bytes of standard input (any kind of file), read through `read(size)`."""
    try:
        return _read_at_most(read, shown)
    except OSError as exc:
        raise _cannot("read", shown, exc) from None


def _read_at_most(read: Callable[[int], bytes], shown: str) -> bytes:
    """Everything `read` gives, but never more than one byte past the limit."""
    chunks, size = [], 0
    while size <= MAX_INPUT:
        chunk = read(min(1 << 16, MAX_INPUT + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise FileProblem(f"{shown}: input is larger than {MAX_INPUT >> 20} MiB")


def write_output(
    path: str, shown: str, data: bytes, refuse: Callable[[bytes], str | None] | None
) -> bool:
    """Put `data` at `path` in one step; False if the file already held exactly `data`,
    which is then left alone, its modification time too (so Make rebuilds nothing after
    it). An existing file is replaced only if `refuse(its bytes)` gives no reason not to
    (None: always, that is --force)."""
    target = _target(path, shown)
    if os.path.lexists(target):
        existing = _existing(target, shown, len(data))
        if existing == data:
            return False
        reason = refuse(existing) if refuse is not None else None
        if reason:
            raise FileProblem(f"{shown} {reason}")
    directory, name = os.path.split(target)
    _remove_stale(directory or ".", name)
    try:
        _replace(directory or ".", name, data)
    except OSError as exc:
        raise _cannot("write", shown, exc) from None
    return True


def read_existing(path: str, shown: str) -> bytes | None:
    """The bytes of the output at `path` (None if there is none), read with the checks a
    write makes: a symbolic link is followed, anything but a regular file is refused."""
    target = _target(path, shown)
    return _existing(target, shown, 0) if os.path.lexists(target) else None


def _target(path: str, shown: str) -> str:
    """Where to write: the path with symbolic links followed, if it may be replaced."""
    try:
        status = os.stat(path)  # follows links, /dev/stdout's too
    except FileNotFoundError:
        if os.path.islink(path):
            raise FileProblem(
                f"{shown} is a symbolic link to a missing file; not following it"
            ) from None
        return path
    except OSError as exc:
        raise _cannot("write", shown, exc) from None
    advice = "ship writes only regular files, or standard output with '-o -'"
    _require_regular(status, shown, advice)
    return os.path.realpath(path)


def _existing(path: str, shown: str, size: int) -> bytes:
    """The bytes of the regular file at `path`, read to `MAX_OUTPUT` bytes or one byte more
    than `size`, whichever is more: enough to compare it with `size` bytes and to judge a
    file ship wrote, never a whole disk image that `-o` was pointed at."""
    try:
        fd = os.open(path, _OPEN_FLAGS | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise _cannot("read", shown, exc) from None
    try:
        _require_regular(os.fstat(fd), shown, "")
        limit, chunks, total = max(size + 1, MAX_OUTPUT), [], 0
        while total < limit and (chunk := os.read(fd, min(1 << 16, limit - total))):
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise _cannot("read", shown, exc) from None
    finally:
        os.close(fd)


def _replace(directory: str, name: str, data: bytes) -> None:
    """Write a complete file, then give it the name. Linux: as an unnamed file (O_TMPFILE)
    that gets a name only once written, so a crash mid-write leaves nothing behind."""
    fd = _unnamed_file(directory)
    if fd is None:
        _replace_through_named_file(directory, name, data)
        return
    try:
        _fill(fd, data)
        _link(fd, directory, name)
    finally:
        os.close(fd)


def _unnamed_file(directory: str) -> int | None:
    """An O_TMPFILE descriptor in `directory`, or None where that is not supported (not
    Linux, no /proc to link it through, a file system without it)."""
    if not hasattr(os, "O_TMPFILE") or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(directory, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None
        raise


def _link(fd: int, directory: str, name: str) -> None:
    """Name the unnamed file: straight at the target if there is none (nothing left over
    even if killed), else under a temporary name then renamed over it, since link(2)
    cannot replace a file. Only a kill between those two calls leaves a temporary file,
    which the next write to the target removes (see `_remove_stale`)."""
    # linkat(AT_SYMLINK_FOLLOW) on /proc/self/fd/N names the open file itself; os.link
    # calls linkat with that flag only when given a directory descriptor.
    source = f"/proc/self/fd/{fd}"
    folder = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
    try:
        try:
            os.link(source, name, dst_dir_fd=folder, follow_symlinks=True)
            return
        except FileExistsError:
            pass
        temporary = f".{name}.{os.urandom(4).hex()}{TEMP_SUFFIX}"
        os.link(source, temporary, dst_dir_fd=folder, follow_symlinks=True)
        try:
            os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            _unlink(os.path.join(directory, temporary))
            raise
    finally:
        os.close(folder)


def _replace_through_named_file(directory: str, name: str, data: bytes) -> None:
    """The portable way: a temporary file beside the target, renamed over it."""
    import tempfile  # here: this module is on the up-to-date path, which must start fast

    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=TEMP_SUFFIX, dir=directory)
    try:
        _fill(fd, data)
        os.close(fd)
        fd = -1
        os.replace(temporary, os.path.join(directory, name))
    except BaseException:
        if fd != -1:
            os.close(fd)
        _unlink(temporary)
        raise


def _fill(fd: int, data: bytes) -> None:
    """Write all of `data` and make it durable before the file gets its name, so a crash
    cannot leave an empty Dockerfile where the old one was."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o644)
    os.fsync(fd)


def _remove_stale(directory: str, name: str) -> None:
    """Remove this target's temporary files left by a killed run. A fresh one may be a
    concurrent run's, about to be renamed: it is left alone."""
    prefix, now = f".{name}.", time.time()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return  # the write itself will say what is wrong with the folder
    for entry in entries:
        if entry.name.startswith(prefix) and entry.name.endswith(TEMP_SUFFIX):
            try:
                old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
                if old and entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
            except OSError:
                pass


def _stat(path: str, shown: str, verb: str) -> os.stat_result:
    try:
        return os.stat(path)
    except FileNotFoundError:
        raise FileProblem(f"no such file: {shown}") from None
    except OSError as exc:
        raise _cannot(verb, shown, exc) from None


def _require_regular(status: os.stat_result, shown: str, advice: str) -> None:
    if stat.S_ISREG(status.st_mode):
        return
    kind = next((k for test, k in _KINDS if test(status.st_mode)), "not a file")
    raise FileProblem(f"{shown} is {kind}, not a regular file" + (f"; {advice}" if advice else ""))


def _cannot(verb: str, shown: str, exc: OSError) -> FileProblem:
    return FileProblem(f"cannot {verb} {shown}: {exc.strerror or exc}")


def _unlink(path: str) -> None:
    import contextlib  # here: only after a failed write (this module is on the fast paths)

    with contextlib.suppress(OSError):
        os.unlink(path)

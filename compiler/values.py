"""Validating values, with positioned errors: `Values` checks each kind of value (ports,
users, paths, package names, …) where it stands, so every message points at the word at
fault. (Reading a directive's words is `reading.py`'s job; collecting the diagnostics,
`errors.Collector`'s.)
A value holding `${NAME}` references is checked with each reference standing for a value of
the allowed shape (`user ${U}:1000` as `0:1000`), so no reference can smuggle text into
another part of the instruction; `variables.py` checks the references themselves and, where
an arg's default is known, the value it gives. All digit and name classes are ASCII: Docker
reads only ASCII digits in ports, users and durations.
"""

from __future__ import annotations

import posixpath
import re

from . import model
from .errors import Collector, did_you_mean, warning
from .expansion import Reference, split

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STAGE_NAME = re.compile(r"[a-z][a-z0-9_.-]*")
_VERSION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_IMAGE = re.compile(
    r"[a-z0-9][a-z0-9._:/-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?"
)
_EXTENSION = re.compile(r"[a-z][a-z0-9_]*(?:=[0-9][A-Za-z0-9.]*)?")
_EXTENSION_OPTION = re.compile(r"--[a-z][a-z0-9-]*(?:=[A-Za-z0-9_./+,:-]*)?")
_PACKAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9+._-]*(?:=[A-Za-z0-9+.:~_-]+)?")
_SECRET_ID = re.compile(r"[A-Za-z0-9_.-]+")
_USER = re.compile(r"[0-9]+(?::[0-9]+)?")
MAX_ID = 4294967294  # uid_t is 32-bit; (uid_t)-1 means "no change" to setuid
# A user the base's /etc/passwd defines: written out, checked against the base (check.py).
USER_NAME = re.compile(r"[a-z_][a-z0-9_-]*")
_PORT = re.compile(r"([0-9]+)(?:-([0-9]+))?(?:/([A-Za-z]+))?")  # a range: FIRST-LAST
_COUNT = re.compile(r"[0-9]+")
# Label keys: what OCI and reverse-DNS keys use. No '=', quotes or spaces, and no leading
# '-', which Docker would read as a flag of LABEL.
_LABEL_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]*")
# A version written like a Git tag: official images have none (`golang:1.22`, not `v1.22`).
_DIGEST = re.compile(r"@sha256:[0-9a-f]{64}")
_V_VERSION = re.compile(r"v([0-9][A-Za-z0-9_.-]*)")
# A path in a `--mount` option. BuildKit reads flags byte by byte: a blank, a comma, a quote
# or a byte outside ASCII would end the path or start another option, so only these.
MOUNT_PATH = re.compile(r"[A-Za-z0-9._/@+~%:-]+")


def shape(value: str, placeholder: str) -> str | None:
    """The value with each reference replaced by `placeholder`, a value of the shape the
    reference must stand for; None if a `$` in it is not a reference (`variables.py` says
    why). `$$` comes out as `$`, which no check below lets through."""
    parts, problems = split(value)
    if problems:
        return None
    return "".join(placeholder if isinstance(p, Reference) else p for p in parts)


class Values(Collector):
    """Checks each kind of value where it stands; every problem is collected (it is a
    `Collector`), each method says whether the value passed."""

    def label_key(self, key: str, word: model.Text) -> bool:
        if _LABEL_KEY.fullmatch(key):
            return True
        return self.fail(
            f"invalid label key '{key}': use letters, digits, '.', '-', '_' and '/', not"
            " starting with '-', '.' or '/'",
            word.span,
            "for example org.opencontainers.image.source",
        )

    def identifier(self, name: str, word: model.Text, what: str) -> bool:
        if _IDENTIFIER.fullmatch(name):
            return True
        return self.fail(
            f"'{name}' is not a valid {what} name"
            " (letters, digits and _, not starting with a digit)",
            word.span,
        )

    def stage_name(self, name: model.Text) -> bool:
        if _STAGE_NAME.fullmatch(name.value):
            return True
        hint = (
            f"write '{name.value.lower()}'" if _STAGE_NAME.fullmatch(name.value.lower()) else None
        )
        return self.fail(
            f"invalid stage name '{name.value}': use lower-case letters, digits, '_', '.' and"
            " '-', starting with a letter",
            name.span,
            hint,
        )

    def image_ref(self, ref: model.Text) -> bool:
        """`name[:tag][@digest]`; a reference may stand for a part of a name or a tag."""
        value = shape(ref.value, "x")
        if value is None:
            return True
        if not _IMAGE.fullmatch(value):
            return self.fail(
                f"invalid image reference '{ref.value}'",
                ref.span,
                "write it as name[:tag][@sha256:digest], in lower case",
            )
        if value == ref.value:  # else pinned or not depends on the args (variables.py)
            self._pinned(ref)
        return True

    def _pinned(self, ref: model.Text) -> None:
        last = ref.value.rsplit("/", 1)[-1]
        if ":" not in last and "@" not in last:
            message = f"image '{ref.value}' is not pinned to a tag or digest"
            self.report(warning(message, ref.span, "write NAME:TAG or NAME@sha256:…"))
        elif last.partition("@")[0].endswith(":latest") and "@" not in last:
            self._latest(ref, "image", "write NAME:TAG with the version you tested, or a digest")

    def digest(self, word: model.Text) -> bool:
        """`@sha256:` and 64 hex digits, after a preset: pins its image, tag kept."""
        if _DIGEST.fullmatch(word.value):
            return True
        return self.fail(
            f"invalid digest '{word.value}': a digest is '@sha256:' and 64 hex digits",
            word.span,
            "copy it from 'docker buildx imagetools inspect IMAGE' (the manifest list's"
            " digest), with the '@'",
        )

    def version(self, word: model.Text) -> bool:
        """A preset's version: an image tag, of an official image (which has no 'v' tags)."""
        value = shape(word.value, "x")
        if value is None:
            return True
        if not _VERSION.fullmatch(value):
            return self.fail(
                f"invalid version '{word.value}': an image tag is letters, digits, '_', '.'"
                " and '-'",
                word.span,
            )
        if value == "latest":
            self._latest(word, "version", "write the version you tested, e.g. '1.22'")
        elif v_version := _V_VERSION.fullmatch(value):
            return self.fail(
                f"invalid version '{word.value}' (did you mean '{v_version.group(1)}'?)",
                word.span,
                "official images tag versions without a 'v'",
            )
        return True

    def _latest(self, word: model.Text, what: str, hint: str) -> None:
        message = (
            f"{what} '{word.value}' is not pinned: the 'latest' tag moves with each release,"
            " so the build changes under you"
        )
        self.report(warning(message, word.span, hint))

    def context_path(self, path: model.Text) -> bool:
        if not self.copy_path(path, "a path in the build context"):
            return False
        value = shape(path.value, "x")
        if value is None:
            return True
        if value.startswith("/") or value == ".." or value.startswith("../") or "/../" in value:
            return self.fail(
                f"'{path.value}' is outside the build context: use a path relative to it",
                path.span,
            )
        return True

    def copy_path(self, path: model.Text, what: str) -> bool:
        """A path COPY reads: no leading '-' (COPY would take it for its option) and no
        backslash (COPY's patterns read it as an escape: `a\\b` would be `ab`)."""
        if path.value.startswith("-"):
            return self.fail(
                f"{what} cannot start with '-': COPY would read '{path.value}' as its option",
                path.span,
                f"if it is a file, write './{path.value}'; ship has no COPY options",
            )
        if "\\" in path.value:
            return self.fail(
                f"{what} cannot hold a backslash: COPY reads it as an escape", path.span
            )
        return True

    def absolute(self, path: model.Text, what: str) -> bool:
        value = shape(path.value, "/x")
        if value is None or value.startswith("/"):
            return True
        written = posixpath.normpath("/" + path.value)
        return self.fail(
            f"{what} must be an absolute path, got '{path.value}'",
            path.span,
            f"write '{written}'" if written != "/" else None,
        )

    def mount_path(self, path: model.Text, what: str) -> bool:
        """A path inside `RUN --mount=…`: literal (Docker 20.10 does not expand ${…} there)
        and free of the characters that separate mount options."""
        if "$" in path.value:
            return self.fail(
                f"{what} cannot use variables: Docker does not expand them in --mount options",
                path.span,
            )
        if not MOUNT_PATH.fullmatch(path.value):
            return self.fail(
                f"{what} '{path.value}' may hold only ASCII letters, digits and . _ / @ + ~ % : -",
                path.span,
                "Docker reads --mount options byte by byte: a blank, comma, '=', quote,"
                " backslash or non-ASCII letter would end the path or add an option",
            )
        return True

    def cache_id(self, word: model.Text) -> bool:
        """A cache mount's id, literal (Docker 20.10 expands nothing in `--mount`)."""
        if MOUNT_PATH.fullmatch(word.value):
            return True
        if "$" in word.value:
            return self.fail(
                f"a cache id cannot read a variable: '{word.value}'",
                word.span,
                "Docker 20.10 does not expand variables in --mount options, so every build (and"
                " every platform) would share the id as written: write it out",
            )
        return self.fail(
            f"'{word.value}' cannot be a cache id",
            word.span,
            "ASCII letters, digits and . _ / @ + ~ % : - only",
        )

    def secret_id(self, word: model.Text) -> bool:
        if _SECRET_ID.fullmatch(word.value):
            return True
        return self.fail(
            f"invalid secret id '{word.value}': use letters, digits, '_', '.' and '-'", word.span
        )

    def choice(self, word: model.Text, choices: tuple[str, ...], directive: str) -> bool:
        if word.value in choices:
            return True
        known = " or ".join(choices)
        return self.fail(
            f"'{directive}' takes {known}, not '{word.value}'{did_you_mean(word.value, choices)}",
            word.span,
        )

    def package(self, word: model.Text) -> bool:
        if _PACKAGE.fullmatch(word.value):
            return True
        if "$" in word.value:
            return self.fail(
                f"'{word.value}': a package is written out, its name and version as they are"
                " installed; a reference in 'packages' would not be expanded",
                word.span,
                "write the version itself ('curl=8.5.0-r0'), or install it in a 'run' line,"
                " where the shell expands ${NAME}",
            )
        return self.fail(f"invalid package '{word.value}': write NAME or NAME=VERSION", word.span)

    def extension(self, word: model.Text, previous: str | None) -> bool:
        """A NAME, NAME=VERSION or, after a bundled NAME (`previous`), an option for its
        configure step."""
        if word.value.startswith("--"):
            if not _EXTENSION_OPTION.fullmatch(word.value):
                return self.fail(
                    f"invalid extension option '{word.value}': write --NAME or --NAME=VALUE",
                    word.span,
                )
            if previous is None or "=" in previous:
                return self.fail(
                    f"'{word.value}' configures the extension before it, and there is none"
                    " built from the sources there",
                    word.span,
                    "write it after a bundled extension's name: 'extensions gd --with-jpeg'",
                )
            return True
        if _EXTENSION.fullmatch(word.value):
            return True
        return self.fail(
            f"invalid extension '{word.value}': write NAME (bundled with the language) or"
            " NAME=VERSION (from its registry, e.g. PECL)",
            word.span,
        )

    def user(self, word: model.Text) -> bool:
        value = shape(word.value, "0")
        if value is not None and _USER.fullmatch(value):
            too_big = [n for n in value.split(":") if int(n) > MAX_ID]
            if not too_big:
                return True
            return self.fail(
                f"{too_big[0]} is above the highest user or group id, {MAX_ID}",
                word.span,
                "the ids of Linux are 32-bit numbers, and 4294967295 means 'no id'",
            )
        if value is None:
            return True
        hint = (
            "write UID[:GID], or a name the base defines ('user node' on node); the default"
            " is 65532:65532"
        )
        return self.fail(
            f"user must be numeric, UID or UID:GID, not '{word.value}'", word.span, hint
        )

    def port(self, word: model.Text) -> bool:
        value = shape(word.value, "1")
        if value is None:
            return True
        match = _PORT.fullmatch(value)
        if not match:
            return self.fail(
                f"invalid port '{word.value}': write PORT or a range FIRST-LAST, then /tcp,"
                " /udp or nothing (tcp)",
                word.span,
            )
        first, last, protocol = match.groups()
        for number in (int(first), int(last or first)):
            if not 1 <= number <= 65535:
                return self.fail(f"port {number} is out of range (1-65535)", word.span)
        # a reference stands for a number not known here: its order is checked once the
        # args' defaults are filled in (expanded_values.py)
        literal = shape(word.value, "2") == value
        if literal and int(last or first) < int(first):
            return self.fail(
                f"the port range '{first}-{last}' ends before it starts",
                word.span,
                f"write '{last}-{first}'",
            )
        if protocol is not None and protocol not in ("tcp", "udp"):
            fix = f" (write '{protocol.lower()}')" if protocol.lower() in ("tcp", "udp") else ""
            return self.fail(f"unknown protocol '{protocol}': use tcp or udp{fix}", word.span)
        return True

    def health_option(self, word: model.Text, kind: str, duration: re.Pattern[str]) -> bool:
        key, _, value = word.value.partition("=")
        if kind == "count" and _COUNT.fullmatch(value) and int(value) > 0:
            return True
        if kind == "duration" and duration.fullmatch(value):
            return True
        expected = (
            "a whole number above 0"
            if kind == "count"
            else "a duration such as 30s, 1m30s or 500ms"
        )
        return self.fail(f"healthcheck {key} must be {expected}, not '{value}'", word.span)

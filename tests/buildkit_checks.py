"""BuildKit build checks, re-implemented for Dockerfile text.

A Docker 20.10 engine cannot run ``docker build --check``, so the tests check the rules here,
on top of the official Go parser (PyPI ``dockerfile``: ``dockerfile.parse_string``). The rules
follow https://docs.docker.com/reference/build-checks/ and BuildKit's own implementation
(frontend/dockerfile/dockerfile2llb/convert.go, instructions/parse.go, shell/lex.go):

    StageNameCasing, FromAsCasing, DuplicateStageName, ReservedStageName,
    JSONArgsRecommended, LegacyKeyValueFormat, UndefinedVar, UndefinedArgInFrom,
    WorkdirRelativePath, MultipleInstructionsDisallowed, SecretsUsedInArgOrEnv,
    ExposeProtoCasing, ExposeInvalidFormat, NoEmptyContinuation,
    ConsistentInstructionCasing, RedundantTargetPlatform

``check_dockerfile(text)`` returns a sorted list of ``Finding(rule, line, message)``; ``line``
is the 1-based line where BuildKit reports it (the instruction's first line; for
NoEmptyContinuation the instruction's last line; for MultipleInstructionsDisallowed the
earlier, ignored instruction), and messages use BuildKit's wording.

Choices where BuildKit needs information a text checker does not have, or where we are stricter:

* UndefinedVar. Checked in the instructions BuildKit expands: ENV, ARG (defaults), WORKDIR,
  COPY/ADD (sources, destination and flag values), LABEL, USER, VOLUME, STOPSIGNAL, and also
  EXPOSE (BuildKit expands it without reporting; we report). Never RUN/CMD/ENTRYPOINT/SHELL/
  HEALTHCHECK text (the shell expands those). Not ONBUILD: its trigger is expanded in the
  child build that uses the image, so the current stage's scope says nothing about it.
  A name is defined when, before the instruction, the stage (or an ancestor stage of this
  file that it is built FROM) declares it with ARG or ENV; global ARGs and the predefined
  args (TARGETARCH, BUILDPLATFORM, HTTP_PROXY, ...) count only once re-declared with ``ARG``
  inside the stage, as in BuildKit. ``ENV A=1 B=$A`` on one line sees the old A (Docker
  semantics); ``ARG A=1 B=$A`` sees the new one. Every referenced name counts, even with a
  default (``${X:-d}`` still reports X), as BuildKit does.
  The environment of an external base image is unknown: PATH is always defined (BuildKit
  sets it when a base lacks it), and names that the official image of that repository sets
  are accepted (``BASE_IMAGE_ENV``: e.g. GOPATH for golang, CARGO_HOME for rust); anything
  else from a base image is reported. Pass ``base_env`` to extend that table.
* ConsistentInstructionCasing and SecretsUsedInArgOrEnv also look at global ARGs (before the
  first FROM), which BuildKit skips: stricter, never looser.
* DuplicateStageName compares names case-insensitively (BuildKit resolves stage names
  case-insensitively, so ``Build`` and ``build`` clash anyway).
* WorkdirRelativePath and EXPOSE checks expand variables from known ARG/ENV values; when a
  value is unknown (ARG without default, base image env), the word is not judged.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Iterable, Optional

import dockerfile

__all__ = ["Finding", "check_dockerfile", "RULES", "BASE_IMAGE_ENV"]

RULES = (
    "StageNameCasing", "FromAsCasing", "DuplicateStageName", "ReservedStageName",
    "JSONArgsRecommended", "LegacyKeyValueFormat", "UndefinedVar", "UndefinedArgInFrom",
    "WorkdirRelativePath", "MultipleInstructionsDisallowed", "SecretsUsedInArgOrEnv",
    "ExposeProtoCasing", "ExposeInvalidFormat", "NoEmptyContinuation",
    "ConsistentInstructionCasing", "RedundantTargetPlatform",
)


@dataclasses.dataclass(frozen=True, order=True)
class Finding:
    rule: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.rule}: {self.message}"


# Environment set by the official images of these repositories (last path component of the
# image name), so that referencing them is not an undefined variable.
BASE_IMAGE_ENV: dict[str, frozenset[str]] = {
    "golang": frozenset({"GOLANG_VERSION", "GOPATH", "GOTOOLCHAIN"}),
    "rust": frozenset({"RUSTUP_HOME", "CARGO_HOME", "RUST_VERSION"}),
    "python": frozenset({"LANG", "GPG_KEY", "PYTHON_VERSION", "PYTHON_SHA256",
                         "PYTHON_PIP_VERSION", "PYTHON_SETUPTOOLS_VERSION",
                         "PYTHON_GET_PIP_URL", "PYTHON_GET_PIP_SHA256"}),
    "node": frozenset({"NODE_VERSION", "YARN_VERSION"}),
    "gcc": frozenset({"GPG_KEYS", "GCC_MIRRORS", "GCC_VERSION"}),
    "maven": frozenset({"MAVEN_HOME", "MAVEN_CONFIG", "JAVA_HOME", "JAVA_VERSION", "LANG",
                        "LANGUAGE", "LC_ALL"}),
    "gradle": frozenset({"GRADLE_HOME", "GRADLE_VERSION", "JAVA_HOME", "JAVA_VERSION", "LANG",
                         "LANGUAGE", "LC_ALL"}),
    "eclipse-temurin": frozenset({"JAVA_HOME", "JAVA_VERSION", "LANG", "LANGUAGE", "LC_ALL"}),
    "openjdk": frozenset({"JAVA_HOME", "JAVA_VERSION", "LANG"}),
    "ruby": frozenset({"LANG", "RUBY_VERSION", "RUBY_DOWNLOAD_SHA256", "GEM_HOME",
                       "BUNDLE_SILENCE_ROOT_WARNING", "BUNDLE_APP_CONFIG"}),
    "php": frozenset({"PHPIZE_DEPS", "PHP_INI_DIR", "PHP_VERSION", "PHP_CFLAGS", "PHP_CPPFLAGS",
                      "PHP_LDFLAGS", "GPG_KEYS", "PHP_URL", "PHP_ASC_URL", "PHP_SHA256"}),
    "dotnet/sdk": frozenset({"DOTNET_VERSION", "ASPNET_VERSION", "DOTNET_SDK_VERSION",
                             "NUGET_XMLDOC_MODE", "DOTNET_RUNNING_IN_CONTAINER",
                             "DOTNET_USE_POLLING_FILE_WATCHER", "APP_UID"}),
    "static-debian12": frozenset({"SSL_CERT_FILE"}),
    "cc-debian12": frozenset({"SSL_CERT_FILE"}),
    "nodejs18-debian12": frozenset({"SSL_CERT_FILE"}),
}
ALWAYS_DEFINED = frozenset({"PATH"})

# Predefined global args, usable in FROM without a declaration.
PREDEFINED_FROM_ARGS = frozenset({
    "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
})
NON_ENV_ARGS = frozenset({"BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"})
RESERVED_STAGE_NAMES = frozenset({"scratch", "context"})
ONCE_PER_STAGE = ("CMD", "ENTRYPOINT", "HEALTHCHECK")

_SECRET_TOKENS = ("apikey", "auth", "credential", "credentials", "key", "password", "pword",
                  "passwd", "secret", "token")
_SECRET_DENY = re.compile(r"(?i)(?:_|^)(?:" + "|".join(_SECRET_TOKENS) + r")(?:_|$)")
_SECRET_ALLOW = re.compile(r"(?i)(?:_|^)(?:public)(?:_|$)")


# --------------------------------------------------------------------------- word expansion

class _Lexer:
    """A port of the parts of BuildKit's shell/lex.go that matter for checks: it finds every
    variable a word references (``matched``/``unmatched``) and expands it when it can."""

    def __init__(self, escape: str, env: dict[str, Optional[str]]):
        self.escape = escape
        self.env = env  # name -> value, or None when defined but the value is unknown
        self.refs: set[str] = set()
        self.unmatched: set[str] = set()
        self.unknown = False

    def expand(self, word: str) -> Optional[str]:
        self.pos, self.s = 0, word
        try:
            out = self._process(stop=None)
        except (IndexError, ValueError):
            return None
        return None if self.unknown else out

    # -- scanning helpers
    def _peek(self) -> str:
        return self.s[self.pos] if self.pos < len(self.s) else ""

    def _next(self) -> str:
        ch = self._peek()
        self.pos += 1
        return ch

    def _get(self, name: str) -> tuple[str, bool]:
        self.refs.add(name)
        if name in self.env:
            v = self.env[name]
            if v is None:
                self.unknown = True
                return "", True
            return v, True
        self.unmatched.add(name)
        return "", False

    def _process(self, stop: Optional[str]) -> str:
        out = []
        while self.pos < len(self.s):
            ch = self._peek()
            if stop is not None and ch == stop:
                self._next()
                return "".join(out)
            if ch == "'":
                self._next()
                while self._peek() not in ("'", ""):
                    out.append(self._next())
                self._next()
            elif ch == '"':
                self._next()
                while self._peek() not in ('"', ""):
                    c = self._peek()
                    if c == "$":
                        out.append(self._dollar())
                    elif c == self.escape:
                        self._next()
                        if self._peek() in ('"', "$", self.escape):
                            out.append(self._next())
                        else:
                            out.append(c)
                    else:
                        out.append(self._next())
                self._next()
            elif ch == "$":
                out.append(self._dollar())
            elif ch == self.escape:
                self._next()
                if self._peek():
                    out.append(self._next())
            else:
                out.append(self._next())
        if stop is not None:
            raise ValueError("missing " + stop)
        return "".join(out)

    def _name(self) -> str:
        start = self.pos
        if self._peek().isdigit():
            while self._peek().isdigit():
                self._next()
            return self.s[start:self.pos]
        if self._peek() and self._peek() in "@*#?-$!0":
            return self._next()
        while self._peek() and (self._peek().isalnum() or self._peek() == "_"):
            self._next()
        return self.s[start:self.pos]

    def _dollar(self) -> str:
        self._next()  # $
        if self._peek() != "{":
            name = self._name()
            if not name:
                return "$"
            return self._get(name)[0]
        self._next()  # {
        if self._peek() in ("", "{", "}", ":"):
            raise ValueError("bad substitution")
        name = self._name()
        ch = self._next()
        if ch == "}":
            return self._get(name)[0]
        null_is_unset = False
        if ch == ":":
            null_is_unset = True
            ch = self._next()
        if ch and ch in "+-?#%":
            word = self._process(stop="}")
            value, is_set = self._get(name)
            if ch == "-":
                return word if (not is_set or (null_is_unset and value == "")) else value
            if ch == "+":
                return "" if (not is_set or (null_is_unset and value == "")) else word
            if ch == "?":
                return value
            self.unknown = True  # pattern trimming: not evaluated here
            return ""
        if ch == "/":
            if self._peek() == "/":
                self._next()
            self._process(stop="/")
            self._process(stop="}")
            self._get(name)
            self.unknown = True  # pattern replacement: not evaluated here
            return ""
        raise ValueError("unsupported modifier")


def _lex(word: str, env: dict[str, Optional[str]], escape: str) -> tuple[Optional[str], set[str], set[str]]:
    """Expand ``word``: (result or None if unknown, referenced names, undefined names)."""
    lx = _Lexer(escape, env)
    result = lx.expand(word)
    return result, lx.refs, lx.unmatched


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _suggest(name: str, options: Iterable[str]) -> Optional[str]:
    """BuildKit's util/suggest: the first option at Levenshtein distance < 3 (the closest)."""
    best, mindist = None, 3
    for opt in sorted(options):
        if opt == name:
            return None
        d = _levenshtein(name, opt)
        if d < mindist:
            best, mindist = opt, d
    return best


# --------------------------------------------------------------------------- instruction parsing

def _keyword(original: str) -> str:
    return original.split(None, 1)[0] if original.strip() else ""


def _rest_after_keyword(original: str) -> str:
    parts = original.split(None, 1)
    return parts[1] if len(parts) > 1 else ""


def _strip_flags(rest: str) -> str:
    while rest.startswith("--"):
        parts = rest.split(None, 1)
        rest = parts[1] if len(parts) > 1 else ""
    return rest


def _is_legacy_kv(original: str) -> bool:
    """ENV/LABEL in the legacy ``KEY value`` form: the first word has no '='."""
    rest = _strip_flags(_rest_after_keyword(original)).strip()
    if not rest:
        return False
    first = rest.split(None, 1)[0]
    return "=" not in first


def _kv_pairs(c) -> list[tuple[str, str]]:
    vals = list(c.value)
    if _is_legacy_kv(c.original):
        return [(vals[0], " ".join(vals[1:]))] if vals else []
    return [(vals[i], vals[i + 1] if i + 1 < len(vals) else "") for i in range(0, len(vals), 2)]


def _arg_defs(c) -> list[tuple[str, Optional[str]]]:
    out = []
    for item in c.value:
        if "=" in item:
            k, v = item.split("=", 1)
            out.append((k, v))
        else:
            out.append((item, None))
    return out


def _escape_token(text: str) -> str:
    for line in text.splitlines():
        s = line.strip()
        if not s.startswith("#"):
            break
        m = re.match(r"#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$", s)
        if not m:
            break
        if m.group(1).lower() == "escape" and m.group(2) in ("\\", "`"):
            return m.group(2)
    return "\\"


def _image_repo(image: str) -> str:
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    return name


# --------------------------------------------------------------------------- stages

@dataclasses.dataclass
class _Stage:
    name: Optional[str]          # as written (None if unnamed)
    line: int
    env: dict[str, Optional[str]]  # defined names -> value (None = unknown)
    shell_set: bool = False
    workdir_set: bool = False


def check_dockerfile(text: str, base_env: Optional[dict[str, Iterable[str]]] = None) -> list[Finding]:
    """Run the BuildKit build checks on Dockerfile ``text``; returns sorted findings."""
    cmds = dockerfile.parse_string(text)
    escape = _escape_token(text)
    lines = text.splitlines()
    known_base = dict(BASE_IMAGE_ENV)
    for k, v in (base_env or {}).items():
        known_base[k] = frozenset(known_base.get(k, frozenset())) | frozenset(v)

    findings: list[Finding] = []

    def add(rule: str, line: int, message: str) -> None:
        findings.append(Finding(rule, line, message))

    _check_empty_continuations(cmds, lines, escape, add)
    _check_casing(cmds, add)

    meta_args: dict[str, Optional[str]] = {}
    stages_by_name: dict[str, _Stage] = {}
    stage: Optional[_Stage] = None
    once: dict[str, int] = {}

    for c in cmds:
        kw = c.cmd.upper()
        if kw == "FROM":
            stage, once = _start_stage(c, meta_args, stages_by_name, known_base, escape, add), {}
            continue
        if stage is None:  # before the first FROM: only ARG is allowed
            if kw == "ARG":
                for key, value in _arg_defs(c):
                    _check_secret("ARG", key, c.start_line, add)
                    if value is not None:
                        value, _, _ = _lex(value, meta_args, escape)
                    meta_args[key] = value
            continue

        if kw in ONCE_PER_STAGE:
            if kw in once:
                add("MultipleInstructionsDisallowed", once[kw],
                    f"Multiple {_keyword(c.original)} instructions should not be used in the same "
                    "stage because only the last one will be used")
            once[kw] = c.start_line

        if kw in ("CMD", "ENTRYPOINT") and not c.json and not stage.shell_set:
            add("JSONArgsRecommended", c.start_line,
                f"JSON arguments recommended for {_keyword(c.original)} to prevent unintended "
                "behavior related to OS signals")

        def undefined(words: Iterable[str], env=None) -> list[Optional[str]]:
            env = stage.env if env is None else env
            results, missing = [], set()
            for w in words:
                r, _, unmatched = _lex(w, env, escape)
                results.append(r)
                missing |= unmatched - NON_ENV_ARGS
            for name in sorted(missing):
                hint = _suggest(name, env)
                msg = f"Usage of undefined variable '${name}'"
                if hint:
                    msg += f" (did you mean ${hint}?)"
                add("UndefinedVar", c.start_line, msg)
            return results

        if kw == "ARG":
            for key, value in _arg_defs(c):
                _check_secret("ARG", key, c.start_line, add)
                if value is not None:
                    value = undefined([value])[0]
                elif key in meta_args:
                    value = meta_args[key]
                stage.env[key] = value
        elif kw == "ENV":
            if _is_legacy_kv(c.original):
                add("LegacyKeyValueFormat", c.start_line,
                    f'"{_keyword(c.original)} key=value" should be used instead of legacy '
                    f'"{_keyword(c.original)} key value" format')
            pairs = _kv_pairs(c)
            words = [w for kv in pairs for w in kv]
            expanded = undefined(words)
            for i, (key, _value) in enumerate(pairs):
                _check_secret("ENV", key, c.start_line, add)
                stage.env[key] = expanded[2 * i + 1]
        elif kw == "LABEL":
            if _is_legacy_kv(c.original):
                add("LegacyKeyValueFormat", c.start_line,
                    f'"{_keyword(c.original)} key=value" should be used instead of legacy '
                    f'"{_keyword(c.original)} key value" format')
            undefined([w for kv in _kv_pairs(c) for w in kv])
        elif kw == "WORKDIR":
            path = undefined(c.value[:1])[0] if c.value else ""
            if not stage.workdir_set and path is not None and not path.startswith("/"):
                add("WorkdirRelativePath", c.start_line,
                    f'Relative workdir "{path}" can have unexpected results if the base image '
                    "changes")
            stage.workdir_set = True
        elif kw in ("COPY", "ADD"):
            flag_values = [f.split("=", 1)[1] for f in c.flags if "=" in f]
            undefined(flag_values + list(c.value))
        elif kw == "EXPOSE":
            for raw, port in zip(c.value, undefined(c.value)):
                if port is None:
                    continue
                for p in port.split():
                    _check_port(p, c.start_line, add)
        elif kw in ("USER", "VOLUME", "STOPSIGNAL"):
            undefined(list(c.value))
        elif kw == "SHELL":
            stage.shell_set = True

    return sorted(set(findings), key=lambda f: (f.line, f.rule, f.message))


def _start_stage(c, meta_args, stages_by_name, known_base, escape, add) -> _Stage:
    vals = list(c.value)
    image = vals[0] if vals else ""
    name = None
    if len(vals) >= 3 and vals[1].lower() == "as":
        name = vals[2]
        from_kw, as_kw = _keyword(c.original), vals[1]
        if from_kw == from_kw.lower():
            if as_kw != as_kw.lower():
                add("FromAsCasing", c.start_line,
                    f"'{as_kw}' and '{from_kw}' keywords' casing do not match")
        elif from_kw == from_kw.upper():
            if as_kw != as_kw.upper():
                add("FromAsCasing", c.start_line,
                    f"'{as_kw}' and '{from_kw}' keywords' casing do not match")
        if name != name.lower():
            add("StageNameCasing", c.start_line, f"Stage name '{name}' should be lowercase")
        if name.lower() in RESERVED_STAGE_NAMES:
            add("ReservedStageName", c.start_line,
                f'Stage name should not use the same name as reserved stage "{name.lower()}"')
        if name.lower() in stages_by_name:
            add("DuplicateStageName", c.start_line,
                f'Duplicate stage name "{name}", stage names should be unique')

    # FROM may use global ARGs and the predefined platform args, nothing else.
    from_env: dict[str, Optional[str]] = {k: None for k in PREDEFINED_FROM_ARGS}
    from_env.update(meta_args)
    resolved, _, unmatched = _lex(image, from_env, escape)
    platform = next((f.split("=", 1)[1] for f in c.flags if f.startswith("--platform=")), None)
    if platform is not None:
        _, prefs, punmatched = _lex(platform, from_env, escape)
        unmatched |= punmatched
        if re.fullmatch(r"\$(TARGETPLATFORM|\{TARGETPLATFORM\})", platform.strip("\"'")) \
                and "TARGETPLATFORM" not in meta_args:
            add("RedundantTargetPlatform", c.start_line,
                f"Setting platform to predefined {platform} in FROM is redundant as this is "
                "the default behavior")
    for arg in sorted(unmatched):
        hint = _suggest(arg, set(meta_args) | PREDEFINED_FROM_ARGS)
        msg = f"FROM argument '{arg}' is not declared"
        if hint:
            msg += f" (did you mean {hint}?)"
        add("UndefinedArgInFrom", c.start_line, msg)

    parent = stages_by_name.get(resolved.lower()) if resolved else None
    if parent is not None:
        stage = _Stage(name, c.start_line, dict(parent.env), parent.shell_set, parent.workdir_set)
    else:
        env: dict[str, Optional[str]] = {k: None for k in ALWAYS_DEFINED}
        repo = _image_repo(resolved or image)
        for key in (repo, repo.rsplit("/", 1)[-1]):
            for var in known_base.get(key, ()):
                env[var] = None
        stage = _Stage(name, c.start_line, env)
    if name is not None:  # a later stage of the same name shadows an earlier one, as in BuildKit
        stages_by_name[name.lower()] = stage
    return stage


def _check_secret(instruction: str, key: str, line: int, add) -> None:
    if _SECRET_DENY.search(key) and not _SECRET_ALLOW.search(key):
        add("SecretsUsedInArgOrEnv", line,
            f'Do not use ARG or ENV instructions for sensitive data ({instruction} "{key}")')


def _check_port(raw: str, line: int, add) -> None:
    parts = raw.split(":")
    container = parts[-1]
    ip = host = ""
    if len(parts) == 2:
        host = parts[0]
    elif len(parts) >= 3:
        ip, host = ":".join(parts[:-2]), parts[-2]
    proto = container.split("/", 1)[1] if "/" in container else ""
    if proto != proto.lower():
        add("ExposeProtoCasing", line,
            f"Defined protocol '{raw}' in EXPOSE instruction should be lowercase")
    if ip or host:
        add("ExposeInvalidFormat", line,
            f"EXPOSE instruction should not define an IP address or host-port mapping, "
            f"found '{raw}'")


def _check_casing(cmds, add) -> None:
    """ConsistentInstructionCasing: every instruction keyword in the majority casing."""
    keywords = [(_keyword(c.original), c.start_line) for c in cmds]
    lower = sum(1 for k, _ in keywords if k == k.lower())
    upper = sum(1 for k, _ in keywords if k == k.upper() and k != k.lower())
    majority_lower = lower > upper
    for k, line in keywords:
        if majority_lower and k != k.lower():
            add("ConsistentInstructionCasing", line,
                f"Command '{k}' should match the case of the command majority (lowercase)")
        elif not majority_lower and k != k.upper():
            add("ConsistentInstructionCasing", line,
                f"Command '{k}' should match the case of the command majority (uppercase)")


def _check_empty_continuations(cmds, lines: list[str], escape: str, add) -> None:
    """NoEmptyContinuation: an empty line inside a continued instruction (comments are fine)."""
    cont = re.compile(re.escape(escape) + r"[ \t]*$")
    for c in cmds:
        i = c.start_line - 1
        if i >= len(lines) or not cont.search(lines[i]):
            continue
        empty = False
        j = i + 1
        while j < len(lines) and j <= c.end_line - 1:
            s = lines[j]
            if s.strip() == "":
                empty = True
            elif s.lstrip().startswith("#"):
                pass
            elif not cont.search(s):
                break
            j += 1
        if empty:
            add("NoEmptyContinuation", c.end_line, "Empty continuation line")


if __name__ == "__main__":  # python3 tests/buildkit_checks.py Dockerfile...
    import sys
    status = 0
    for path in sys.argv[1:]:
        with open(path) as f:
            for finding in check_dockerfile(f.read()):
                print(f"{path}:{finding}")
                status = 1
    sys.exit(status)

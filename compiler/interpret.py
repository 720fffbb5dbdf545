"""Syntax tree to typed model: which directives exist, where they may stand, what their
words mean. Every problem is collected, none raised, so a file's mistakes come in one round.

Directives and block heads are tables; each entry names the stage kinds that accept it,
whether it may repeat, and the method that reads its words.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from . import argv, foreign, heads, model, platforms, presets, syntax
from .errors import Diagnostic, Span, did_you_mean, error
from .reading import Reader
from .resolve import glob_in_folder
from .values import USER_NAME, Values

KINDS = heads.KINDS


@dataclasses.dataclass(frozen=True)
class _Rule:
    """A directive: the kinds of stage it may stand in, whether it may repeat, its reader."""

    kinds: frozenset[str]
    once: bool
    read: Callable[[_StageReader, syntax.Statement], None]


# Filled by `_directive` as the `_StageReader` class below is made.
_DIRECTIVES: dict[str, _Rule] = {}
_KINDS_OF = {f.name: f.metadata["kinds"] for f in model.stage_fields()}


def _directive(name: str, field: str, once: bool = False):
    """Register a `_StageReader` method as the reader of directive `name`. It may stand in
    the kinds of stage that may set `field` (the model's metadata says which)."""

    def register(read):
        _DIRECTIVES[name] = _Rule(_KINDS_OF[field], once, read)
        return read

    return register


SHARING = ("shared", "locked", "private")  # BuildKit's modes of a cache mount
_OPTION = re.compile(r"[a-z][a-z-]*=")  # `sharing=locked`; a path starts with / or a name
_TOP_LEVEL = (
    "app",
    "arg",
    "include",
    "platforms",
    "image",
    "ignore",
)  # an include is read in by include.py

_COMMAND_FLAG = re.compile(r"-[a-z]*c")  # -c, -ec, -euxc: the command follows
_SIGNALS = frozenset(
    "SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2"
    " SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG"
    " SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS".split()
)

_HEALTH_OPTIONS = {
    "interval": "duration",
    "timeout": "duration",
    "start-period": "duration",
    "retries": "count",
}
_DURATION = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?(?:ns|us|ms|s|m|h))+")  # ASCII, as Go reads it


def interpret(items: tuple[syntax.Item, ...]) -> tuple[model.Ship, list[Diagnostic]]:
    """The model of a file and every problem found while reading it."""
    values = Values()
    read = Reader(values)
    app: model.Text | None = None
    args: list[model.Arg] = []
    images: list[model.NamedImage] = []
    stages: list[model.Stage] = []
    targets: list[model.Text] = []
    ignored: list[model.Text] = []
    seen_platforms: syntax.Statement | None = None
    for item in foreign.repair(items, values.report):
        if isinstance(item, syntax.Block):
            stage = _StageReader(values, read).read(item)
            if stage is not None:
                stages.append(stage)
        elif item.name.raw == "app":
            app = _app(read, item, app)
        elif item.name.raw == "arg":
            args.extend(_args(read, item, args))
        elif item.name.raw == "platforms":
            if seen_platforms is not None:
                where = seen_platforms.span.where(item.span)
                values.fail(f"'platforms' is already set on {where}", item.name.span)
            else:
                seen_platforms = item
                targets = platforms.read_platforms(read, item)
        elif item.name.raw == "image":
            images.extend(_image(read, item))
        elif item.name.raw == "ignore":
            ignored.extend(_ignore(read, item))
        else:
            _misplaced(values, item, top_level=True)
    first = items[0].name.span if items else Span.point(1, 1)
    if app is None:
        values.report(error("missing 'app NAME' at the top of the file", first))
    blocks = [i.name.raw for i in items if isinstance(i, syntax.Block)]
    if "runtime" not in blocks and all(b in KINDS for b in blocks):
        end = items[-1].span.at(items[-1].span.end_line, 1) if items else first
        message = "no runtime block: add 'runtime BASE { … }' to say where the app runs"
        values.report(error(message, end))
    app = app or model.Text("", first)
    ship = model.Ship(
        app, tuple(args), tuple(stages), tuple(targets), tuple(images), tuple(ignored)
    )
    return ship, values.diagnostics


def _app(read: Reader, item: syntax.Statement, seen: model.Text | None) -> model.Text | None:
    if seen is not None:
        read.values.report(
            error(f"'app' is already set on {seen.span.where(item.span)}", item.span)
        )
        return seen
    words = read.words(item, 1, 1, "app NAME")
    # Even a wrong 'app' line sets the app: "missing 'app'" would only add noise.
    return words[0] if words else model.Text("", item.span)


def _args(read: Reader, item: syntax.Statement, before: list[model.Arg]) -> list[model.Arg]:
    result: list[model.Arg] = []
    for word in read.words(item, 1, None, "arg NAME[=default] …"):
        name, eq, default = word.value.partition("=")
        if not read.values.identifier(name, word, "arg"):
            continue
        if name in platforms.PREDEFINED:
            platforms.predefined_arg(read.values, name, bool(eq), word)
            continue
        first = next((a for a in (*before, *result) if a.name.value == name), None)
        if first is not None:  # Docker would take the last default: which one is meant?
            where = first.span.where(word.span)
            read.values.fail(f"arg '{name}' is already declared on {where}", word.span)
            continue
        default_text = model.Text(default, word.span) if eq else None
        result.append(model.Arg(model.Text(name, word.span), default_text, word.span))
    return result


def _ignore(read: Reader, item: syntax.Statement) -> list[model.Text]:
    """`ignore dist *.log !keep.log`: .dockerignore patterns of the file's own."""
    patterns = []
    for word in read.words(item, 1, None, "ignore PATTERN …"):
        pattern = word.value.removeprefix("!")
        if not pattern or pattern.startswith("#") or not pattern.isprintable():
            why = "a comment in .dockerignore" if pattern.startswith("#") else "not a path"
            read.values.fail(f"'{word.value}' is {why}", word.span, "give a path or a pattern")
        else:
            patterns.append(word)
    return patterns


def _image(read: Reader, item: syntax.Statement) -> list[model.NamedImage]:
    """`image NAME: REF`: an image named once, for `copy from NAME` and `from NAME`."""
    words = read.words(item, 2, 2, "image NAME: REF")
    if not words:
        return []
    name, ref = words
    if not name.value.endswith(":"):
        read.values.fail(
            f"'image' names an image: write 'image {name.value.rstrip(':') or 'NAME'}: REF'",
            name.span,
            "a stage's base image is in its block's head: 'build image REF {'",
        )
        return []
    span = dataclasses.replace(name.span, end_column=name.span.end_column - 1)
    name = model.Text(name.value[:-1], span)
    if not (read.values.stage_name(name) and read.values.image_ref(ref)):
        return []
    return [model.NamedImage(name, ref, item.span)]


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _misplaced(values: Values, item: syntax.Item, top_level: bool, kind: str = "") -> None:
    name = item.name.raw
    if name in foreign.INSTRUCTIONS:
        values.report(_dockerfile_instruction(item.name))
    elif top_level and name in _DIRECTIVES:
        where = _either(sorted(_DIRECTIVES[name].kinds))
        values.report(error(f"'{name}' belongs inside a {where} block", item.name.span))
    elif not top_level and name in _TOP_LEVEL + KINDS:
        values.report(
            error(f"'{name}' belongs at the top level, not inside a block", item.name.span)
        )
    elif not top_level and name in _DIRECTIVES:
        where = _either(sorted(_DIRECTIVES[name].kinds))
        values.report(
            error(f"'{name}' is not allowed in a {kind} block, only in {where}", item.name.span)
        )
    else:
        choices = _TOP_LEVEL + KINDS if top_level else tuple(_DIRECTIVES)
        what = "top-level directive" if top_level else "directive"
        values.report(
            error(f"unknown {what} '{name}'{did_you_mean(name, choices)}", item.name.span)
        )


def _dockerfile_instruction(name: syntax.Word) -> Diagnostic:
    """`FROM`, `RUN`, … : a Dockerfile's instruction, and what ship writes instead."""
    lower = name.raw.lower()
    if name.raw == "FROM":
        hint = "a stage's base is in its block's head: 'build go 1.22 {', 'runtime image REF {'"
    elif lower in _DIRECTIVES or lower == "arg":
        hint = f"write '{lower}', in lower case"
    else:
        hint = "ship writes the Dockerfile: see docs/language.md for what a .ship file says"
    return error(f"'{name.raw}' is a Dockerfile instruction, not ship", name.span, hint)


class _StageReader:
    """Reads one block into a `model.Stage`."""

    def __init__(self, values: Values, read: Reader):
        self.reader = read
        self.values = values
        self.fields: dict[str, object] = {}
        self.seen: dict[str, syntax.Item] = {}

    def read(self, block: syntax.Block) -> model.Stage | None:
        kind = heads.kind(block, self.values)
        if kind is None:
            return None
        self.kind = kind
        name, base = heads.Head(kind, self.values, self.reader).read(block)
        for statement in foreign.repair(block.body, self.values.report):
            self._statement(statement)
        if base is None:  # the head is reported: keep the stage, so 'from' it still works
            span = block.name.span.to(block.args[-1].span) if block.args else block.name.span
            words = tuple(w for w in (self.reader.text(w) for w in block.args) if w is not None)
            base = model.Preset(model.Text(heads.BROKEN, span), None, words, span)
        self._programs(base)
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in self.fields.items()}
        return model.Stage(kind=kind, name=name, base=base, span=block.span, **fields)

    def _programs(self, base: model.Base) -> None:
        """The exec forms whose first word is the program: an entrypoint, a healthcheck,
        and a cmd when no entrypoint runs it (none here, and none inherited `from`)."""
        health = self.fields.get("healthcheck")
        commands = [self.fields.get("entrypoint"), health and health.command]
        if "entrypoint" not in self.fields and not isinstance(base, model.FromStage):
            commands.append(self.fields.get("cmd"))
        for command in commands:
            if command is not None:
                argv.check_program(self.values, command)

    def _statement(self, statement: syntax.Statement) -> None:
        name = statement.name.raw
        rule = _DIRECTIVES.get(name)
        if rule is None or self.kind not in rule.kinds:
            _misplaced(self.values, statement, top_level=False, kind=self.kind)
            return
        if rule.once and name in self.seen:
            first = self.seen[name].span.line
            message = (
                f"more than one '{name}' in this {self.kind} block (the first is on line {first})"
            )
            self.values.fail(message, statement.name.span)
            return
        self.seen[name] = statement
        rule.read(self, statement)

    def _add(self, key: str, *values: object) -> None:
        self.fields.setdefault(key, []).extend(values)  # type: ignore[union-attr]

    @_directive("run", "steps")
    def _run(self, statement: syntax.Statement) -> None:
        run = self.reader.shell(statement)
        if run is not None:
            self._add("steps", run)

    @_directive("install", "install", once=True)
    def _install(self, statement: syntax.Statement) -> None:
        self.fields["install"] = self.reader.shell(statement)

    @_directive("copy", "steps")
    def _copy(self, statement: syntax.Statement) -> None:
        sources, dest = self.reader.arrow(statement, "copy SRC… [-> DEST]")
        if not self._spaced_arrows(sources, dest):
            return
        if [s.value for s in sources] == ["none"] and dest is None:
            self._copy_none(statement)
            return
        if sources and sources[0].value in ("image", "from"):
            self._copy_from(statement, sources, dest)
            return
        for source in sources:
            if self.values.context_path(source) and dest is None:
                hint = f"name each folder, or give one destination: 'copy {source.value} -> DEST/'"
                self._in_place(source, hint)
        if dest is not None and not self.values.copy_path(dest, "a destination"):
            return
        if sources:
            self._add("steps", model.Copy(tuple(sources), dest, statement.span))

    def _copy_none(self, statement: syntax.Statement) -> None:
        """`copy none`: a build that reads nothing from the build context."""
        if self.kind != "build":
            self.values.fail(
                f"'copy none' is for builds: a {self.kind} gets no sources unless it copies them",
                statement.span,
            )
            return
        self._add("steps", model.Copy((), None, statement.span))

    def _copy_from(self, statement, sources: list[model.Text], dest: model.Text | None) -> None:
        """`copy image REF PATH… [-> DEST]`, `copy from NAME PATH… [-> DEST]`: files of an
        image, or of another stage of this file."""
        how = sources[0]
        what = "REF" if how.value == "image" else "NAME"
        usage = f"copy {how.value} {what} PATH… [-> DEST]"
        if len(sources) < 3:
            self.values.fail(
                f"wrong number of words for 'copy {how.value}'; usage: {usage}",
                statement.span,
                f"to copy a file named '{how.value}' from the build context, write"
                f" 'copy ./{how.value}'",
            )
            return
        where, paths = sources[1], sources[2:]
        if how.value == "image":
            if not self.values.image_ref(where):
                return
            origin: model.Base = model.Image(where, how.span.to(where.span))
        else:
            if not self.values.stage_name(where):
                return
            origin = model.FromStage(where, how.span.to(where.span))
        ok = all(self.values.copy_path(p, "a path to copy") for p in paths)
        if how.value == "image":
            ok = ok and all(self.values.absolute(p, "a path in an image") for p in paths)
        if dest is not None:
            ok = ok and self.values.copy_path(dest, "a destination")
        if ok:
            self._add("steps", model.Copy(tuple(paths), dest, statement.span, origin))

    @_directive("env", "env")
    def _env(self, statement: syntax.Statement) -> None:
        pairs = self.reader.pairs(statement, "env KEY=value …", identifier_keys=True)
        self._add("env", *pairs)
        if self.kind != "build" and pairs:  # a runtime's env stands where it is written
            self._add("steps", model.Mark("env", statement.span, len(pairs)))

    @_directive("ships", "ships", once=True)
    def _ships(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 0, None, "ships [BUILD|ARTIFACT … | none]")
        if [w.value for w in words] == ["none"]:
            words = []
        elif not words:
            words = None
        self.fields["ships"] = tuple(words) if words is not None else None
        self._add("steps", model.Mark("ships", statement.span))

    @_directive("writable", "writable")
    def _writable(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 1, None, "writable PATH …")
        self._add("writable", *(w for w in words if self.values.copy_path(w, "a writable path")))

    @_directive("as", "user")
    def _as(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 1, 1, "as user|root")
        if words and self.values.choice(words[0], ("user", "root"), "as"):
            self._add("steps", model.Mark(words[0].value, statement.span))

    @_directive("label", "labels")
    def _label(self, statement: syntax.Statement) -> None:
        self._add(
            "labels", *self.reader.pairs(statement, "label KEY=value …", identifier_keys=False)
        )

    @_directive("workdir", "workdir", once=True)
    def _workdir(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 1, 1, "workdir /PATH")
        if words and self.values.absolute(words[0], "a workdir"):
            self.fields["workdir"] = words[0]

    @_directive("family", "family", once=True)
    def _family(self, statement: syntax.Statement) -> None:
        families = tuple(presets.FAMILIES)
        words = self.reader.words(statement, 1, 1, f"family {'|'.join(families)}")
        if words and self.values.choice(words[0], families, "family"):
            self.fields["family"] = words[0]

    @_directive("base-env", "base_env")
    def _base_env(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 1, None, "base-env NAME …")
        valid = (w for w in words if self.values.identifier(w.value, w, "variable"))
        self._add("base_env", *valid)

    @_directive("deps", "deps", once=True)
    def _deps(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 1, None, "deps FILE… (or 'deps none')")
        if len(words) == 1 and words[0].value == "none":
            words = []
        for word in words:
            if self.values.context_path(word):
                self._in_place(word, "name each folder: 'deps a/FILE b/FILE'")
        self.fields["deps"] = tuple(words)

    def _spaced_arrows(self, sources: list[model.Text], dest: model.Text | None) -> bool:
        """`x->/y` is one word, so one path: surely an arrow without its spaces."""
        for word in (*sources, *([dest] if dest else [])):
            before, arrow, after = word.value.partition("->")
            if arrow:
                fix = f"{before} -> {after}".strip()
                return self.values.fail(
                    f"'{word.value}' reads as one path: write '{fix}', with spaces", word.span
                )
        return True

    def _in_place(self, path: model.Text, hint: str) -> None:
        """A path copied to its own place: a glob may only be in its last part."""
        if glob_in_folder(path.value):
            self.values.fail(
                f"'{path.value}' has a glob in a folder name, so its matches have no one place"
                " to keep",
                path.span,
                hint,
            )

    @_directive("secret", "secrets")
    def _secret(self, statement: syntax.Statement) -> None:
        ids, target = self.reader.arrow(statement, "secret ID [-> /TARGET]", max_sources=1)
        if not ids or not self.values.secret_id(ids[0]):
            return
        if target is not None and not (
            self.values.absolute(target, "a secret's target")
            and self.values.mount_path(target, "a secret's target")
        ):
            return
        self._add("secrets", model.Secret(ids[0], target, statement.span))

    @_directive("ssh", "ssh", once=True)
    def _ssh(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 0, 2, "ssh [ID] [known-hosts=FILE]")
        if len(statement.args) > 2:
            return
        ids = [w for w in words if not w.value.startswith("known-hosts=")]
        hosts = [w for w in words if w.value.startswith("known-hosts=")]
        if len(ids) > 1 or len(hosts) > 1:
            self.values.fail("ssh takes one ID and one known-hosts=FILE", statement.span)
            return
        known = None
        if hosts:
            known = model.Text(hosts[0].value.partition("=")[2], hosts[0].span)
            if not (
                self.values.context_path(known)
                and self.values.mount_path(known, "a known-hosts file")
            ):
                return
        if ids and not self.values.secret_id(ids[0]):
            return
        self.fields["ssh"] = model.Ssh(ids[0] if ids else None, known, statement.span)

    @_directive("cache", "caches")
    def _cache(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 1, None, "cache PATH… [sharing=MODE] [id=ID]")
        paths = [w for w in words if not _OPTION.match(w.value)]
        options: dict[str, model.Text] = {}
        for word in (w for w in words if _OPTION.match(w.value)):
            self._cache_option(word, options)
        if words and not paths:
            self.values.fail("a cache line needs a path", statement.span, "cache PATH… [OPTION…]")
            return
        if "id" in options and len(paths) > 1:
            self.values.fail(
                "one 'id' for several cache paths would mount one cache at each of them",
                options["id"].span,
                "give each path its own 'cache' line and id",
            )
            return
        for path in paths:
            if self.values.mount_path(path, "a cache path"):
                cache = model.Cache(path, options.get("sharing"), options.get("id"), path.span)
                self._add("caches", cache)

    def _cache_option(self, word: model.Text, options: dict[str, model.Text]) -> None:
        key, _, value = word.value.partition("=")
        at = model.Text(value, word.span)
        if key not in ("sharing", "id"):
            hint = "a cache line is 'cache PATH… [sharing=shared|locked|private] [id=ID]'"
            self.values.fail(
                f"unknown cache option '{key}'{did_you_mean(key, ('sharing', 'id'))}",
                word.span,
                hint,
            )
        elif key in options:
            self.values.fail(f"cache option '{key}' is given twice", word.span)
        elif (key == "sharing" and self.values.choice(at, SHARING, "sharing")) or (
            key == "id" and self.values.cache_id(at)
        ):
            options[key] = at

    @_directive("artifact", "artifacts")
    def _artifact(self, statement: syntax.Statement) -> None:
        sources, dest = self.reader.arrow(statement, "artifact PATH… [-> DEST]")
        if not self._spaced_arrows(sources, dest):
            return
        paths = [*sources, *([dest] if dest else [])]
        if not all(self.values.copy_path(p, "an artifact path") for p in paths):
            return
        if dest is not None and len(sources) > 1 and not dest.value.endswith("/"):
            self.values.fail(
                "several artifacts go into one folder: end the destination with '/'",
                dest.span,
                f"write '{dest.value}/' (each artifact's contents are copied into it, as COPY"
                " does), or give each artifact a line of its own",
            )
            return
        # One artifact per path, each a COPY of its own in the runtimes.
        self._add("artifacts", *(model.Artifact(s, dest, statement.span) for s in sources))

    @_directive("links", "links", once=True)
    def _links(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 1, 1, "links static|dynamic")
        if words and self.values.choice(words[0], ("static", "dynamic"), "links"):
            self.fields["links"] = words[0]

    @_directive("packages", "packages")
    def _packages(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 1, None, "packages NAME[=VERSION] …")
        self._add("packages", *(w for w in words if self.values.package(w)))

    @_directive("extensions", "extensions")
    def _extensions(self, statement: syntax.Statement) -> None:
        usage = "extensions NAME[=VERSION] [--OPTION…] …"
        previous: str | None = None  # the extension the options after it configure
        for word in self.reader.words(statement, 1, None, usage):
            if not self.values.extension(word, previous):
                previous = None  # no more errors for its options
                continue
            self._add("extensions", word)
            previous = previous if word.value.startswith("--") else word.value

    @_directive("user", "user", once=True)
    def _user(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 1, 1, "user UID[:GID]|NAME")
        if words and (USER_NAME.fullmatch(words[0].value) or self.values.user(words[0])):
            self.fields["user"] = words[0]

    @_directive("expose", "expose")
    def _expose(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 1, None, "expose PORT[/tcp|/udp] …")
        self._add("expose", *(w for w in words if self.values.port(w)))

    @_directive("volume", "volumes")
    def _volume(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 1, None, "volume /PATH …")
        self._add("volumes", *(w for w in words if self.values.absolute(w, "a volume")))

    @_directive("healthcheck", "healthcheck", once=True)
    def _healthcheck(self, statement: syntax.Statement) -> None:
        usage = (
            "healthcheck [interval=30s] [timeout=5s] [start-period=0s] [retries=3] COMMAND…"
            " (or 'healthcheck none')"
        )
        if not self.reader.words(statement, 1, None, usage):
            return
        words = list(statement.args)
        if [w.raw for w in words] == ["none"]:
            self.fields["healthcheck"] = model.Healthcheck((), None, statement.span)
            return
        options: list[model.Pair] = []
        while words and _health_option_name(words[0].raw) is not None:
            self._health_option(words.pop(0), options)
        if words and words[0].raw in ("CMD", "CMD-SHELL", "NONE"):
            self._dockerfile_health_word(words[0])
            return
        if not words:
            self.values.report(error(f"healthcheck needs a command: {usage}", statement.span))
            return
        command = argv.command(self.reader, tuple(words))
        if command is not None:
            self.fields["healthcheck"] = model.Healthcheck(tuple(options), command, statement.span)

    def _health_option(self, word: syntax.Word, options: list[model.Pair]) -> None:
        text = self.reader.text(word)
        if text is None:
            return
        key, _, value = text.value.partition("=")
        if key.startswith("--"):
            self.values.fail(
                f"healthcheck options are written without dashes: '{key[2:]}={value}'",
                word.span,
            )
        elif any(p.key.value == key for p in options):
            self.values.fail(f"healthcheck option '{key}' is given twice", word.span)
        elif self.values.health_option(text, _HEALTH_OPTIONS[key], _DURATION):
            options.append(
                model.Pair(model.Text(key, word.span), model.Text(value, word.span), word.span)
            )

    def _dockerfile_health_word(self, word: syntax.Word) -> None:
        if word.raw == "NONE":
            self.values.fail("write 'healthcheck none' (in lower case, alone)", word.span)
            return
        self.values.fail(
            f"'{word.raw}' is Dockerfile syntax: a healthcheck is its command's words, run"
            " without a shell",
            word.span,
            "drop it: 'healthcheck interval=30s wget -q -O- http://localhost:8080/'; for a"
            ' shell command write sh -c "…"',
        )

    @_directive("shell", "shell", once=True)
    def _shell(self, statement: syntax.Statement) -> None:
        usage = "shell /PROGRAM [OPTION…] -c"
        if not self.reader.words(statement, 2, None, usage):
            return
        command = argv.command(self.reader, statement.args)
        if command is None:
            return
        program, flag = command.argv[0], command.argv[-1]
        if not program.value.startswith("/"):
            self.values.fail(
                f"the shell '{program.value}' must be an absolute path",
                program.span,
                f"write its path: 'shell /bin/{program.value} -c'",
            )
        elif not _COMMAND_FLAG.fullmatch(flag.value):
            self.values.fail(
                "a shell's last word must be the option that makes it run the command that"
                f" follows (-c), not '{flag.value}'",
                flag.span,
                f"write 'shell {' '.join(w.value for w in command.argv)} -c'",
            )
        elif "$" not in "".join(w.value for w in command.argv):
            self.fields["shell"] = command
        else:
            self.values.fail("a shell's words are not expanded: write them out", statement.span)

    @_directive("stopsignal", "stopsignal", once=True)
    def _stopsignal(self, statement: syntax.Statement) -> None:
        words = self.reader.words(statement, 1, 1, "stopsignal SIGNAL")
        if not words:
            return
        signal = words[0]
        number = signal.value.isascii() and signal.value.isdigit()
        if (number and 0 < int(signal.value) < 65) or signal.value in _SIGNALS:
            self.fields["stopsignal"] = signal
        else:
            name = "SIG" + signal.value.upper().removeprefix("SIG")
            hint = (
                f"write '{name}'"
                if name in _SIGNALS
                else "a name such as SIGTERM, SIGINT or SIGQUIT, or a number 1-64"
            )
            self.values.fail(f"'{signal.value}' is not a signal", signal.span, hint)

    @_directive("cmd", "cmd", once=True)
    def _cmd(self, statement: syntax.Statement) -> None:
        if self.reader.words(statement, 1, None, "cmd PROGRAM [ARG…]"):
            self.fields["cmd"] = argv.command(self.reader, statement.args)

    @_directive("entrypoint", "entrypoint", once=True)
    def _entrypoint(self, statement: syntax.Statement) -> None:
        usage = "entrypoint PROGRAM [ARG…]"
        if self.reader.words(statement, 1, None, usage):
            self.fields["entrypoint"] = argv.command(self.reader, statement.args)


def _health_option_name(raw: str) -> str | None:
    """The option a healthcheck word sets (`interval=30s`, or `--interval=30s` as Docker
    users write it), or None when the word is where the command starts."""
    key = raw.partition("=")[0].removeprefix("--")
    return key if "=" in raw and key in _HEALTH_OPTIONS else None

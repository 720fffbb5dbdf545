"""Directives only a runtime has, about the container it runs: `user`, `expose`,
`volume`, `label`, `healthcheck`, `stopsignal`, `cmd`, `entrypoint`."""

from __future__ import annotations

import re

from .. import argv, model, syntax
from ..errors import Span, error, warning
from ..values import USER_NAME
from .registry import StageDraft, directive

_SIGNALS = frozenset(
    "SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2"
    " SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG"
    " SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS SIGRTMIN SIGRTMAX".split()
    # The real-time signals by the names Docker knows (34-64 on Linux).
    + [f"SIGRTMIN+{n}" for n in range(1, 16)]
    + [f"SIGRTMAX-{n}" for n in range(1, 15)]
)

HEALTH_OPTIONS = {
    "interval": "duration",
    "timeout": "duration",
    "start-period": "duration",
    "retries": "count",
}
_DURATION = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?(?:ns|us|ms|s|m|h))+")  # ASCII, as Go reads it


@directive("user", "user", once=True)
def _user(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, 1, "user UID[:GID]|NAME")
    if words and (USER_NAME.fullmatch(words[0].value) or stage.values.user(words[0])):
        stage.fields["user"] = words[0]
        if stage.kind == model.RUNTIME and words[0].value.partition(":")[0] in ("0", "root"):
            stage.values.report(
                warning(
                    f"'user {words[0].value}': the container runs as root, so a program broken"
                    " into has root's rights in it (and runAsNonRoot policies refuse the image)",
                    words[0].span,
                    "leave 'user' out: the runtime's run steps run as root anyway, and its"
                    " program then runs as the preset's unprivileged user",
                )
            )


@directive("expose", "expose")
def _expose(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, None, "expose PORT[/tcp|/udp] …")
    stage.add("expose", *(w for w in words if stage.values.port(w)))


@directive("volume", "volumes")
def _volume(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, None, "volume /PATH …")
    stage.add("volumes", *(w for w in words if stage.values.absolute(w, "a volume")))


@directive("label", "labels")
def _label(stage: StageDraft, statement: syntax.Statement) -> None:
    stage.add("labels", *stage.reader.pairs(statement, "label KEY=value …", identifier_keys=False))


@directive("healthcheck", "healthcheck", once=True)
def _healthcheck(stage: StageDraft, statement: syntax.Statement) -> None:
    usage = (
        "healthcheck [interval=30s] [timeout=5s] [start-period=0s] [retries=3] COMMAND…"
        " (or 'healthcheck none')"
    )
    words = list(stage.reader.arguments(statement, 1, None, usage))
    if not words:
        return
    if [w.raw for w in words] == ["none"]:
        stage.fields["healthcheck"] = model.Healthcheck((), None, statement.span)
        return
    options: list[model.Pair] = []
    while words and _health_option_name(words[0].raw) is not None:
        _health_option(stage, words.pop(0), options)
    if words and words[0].raw in ("CMD", "CMD-SHELL", "NONE"):
        _dockerfile_health_word(stage, words[0].raw, words[0].span)
        return
    if words and words[0].raw == "none":  # not alone: the options or arguments of what?
        what = "options" if options else "arguments"
        stage.values.fail(
            f"'healthcheck none' turns the image's healthcheck off: it takes no {what}",
            words[0].span,
            "write 'healthcheck none' alone to turn it off; to run a program named none,"
            " write its path ('/usr/local/bin/none')",
        )
        return
    if not words:
        stage.values.report(error(f"healthcheck needs a command: {usage}", statement.span))
        return
    command = argv.command(stage.reader, tuple(words))
    if command is not None and words[0].raw.startswith("["):
        # The same words as a JSON array (compose's `test: ["CMD", …]`): the same refusal.
        first = command.argv[0].value
        column = words[0].span.column + max(words[0].raw.find('"'), 0)
        at = words[0].span.at(words[0].span.line, column)
        if first in ("CMD", "CMD-SHELL", "NONE"):
            _dockerfile_health_word(stage, first, at)
            return
        if first == "none":
            stage.values.fail(
                "'healthcheck none' turns the image's healthcheck off: it is not written"
                " as a JSON array",
                at,
                "write 'healthcheck none' alone to turn it off; to run a program named none,"
                " write its path ('/usr/local/bin/none')",
            )
            return
    if command is not None:
        stage.fields["healthcheck"] = model.Healthcheck(tuple(options), command, statement.span)


def _health_option(stage: StageDraft, word: syntax.Word, options: list[model.Pair]) -> None:
    text = stage.reader.text(word)
    if text is None:
        return
    key, _, value = text.value.partition("=")
    if key.startswith("--"):
        stage.values.fail(
            f"healthcheck options are written without dashes: '{key[2:]}={value}'",
            word.span,
        )
    elif any(p.key.value == key for p in options):
        stage.values.fail(f"healthcheck option '{key}' is given twice", word.span)
    elif stage.values.health_option(text, HEALTH_OPTIONS[key], _DURATION):
        options.append(
            model.Pair(model.Text(key, word.span), model.Text(value, word.span), word.span)
        )


def _dockerfile_health_word(stage: StageDraft, word: str, span: Span) -> None:
    if word == "NONE":
        stage.values.fail("write 'healthcheck none' (in lower case, alone)", span)
        return
    stage.values.fail(
        f"'{word}' is Dockerfile syntax: a healthcheck is its command's words, run"
        " without a shell",
        span,
        "drop it: 'healthcheck interval=30s wget -q -O- http://localhost:8080/'; for a"
        ' shell command write sh -c "…"',
    )


@directive("stopsignal", "stopsignal", once=True)
def _stopsignal(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, 1, "stopsignal SIGNAL")
    if not words:
        return
    signal = words[0]
    if "$" in signal.value:
        # kept, so the arg it names counts as used (args.py): one mistake, one message
        stage.fields["stopsignal"] = signal
        stage.values.fail(
            "'stopsignal' takes no reference: the signal is written out",
            signal.span,
            "a name such as SIGTERM, SIGINT or SIGQUIT, or a number 1-64",
        )
        return
    number = signal.value.isascii() and signal.value.isdigit()
    if (number and 0 < int(signal.value) < 65) or signal.value in _SIGNALS:
        stage.fields["stopsignal"] = signal
    else:
        name = "SIG" + signal.value.upper().removeprefix("SIG")
        hint = (
            f"write '{name}'"
            if name in _SIGNALS
            else "a name such as SIGTERM, SIGINT or SIGQUIT, or a number 1-64"
        )
        stage.values.fail(f"'{signal.value}' is not a signal", signal.span, hint)


@directive("cmd", "cmd", once=True)
def _cmd(stage: StageDraft, statement: syntax.Statement) -> None:
    if words := stage.reader.arguments(statement, 1, None, "cmd PROGRAM [ARG…]"):
        stage.fields["cmd"] = argv.command(stage.reader, words)


@directive("entrypoint", "entrypoint", once=True)
def _entrypoint(stage: StageDraft, statement: syntax.Statement) -> None:
    usage = "entrypoint PROGRAM [ARG…]"
    if words := stage.reader.arguments(statement, 1, None, usage):
        stage.fields["entrypoint"] = argv.command(stage.reader, words)


def _health_option_name(raw: str) -> str | None:
    """The option a healthcheck word sets (`interval=30s`, or `--interval=30s` as Docker
    users write it), or None when the word is where the command starts."""
    key = raw.partition("=")[0].removeprefix("--")
    return key if "=" in raw and key in HEALTH_OPTIONS else None

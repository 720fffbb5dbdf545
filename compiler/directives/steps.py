"""Directives that say what a stage runs, in the order written: `run`, `install`, `env`
(a runtime's stands among its steps), `as`, `ships`, and what the commands run in:
`shell`, `workdir`."""

from __future__ import annotations

from .. import argv, model, syntax
from ..platforms import PREDEFINED
from .registry import StageDraft, directive


@directive("run", "steps")
def _run(stage: StageDraft, statement: syntax.Statement) -> None:
    run = stage.reader.shell(statement)
    if run is not None:
        stage.add("steps", run)


@directive("install", "install", once=True)
def _install(stage: StageDraft, statement: syntax.Statement) -> None:
    stage.fields["install"] = stage.reader.shell(statement)


@directive("env", "env")
def _env(stage: StageDraft, statement: syntax.Statement) -> None:
    pairs = stage.reader.pairs(statement, "env KEY=value …", identifier_keys=True)
    for pair in (p for p in pairs if p.key.value in PREDEFINED):
        stage.values.fail(
            f"BuildKit sets '{pair.key.value}' for every build: an env of that name would hide"
            " its value from everything after it (a cross build would build for that platform"
            " only)",
            pair.key.span,
            "choose the platform with 'docker build --platform'; for a value of your own,"
            " use another name",
        )
    stage.add("env", *pairs)
    if pairs:  # an env line stands where it is written (build_env.py, runtime.py)
        stage.add("steps", model.Mark("env", statement.span, len(pairs)))


@directive("as", "user")
def _as(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, 1, "as user|root")
    if words and stage.values.choice(words[0], ("user", "root"), "as"):
        stage.add("steps", model.Mark(words[0].value, statement.span))


@directive("ships", "ships", once=True)
def _ships(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 0, None, "ships [BUILD|ARTIFACT … | none]")
    if [w.value for w in words] == ["none"]:
        words = []
    elif not words:
        words = None
    stage.fields["ships"] = tuple(words) if words is not None else None
    stage.add("steps", model.Mark("ships", statement.span))


@directive("workdir", "workdir", once=True)
def _workdir(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, 1, "workdir /PATH")
    if not words or not stage.values.absolute(words[0], "a workdir"):
        return
    if "\\" in words[0].value:  # the relative copies and artifacts land under it
        stage.values.fail(
            "a workdir cannot hold a backslash: the paths of copies into it would, and COPY"
            " reads a backslash as an escape",
            words[0].span,
        )
    else:
        stage.fields["workdir"] = words[0]


@directive("shell", "shell", once=True)
def _shell(stage: StageDraft, statement: syntax.Statement) -> None:
    usage = "shell /PROGRAM [OPTION…] -c"
    if not stage.reader.words(statement, 2, None, usage):
        return
    command = argv.command(stage.reader, statement.args)
    if command is None:
        return
    program, flag = command.argv[0], command.argv[-1]
    if not program.value.startswith("/"):
        stage.values.fail(
            f"the shell '{program.value}' must be an absolute path",
            program.span,
            f"write its path: 'shell /bin/{program.value} -c'",
        )
    elif not argv.COMMAND_OPTION.fullmatch(flag.value):
        stage.values.fail(
            "a shell's last word must be the option that makes it run the command that"
            f" follows (-c), not '{flag.value}'",
            flag.span,
            f"write 'shell {' '.join(w.value for w in command.argv)} -c'",
        )
    elif "$" not in "".join(w.value for w in command.argv):
        stage.fields["shell"] = command
    else:
        stage.values.fail("a shell's words are not expanded: write them out", statement.span)

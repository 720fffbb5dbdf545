"""Directives about a stage's image: what it is (`family`, `base-env`), what is installed
in it (`packages`, `extensions`) and how a build's programs link against it (`links`)."""

from __future__ import annotations

from .. import presets, syntax
from .registry import StageDraft, directive


@directive("family", "family", once=True)
def _family(stage: StageDraft, statement: syntax.Statement) -> None:
    families = tuple(presets.FAMILIES)
    words = stage.reader.words(statement, 1, 1, f"family {'|'.join(families)}")
    if words and stage.values.choice(words[0], families, "family"):
        stage.fields["family"] = words[0]


@directive("base-env", "base_env")
def _base_env(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, None, "base-env NAME …")
    valid = (w for w in words if stage.values.identifier(w.value, w, "variable"))
    stage.add("base_env", *valid)


@directive("packages", "packages")
def _packages(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, None, "packages NAME[=VERSION] …")
    # A word refused for its `$` is kept (no file with an error is compiled), so the arg
    # it names counts as used: one mistake, one message.
    stage.add("packages", *(w for w in words if stage.values.package(w) or "$" in w.value))


@directive("extensions", "extensions")
def _extensions(stage: StageDraft, statement: syntax.Statement) -> None:
    usage = "extensions NAME[=VERSION] [--OPTION…] …"
    previous: str | None = None  # the extension the options after it configure
    for word in stage.reader.words(statement, 1, None, usage):
        if not stage.values.extension(word, previous):
            previous = None  # no more errors for its options
            continue
        stage.add("extensions", word)
        previous = previous if word.value.startswith("--") else word.value


@directive("links", "links", once=True)
def _links(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, 1, "links static|dynamic")
    if words and stage.values.choice(words[0], ("static", "dynamic"), "links"):
        stage.fields["links"] = words[0]

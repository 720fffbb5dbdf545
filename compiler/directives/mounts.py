"""Directives that mount something on a stage's commands: `secret`, `ssh`, `cache`."""

from __future__ import annotations

import re

from .. import model, syntax
from ..errors import did_you_mean
from .registry import StageDraft, directive

SHARING = ("shared", "locked", "private")  # BuildKit's modes of a cache mount
_OPTION = re.compile(r"[a-z][a-z-]*=")  # `sharing=locked`; a path starts with / or a name


@directive("secret", "secrets")
def _secret(stage: StageDraft, statement: syntax.Statement) -> None:
    ids, target = stage.reader.arrow(statement, "secret ID [-> /TARGET]", max_sources=1)
    if not ids or not stage.values.secret_id(ids[0]):
        return
    if target is not None and not (
        stage.values.absolute(target, "a secret's target")
        and stage.values.mount_path(target, "a secret's target")
    ):
        return
    stage.add("secrets", model.Secret(ids[0], target, statement.span))


@directive("ssh", "ssh", once=True)
def _ssh(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 0, 2, "ssh [ID] [known-hosts=FILE]")
    if len(statement.args) > 2:
        return
    ids = [w for w in words if not w.value.startswith("known-hosts=")]
    hosts = [w for w in words if w.value.startswith("known-hosts=")]
    if len(ids) > 1 or len(hosts) > 1:
        stage.values.fail("ssh takes one ID and one known-hosts=FILE", statement.span)
        return
    known = None
    if hosts:
        known = model.Text(hosts[0].value.partition("=")[2], hosts[0].span)
        if not (
            stage.values.context_path(known)
            and stage.values.mount_path(known, "a known-hosts file")
        ):
            return
    if ids and not stage.values.secret_id(ids[0]):
        return
    stage.fields["ssh"] = model.Ssh(ids[0] if ids else None, known, statement.span)


@directive("cache", "caches")
def _cache(stage: StageDraft, statement: syntax.Statement) -> None:
    words = stage.reader.words(statement, 1, None, "cache PATH… [sharing=MODE] [id=ID]")
    paths = [w for w in words if not _OPTION.match(w.value)]
    options: dict[str, model.Text] = {}
    for word in (w for w in words if _OPTION.match(w.value)):
        _cache_option(stage, word, options)
    if words and not paths:
        stage.values.fail("a cache line needs a path", statement.span, "cache PATH… [OPTION…]")
        return
    if "id" in options and len(paths) > 1:
        stage.values.fail(
            "one 'id' for several cache paths would mount one cache at each of them",
            options["id"].span,
            "give each path its own 'cache' line and id",
        )
        return
    for path in paths:
        if stage.values.mount_path(path, "a cache path"):
            cache = model.Cache(path, options.get("sharing"), options.get("id"), path.span)
            stage.add("caches", cache)


def _cache_option(stage: StageDraft, word: model.Text, options: dict[str, model.Text]) -> None:
    key, _, value = word.value.partition("=")
    at = model.Text(value, word.span)
    if key not in ("sharing", "id"):
        hint = "a cache line is 'cache PATH… [sharing=shared|locked|private] [id=ID]'"
        stage.values.fail(
            f"unknown cache option '{key}'{did_you_mean(key, ('sharing', 'id'))}",
            word.span,
            hint,
        )
    elif key in options:
        stage.values.fail(f"cache option '{key}' is given twice", word.span)
    elif (key == "sharing" and stage.values.choice(at, SHARING, "sharing")) or (
        key == "id" and stage.values.cache_id(at)
    ):
        options[key] = at

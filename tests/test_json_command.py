"""A command written as a JSON array (`cmd ["demo", "--port", "8080"]`) is read by JSON's
rules, escapes included (new-user trial: `\\u00e9` and `\\/` were 'unknown escape'); what
no command may hold is still refused. The engine proof is in tests/semantics/."""

from __future__ import annotations

import json

import pytest
import shipc


def _source(directive: str) -> str:
    return f"app demo\nruntime alpine 3.20 {{\n    {directive}\n}}\n"


def _instruction(directive: str, keyword: str) -> list[str]:
    dockerfile = shipc.compile_source(_source(directive), "test.ship").dockerfile
    (line,) = [x for x in dockerfile.splitlines() if x.startswith(keyword + " ")]
    return json.loads(line.removeprefix(keyword + " "))


@pytest.mark.parametrize(
    "written, argv",
    [
        (r'["caf\u00e9", "a\/b"]', ["café", "a/b"]),
        (r'["echo", "\"hi\"", "back\\slash", "a\tb"]', ["echo", '"hi"', "back\\slash", "a\tb"]),
        (r'["\ud83d\ude00"]', ["\U0001f600"]),
        # A `$` is what JSON says: one `$` stays one, an escaped one too (`$$` is refused).
        (r'["$HOME", "${X}", "\u0024\u0024", "$\u0024$"]', ["$HOME", "${X}", "$$", "$$$"]),
    ],
)
def test_json_escapes_apply(written, argv):
    assert _instruction(f"cmd {written}", "CMD") == argv
    assert _instruction(f"entrypoint {written}", "ENTRYPOINT") == argv


def test_a_healthcheck_in_json_reads_the_same_escapes():
    dockerfile = shipc.compile_source(
        _source(r'healthcheck ["wget", "-q", "http:\/\/localhost\/caf\u00e9"]'), "t.ship"
    ).dockerfile
    assert 'CMD ["wget", "-q", "http://localhost/café"]' in dockerfile


@pytest.mark.parametrize(
    "written, message",
    [
        (r'["a\nb"]', "'\\n' would put a line break in a value, which is not allowed"),
        (r'["a\u2028b"]', "'\\u2028' would put a line break in a value, which is not allowed"),
        (
            r'["a\u0000"]',
            "'\\u0000' would put a control character in a value, which is not allowed",
        ),
        (r'["a\bc"]', "'\\b' would put a control character in a value, which is not allowed"),
        (r'["a\ud800"]', "'\\ud800' is half of a UTF-16 pair, not a character"),
        (r'["a\x"]', "this looks like a JSON array, but is not one: Invalid \\escape"),
    ],
)
def test_what_no_command_may_hold_is_refused(written, message):
    with pytest.raises(shipc.ShipErrors) as caught:
        shipc.compile_source(_source(f"cmd {written}"), "test.ship")
    assert [d.message for d in caught.value.diagnostics] == [message]


def test_a_word_outside_json_keeps_ships_own_escapes():
    with pytest.raises(shipc.ShipErrors) as caught:
        shipc.compile_source(_source(r'cmd echo "caf\u00e9"'), "test.ship")
    assert caught.value.diagnostics[0].message.startswith("unknown escape '\\u'")


@pytest.mark.parametrize("directive", ["cmd", "entrypoint", "healthcheck", "shell sh"])
def test_dollar_dollar_in_a_json_array_is_refused(directive):
    # Docker users read `["sh", "-c", "kill $$"]` as the argv it is (the shell's pid); the
    # rest of a .ship file reads `$$` as a literal `$`: it means both, so it is refused.
    written = '["sh", "-c", "kill $$"]' if directive != "shell sh" else '["/bin/$$sh", "-c"]'
    directive = directive.split()[0]
    source = (
        f"app demo\nbuild image busybox:1 {{\n    {directive} {written}\n}}\n"
        "runtime alpine 3.20 {\n    cmd true\n}\n"
    )
    if directive != "shell":
        source = _source(f"{directive} {written}")
    with pytest.raises(shipc.ShipErrors) as caught:
        shipc.compile_source(source, "test.ship")
    (found,) = caught.value.diagnostics
    assert found.message.startswith("'$$' in a JSON array")
    assert found.span.column == source.splitlines()[2].index("$$") + 1
    assert "'${$}' for a shell's process id" in found.hint


@pytest.mark.parametrize(
    "written, message",
    [
        ('["CMD", "wget", "-q", "http://localhost/"]', "'CMD' is Dockerfile syntax"),
        ('interval=5s ["CMD-SHELL", "wget -q x"]', "'CMD-SHELL' is Dockerfile syntax"),
        ('["NONE"]', "write 'healthcheck none' (in lower case, alone)"),
        ('["none"]', "'healthcheck none' turns the image's healthcheck off"),
    ],
)
def test_a_healthcheck_in_json_is_refused_where_its_bare_form_is(written, message):
    # Compose's `test: ["CMD", …]` would run a program named CMD.
    source = _source(f"healthcheck {written}")
    with pytest.raises(shipc.ShipErrors) as caught:
        shipc.compile_source(source, "test.ship")
    (found,) = caught.value.diagnostics
    assert found.message.startswith(message)
    assert found.span.column == source.splitlines()[2].index('["') + 2

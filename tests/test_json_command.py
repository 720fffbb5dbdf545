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
        (r'["$$HOME", "${X}", "$$$$"]', ["$HOME", "${X}", "$$"]),  # $$: a literal $
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

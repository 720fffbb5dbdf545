"""compiler/generated_parser.py, lark's standalone parser of grammar/ship.lark, agrees with
the grammar: the same terminals, rules and options as lark builds from the grammar now, and
the same trees and errors on every file the test suites hold. When the grammar changes, the
failure names the one command that regenerates it."""

from __future__ import annotations

import importlib.util

import lark
import pytest
from conftest import ROOT
from shipc import generated_parser

_spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "generate_parser.py")
generator = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generator)

STALE = (
    f"compiler/generated_parser.py no longer agrees with grammar/ship.lark: run "
    f"`{generator.COMMAND}` and commit the result"
)
CORPUS = sorted(
    path
    for folder in ("samples", "tests/errors", "tests/warnings", "tests/semantics")
    for path in (ROOT / folder).rglob("*.ship")
)


@pytest.fixture(scope="module")
def from_grammar() -> lark.Lark:
    return lark.Lark(generator.GRAMMAR.read_text("utf-8"), **generator.OPTIONS)


@pytest.fixture(scope="module")
def generated():
    return generated_parser.Lark_StandAlone()


def _terminals(parser) -> list[tuple]:
    return sorted(
        (t.name, t.pattern.type, t.pattern.value, tuple(t.pattern.flags), t.priority)
        for t in parser.terminals
    )


def _rules(parser) -> list[tuple]:
    return sorted(
        (
            r.origin.name,
            tuple((s.name, s.is_term, getattr(s, "filter_out", False)) for s in r.expansion),
            r.alias,
            r.order,
            r.options.keep_all_tokens,
            r.options.expand1,
            r.options.priority,
            tuple(r.options.empty_indices),
        )
        for r in parser.rules
    )


def _options(parser) -> tuple:
    o = parser.options
    return (
        o.start,
        o.parser,
        o.lexer,
        o.propagate_positions,
        o.maybe_placeholders,
        o.keep_all_tokens,
        sorted(parser.lexer_conf.ignore),
    )


def test_same_terminals_rules_and_options(from_grammar, generated):
    assert _terminals(generated) == _terminals(from_grammar), STALE
    assert _rules(generated) == _rules(from_grammar), STALE
    assert _options(generated) == _options(from_grammar), STALE


def _plain(node) -> tuple:
    """A tree as tuples of plain values, whichever copy of lark's classes made it."""
    if hasattr(node, "children"):
        meta = node.meta
        where = (meta.line, meta.column, meta.end_line, meta.end_column) if not meta.empty else ()
        return (str(node.data), where, tuple(_plain(c) for c in node.children))
    return (node.type, str(node), node.line, node.column, node.end_line, node.end_column)


def _outcome(parser, text: str):
    try:
        return _plain(parser.parse(text))
    except generated_parser.UnexpectedInput as exc:  # the standalone's exception classes
        return type(exc).__name__, exc.line, exc.column
    except lark.exceptions.UnexpectedInput as exc:
        return type(exc).__name__, exc.line, exc.column


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_trees_and_errors(path, from_grammar, generated):
    text = path.read_text("utf-8")
    text += "" if text.endswith("\n") else "\n"
    assert _outcome(generated, text) == _outcome(from_grammar, text), STALE


def test_the_tables_are_read_off_the_generated_parser():
    """compiler/parse_tables.py (what the fast reader, lalr.items, drives) is what the script
    writes from compiler/generated_parser.py now; tests/test_parse.py checks that both
    readers build the same trees."""
    written = (ROOT / "compiler" / "parse_tables.py").read_text("utf-8")
    assert written == generator.tables(generated_parser), (
        f"compiler/parse_tables.py is stale: run `{generator.COMMAND}` and commit the result"
    )


def test_the_standalone_parser_is_trimmed(tmp_path):
    """The script applies its trims to what lark's standalone tool writes now, and the
    committed module has them: importing it loads neither logging nor pickle (and the
    trees and errors above are the trimmed module's)."""
    import subprocess
    import sys

    raw = tmp_path / "raw.py"
    subprocess.run(
        [sys.executable, "-m", "lark.tools.standalone", "--lexer", "contextual",
         "--propagate_positions", "--maybe_placeholders", "--out", str(raw),
         str(generator.GRAMMAR)],
        check=True, capture_output=True,
    )
    generator.trimmed(raw.read_text("utf-8"))  # raises if an edit no longer applies
    committed = (ROOT / "compiler" / "generated_parser.py").read_text("utf-8")
    assert all(old not in committed for old, _ in generator._TRIMS), STALE
    program = (
        "import sys, shipc.generated_parser\n"
        "print(sorted(set(sys.modules) & {'logging', 'pickle', 'zlib', 'base64'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_the_corpus_is_not_empty():
    assert len(CORPUS) > 50

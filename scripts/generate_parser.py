"""Regenerate compiler/generated_parser.py from grammar/ship.lark with lark's standalone tool,
and compiler/parse_tables.py from it.

Run: `python scripts/generate_parser.py` (from the repository root, lark installed), then
commit the result. The grammar stays the single source: the generated modules are never
edited by hand, and tests/test_generated_parser.py fails, naming this command, when they
no longer agree with the grammar. ship imports the generated modules instead of lark, so a
run neither imports lark nor builds the LALR tables from the grammar.

parse_tables.py is the part of the standalone parser that `lalr.items` (the reader of a
file without syntax errors) drives: the LALR table, each parser state's contextual lexer
(its terminals' regexes as the standalone compiles them) and the rules, written out as
plain data, so that reading a correct file loads neither the standalone's runtime (its
module imports logging, dataclasses, inspect, pickle and typing) nor builds its objects.
"""

from __future__ import annotations

import importlib.util
import pprint
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "grammar" / "ship.lark"
OUTPUT = ROOT / "compiler" / "generated_parser.py"
TABLES = ROOT / "compiler" / "parse_tables.py"
COMMAND = "python scripts/generate_parser.py"
# The options compiler/parse.py relies on; the test builds lark.Lark with the same ones.
OPTIONS = {
    "parser": "lalr",
    "lexer": "contextual",
    "propagate_positions": True,
    "maybe_placeholders": True,  # lark.Lark's default, which the standalone tool's is not
}


def main() -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "lark.tools.standalone",
            "--lexer",
            OPTIONS["lexer"],
            "--propagate_positions",
            "--maybe_placeholders",
            "--out",
            str(OUTPUT),
            str(GRAMMAR),
        ],
        check=True,
    )
    OUTPUT.write_text(trimmed(OUTPUT.read_text("utf-8")), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    spec = importlib.util.spec_from_file_location("generated_parser", OUTPUT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    TABLES.write_text(tables(module), encoding="utf-8")
    print(f"wrote {TABLES.relative_to(ROOT)}")


# What lark's standalone output imports that the recovering reader never uses, each
# replaced by what it does here: lark's logger is set to CRITICAL and lark logs nothing at
# that level, so it prints nothing; pickle is for lark's cache and save, which ship never
# calls; zlib and base64, for a compressed standalone, which this is not. Each edit must
# apply exactly once, else lark's output changed and the script stops.
_TRIMS = [
    (
        """import logging\n""",
        "",
    ),
    (
        """logger: logging.Logger = logging.getLogger("lark")
logger.addHandler(logging.StreamHandler())
##

##

logger.setLevel(logging.CRITICAL)
""",
        """class _Silent:  # lark's logger, at CRITICAL: silent (scripts/generate_parser.py)
    def _nothing(self, *args, **kwargs):
        pass

    debug = info = warning = error = exception = _nothing


logger = _Silent()
""",
    ),
    (
        """import pickle, zlib, base64\n""",
        """class _Pickle:  # pickle, loaded if lark caches or saves (scripts/generate_parser.py)
    def __getattr__(self, name):
        import pickle
        return getattr(pickle, name)


pickle = _Pickle()
""",
    ),
]


def trimmed(text: str) -> str:
    """Lark's standalone output without the imports a run never needs (`_TRIMS`)."""
    for old, new in _TRIMS:
        if text.count(old) != 1:
            raise SystemExit(f"lark's standalone output changed: {old.splitlines()[0]!r}")
        text = text.replace(old, new)
    return text


_TABLES = '''"""The LALR table, contextual lexers and rules of compiler/generated_parser.py, as
the data `lalr.items` drives: written by scripts/generate_parser.py, never edited by hand
(tests/test_generated_parser.py fails when it is stale). Reading a file without syntax
errors loads this module, not the standalone parser's runtime.
"""

START = {start}  # the parser's first state
END = {end}  # the state after the whole file is reduced to `start`

# Each lexer: its regexes, tried in order (the group that matched names the terminal), the
# terminals it skips, and {{terminal: {{keyword: terminal}}}}: a token of that terminal
# spelling a keyword is that keyword's.
SCANNERS = {scanners}

# parser state -> the lexer of its contextual lexer, an index into SCANNERS
LEXERS = {lexers}

# A rule to reduce by: how many states it pops, the symbol it goes to, the children it
# keeps (each: index, spliced, for an inlined rule's children), the node it builds (None:
# the kept children, for the rule that takes them in).
RULES = {rules}

# parser state -> {{symbol: the next state (a shift, or the goto after a reduce), or ~i to
# reduce by RULES[i]}}
ACTIONS = {actions}
'''


def tables(module) -> str:
    """The text of parse_tables.py, read off the standalone parser in `module`."""
    frontend = module.Lark_StandAlone().parser
    table = frontend.parser._parse_table
    scanners: list[tuple] = []  # (regexes tried in order, ignored terminals, retyping)
    lexers: dict[int, int] = {}  # parser state -> its scanner
    for state, lexer in frontend.lexer.lexers.items():
        scanner = lexer.scanner  # built on first use, with lexer.callback
        retype = {}
        for name, callback in sorted(lexer.callback.items()):
            retype[name] = _keywords(module, name, callback)
        entry = (
            tuple((mre.pattern, mre.flags) for mre in scanner._mres),
            tuple(sorted(lexer.ignore_types)),
            retype,
        )
        if entry not in scanners:
            scanners.append(entry)
        lexers[state] = scanners.index(entry)
    rules: list[tuple] = []
    actions: dict[int, dict[str, int]] = {}
    for state, moves in table.states.items():
        actions[state] = {}
        for symbol, (action, arg) in sorted(moves.items()):
            if action is module.Shift:  # a shift, or the goto after a reduce
                actions[state][symbol] = arg
                continue
            rule = _rule(arg)
            if rule not in rules:
                rules.append(rule)
            actions[state][symbol] = ~rules.index(rule)  # negative: reduce by that rule
    return _TABLES.format(
        start=table.start_states["start"],
        end=table.end_states["start"],
        scanners=_data(tuple(scanners)),
        lexers=_data(lexers),
        rules=_data(tuple(rules)),
        actions=_data(actions),
    )


def _data(value) -> str:
    return pprint.pformat(value, width=100, sort_dicts=False)


def _keywords(module, name: str, callback) -> dict[str, str]:
    """What lark's only lexer callback here does, as a table: a `name` token that spells a
    keyword (a string terminal matched in full) becomes that keyword's terminal."""
    if type(callback) is not module.UnlessCallback:
        raise TypeError(f"a lexer callback lalr.items does not know, for {name}: {callback!r}")
    keywords = {}
    for terminal in callback.scanner.terminals:
        pattern = terminal.pattern
        if type(pattern) is not module.PatternStr or pattern.flags:
            raise TypeError(f"a keyword terminal lalr.items does not know: {terminal!r}")
        keywords.setdefault(pattern.value, terminal.name)  # the first alternative wins
    return dict(sorted(keywords.items()))


def _rule(rule) -> tuple:
    options = rule.options
    if options.keep_all_tokens or options.expand1 or options.empty_indices:
        raise TypeError(f"a rule option lalr.items does not know: {rule}")
    keep = tuple(
        (i, not symbol.is_term and symbol.name.startswith("_"))
        for i, symbol in enumerate(rule.expansion)
        if not (symbol.is_term and symbol.filter_out)
    )
    name = rule.alias or rule.origin.name
    return (len(rule.expansion), rule.origin.name, keep, None if name.startswith("_") else name)


if __name__ == "__main__":
    main()

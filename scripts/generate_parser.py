"""Regenerate compiler/generated_parser.py from grammar/ship.lark with lark's standalone tool.

Run: `python scripts/generate_parser.py` (from the repository root, lark installed), then
commit the result. The grammar stays the single source: the generated module is never
edited by hand, and tests/test_generated_parser.py fails, naming this command, when it no
longer agrees with the grammar. ship imports the generated module instead of lark, so a run
neither imports lark nor builds the LALR tables from the grammar.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRAMMAR = ROOT / "grammar" / "ship.lark"
OUTPUT = ROOT / "compiler" / "generated_parser.py"
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
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

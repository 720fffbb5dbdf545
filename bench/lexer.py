"""How long the parser takes on long lines that once made the lexer backtrack.

Run: `python bench/lexer.py` (from the repository root, with shipc installed). Prints the
seconds per input size for each shape; linear lexing roughly doubles the time when the size
doubles. Before the SHELL terminal's look-ahead was made unambiguous, `run a \\` followed by
a line of 128,000 spaces took 91 s; it now takes milliseconds.
"""

from __future__ import annotations

import time

from shipc.errors import ShipErrors
from shipc.parse import parse

SHAPES = {
    "'run a \\' then a line of spaces and a word": lambda n: "run a \\\n" + " " * n + "x\n",
    "'run a \\' then spaces and '}x'": lambda n: "build go {\n    run a \\\n" + " " * n + "}x\n}\n",
    "'run a \\' then spaces to the end of file": lambda n: "run a \\\n" + " " * n,
    "a run line of spaces": lambda n: "run a" + " " * n + "b\n",
    "a word of '$'": lambda n: "app " + "$" * n + "\n",
    "an unterminated string": lambda n: 'app "' + "a" * n + "\n",
    "an unterminated '${'": lambda n: "app ${" + "a" * n + "\n",
}
SIZES = (16_000, 32_000, 64_000, 128_000)


def seconds(text: str) -> float:
    start = time.perf_counter()
    try:
        parse(text)
    except ShipErrors:
        pass
    return time.perf_counter() - start


def main() -> None:
    print("size:".ljust(48) + "".join(f"{n:>10,}" for n in SIZES))
    for name, make in SHAPES.items():
        row = [min(seconds(make(n)) for _ in range(3)) for n in SIZES]
        print(name.ljust(48) + "".join(f"{t:>10.4f}" for t in row))


if __name__ == "__main__":
    main()

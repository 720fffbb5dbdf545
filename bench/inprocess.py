"""The in-process figures of bench/run.py (P2, P3, P4), printed as JSON.

Runs in bench/.venv, on the installed ship: `python inprocess.py samples FOLDER`,
`… scale [SHAPE…]`, `… hostile [SHAPE…]` or `… version`. Each figure is the median of
several compiles after a warm-up, so imports and first-call costs stay out of it; peak
memory is tracemalloc's, in a run of its own (tracing slows the code it watches).
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import shipc
from shipc.errors import render

sys.path.insert(0, str(Path(__file__).resolve().parent))
import inputs  # noqa: E402  (bench/inputs.py, beside this file)


def compile_text(text: str) -> tuple[int, int]:
    """Compile as `ship compile` does, diagnostics rendered: (output bytes, diagnostics)."""
    try:
        compiled = shipc.compile_source(text, "bench.ship")
    except shipc.ShipErrors as exc:
        shown = [render(d, text, "bench.ship") for d in exc.diagnostics]
        return sum(map(len, shown)), len(exc.diagnostics)
    shown = [render(d, text, "bench.ship") for d in compiled.warnings]
    return len(compiled.dockerfile) + sum(map(len, shown)), len(compiled.warnings)


def seconds(text: str, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        compile_text(text)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def peak_memory(text: str) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        compile_text(text)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def samples(folder: str) -> dict:
    texts = {p.name: p.read_text("utf-8") for p in sorted(Path(folder).glob("*.ship"))}
    for text in texts.values():
        compile_text(text)
    return {"files": {name: seconds(text, 50) for name, text in texts.items()}}


def _repeat(size: int) -> int:
    return 1 if size >= 1_000_000 else 3 if size >= 100_000 else 9


def scale(chosen: list[str]) -> dict:
    compile_text(inputs.builds(2))
    out: dict[str, list[dict]] = {}
    for shape, (make, sizes, note) in inputs.SCALING.items():
        if chosen and shape not in chosen:
            continue
        rows = []
        for n in sizes:
            text = make(n)
            output, diagnostics = compile_text(text)
            rows.append(
                {
                    "n": n,
                    "bytes": len(text),
                    "seconds": seconds(text, _repeat(len(text))),
                    "peak": peak_memory(text),
                    "output": output,
                    "diagnostics": diagnostics,
                    "note": note,
                }
            )
        out[shape] = rows
    return out


def hostile(chosen: list[str]) -> dict:
    compile_text(inputs.builds(2))
    out = {}
    for shape, make in inputs.HOSTILE.items():
        if chosen and shape not in chosen:
            continue
        out[shape] = [
            {"n": n, "seconds": seconds(make(n), 1 if n >= 1_000_000 else 3)}
            for n in inputs.HOSTILE_SIZES
        ]
    return out


def version() -> dict:
    where = Path(shipc.__file__).parent
    pyc = any(where.glob("__pycache__/*.pyc"))
    return {
        "ship": shipc.__version__,
        "where": str(where),
        "pyc": "byte-compiled" if pyc else "NOT byte-compiled",
    }


def main() -> None:
    mode, *rest = sys.argv[1:]
    result = {
        "samples": lambda: samples(rest[0]),
        "scale": lambda: scale(rest),
        "hostile": lambda: hostile(rest),
        "version": version,
    }[mode]()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()

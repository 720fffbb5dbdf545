"""The in-process figures of bench/run.py (P2, P3, P4), printed as JSON.

Runs in bench/.venv, on the installed ship: `python inprocess.py samples FOLDER`,
`… one SHAPE N`, `… hostile [SHAPE…]` or `… version`. Each figure is the median of
several compiles after a warm-up, so imports and first-call costs stay out of it, in CPU
time (time.process_time: waiting for a CPU other work holds does not count).
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import sys
import time
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
        start = time.process_time()  # CPU time: other work on the machine does not count
        compile_text(text)
        runs.append(time.process_time() - start)
    return statistics.median(runs)


def samples(folder: str) -> dict:
    texts = {p.name: p.read_text("utf-8") for p in sorted(Path(folder).glob("*.ship"))}
    for text in texts.values():
        compile_text(text)
    return {"files": {name: seconds(text, 50) for name, text in texts.items()}}


def one(shape: str, n: int) -> dict:
    """One input of P3, in a process of its own: the peak memory of its compile above what
    the process held before (the high-water mark of its resident memory, so the compile
    runs untraced and at full speed), then its CPU time (once at 10,000 stages or 1 MB,
    else the median of several)."""
    make = inputs.SCALING[shape][0]
    text = make(n)
    compile_text(inputs.builds(2))  # warm: first-call costs stay out
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    output, diagnostics = compile_text(text)
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    repeat = 1 if n >= 10_000 or len(text) >= 1_000_000 else 3 if n >= 1_000 else 7
    return {
        "n": n,
        "bytes": len(text),
        "seconds": seconds(text, repeat),
        "peak": peak,
        "output": output,
        "diagnostics": diagnostics,
    }


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
        "one": lambda: one(rest[0], int(rest[1])),
        "hostile": lambda: hostile(rest),
        "version": version,
    }[mode]()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()

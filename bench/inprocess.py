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


def seconds(text: str, repeat: int, best: bool = False) -> float:
    """The median (or with `best`, the least) CPU time of `repeat` compiles."""
    runs = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()  # CPU time: other work on the machine does not count
        compile_text(text)
        runs.append(time.process_time() - start)
    return min(runs) if best else statistics.median(runs)


def samples(folder: str) -> dict:
    texts = {p.name: p.read_text("utf-8") for p in sorted(Path(folder).glob("*.ship"))}
    for text in texts.values():
        compile_text(text)
    return {"files": {name: seconds(text, 50) for name, text in texts.items()}}


def one(shape: str, n: int) -> dict:
    """One input of P3, in a process of its own: the peak memory of its compile above what
    the process held before (the high-water mark of its resident memory, so the compile
    runs untraced and at full speed), then its CPU time: the least of several compiles
    (two at 10,000 stages or 1 MB), the figure least moved by other work."""
    make = inputs.SCALING[shape][0]
    text = make(n)
    compile_text(inputs.builds(2))  # warm: first-call costs stay out
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    output, diagnostics = compile_text(text)
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    repeat = 2 if n >= 10_000 or len(text) >= 1_000_000 else 3 if n >= 1_000 else 7
    return {
        "n": n,
        "bytes": len(text),
        "seconds": seconds(text, repeat, best=True),
        "peak": peak,
        "output": output,
        "diagnostics": diagnostics,
    }


def calls(shape: str, n: int) -> dict:
    """How many Python function calls one compile of the P3 input makes (cProfile's count):
    an operation count, which other work on the machine does not move."""
    import cProfile
    import pstats

    text = inputs.SCALING[shape][0](n)
    compile_text(inputs.builds(2))
    profile = cProfile.Profile()
    profile.enable()
    compile_text(text)
    profile.disable()
    return {"n": n, "calls": pstats.Stats(profile).total_calls}


def hostile(chosen: list[str]) -> dict:
    compile_text(inputs.builds(2))
    out = {}
    for shape, make in inputs.HOSTILE.items():
        if chosen and shape not in chosen:
            continue
        out[shape] = [
            {"n": n, "seconds": seconds(make(n), 2 if n >= 1_000_000 else 5, best=True)}
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
        "calls": lambda: calls(rest[0], int(rest[1])),
        "hostile": lambda: hostile(rest),
        "version": version,
    }[mode]()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()

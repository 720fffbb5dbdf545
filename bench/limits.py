"""Hostile-input figures: how long `ship check` takes on large generated inputs.

Not a test: prints seconds per input so a change can be compared before and after.
Run: `.venv/bin/python bench/limits.py [SCALE [CASE…]]` (SCALE multiplies every size, default
1; CASE picks inputs by the name of the function that builds them, e.g. `env_pairs`).
Each input runs in a subprocess with a timeout, so a super-linear pass shows as TIMEOUT
instead of hanging the script.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIMEOUT = 300


def runtime_chain(n: int) -> str:
    """n runtimes, each `from` the one before: deep recursion in every pass that follows `from`."""
    lines = ["app demo", "runtime r0: alpine 3.20 {", "    cmd demo", "}"]
    lines += [f"runtime r{i}: from r{i - 1} {{\n}}" for i in range(1, n)]
    return "\n".join(lines) + "\n"


def build_chain(n: int) -> str:
    """n builds, each `from` the one before, and one runtime."""
    lines = ["app demo", "build b0: go 1.22 {", "    run go build", "}"]
    lines += [f"build b{i}: from b{i - 1} {{\n    run true\n}}" for i in range(1, n)]
    lines += ["runtime alpine 3.20 {", "    cmd demo", "}"]
    return "\n".join(lines) + "\n"


def many_stages(n: int) -> str:
    """n independent builds and one runtime."""
    lines = ["app demo"]
    lines += [f"build b{i}: go 1.22 {{\n    run go build\n}}" for i in range(n)]
    lines += ["runtime alpine 3.20 {", "    cmd demo", "}"]
    return "\n".join(lines) + "\n"


def env_pairs(n: int) -> str:
    """n env pairs in one stage, each reading $HOME."""
    env = "\n".join(f"    env V{i}=$HOME/{i}" for i in range(n))
    return f"app demo\n\nruntime alpine 3.20 {{\n{env}\n    cmd demo\n}}\n"


def error_lines(n: int) -> str:
    """n lines, each an error."""
    expose = "\n".join("    expose 99999" for _ in range(n))
    return f"app demo\n\nruntime alpine 3.20 {{\n{expose}\n    cmd demo\n}}\n"


CASES = [
    ("1,000 runtimes chained with from", runtime_chain, 1000),
    ("3,200 builds chained with from", build_chain, 3200),
    ("8,000 stages", many_stages, 8000),
    ("64,000 env pairs reading $HOME", env_pairs, 64000),
    ("64,000 error lines", error_lines, 64000),
]


def _ship() -> str:
    return str(Path(sys.executable).parent / "ship")


def main() -> None:
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    chosen = sys.argv[2:]
    with tempfile.TemporaryDirectory() as folder:
        for title, make, size in CASES:
            if chosen and make.__name__ not in chosen:
                continue
            n = max(2, int(size * scale))
            path = Path(folder) / "input.ship"
            path.write_text(make(n), encoding="utf-8")
            start = time.perf_counter()
            try:
                done = subprocess.run(
                    [_ship(), "compile", str(path)], capture_output=True, timeout=TIMEOUT
                )
                outcome = f"exit {done.returncode}"
                if b"Traceback" in done.stderr:
                    outcome += " (" + done.stderr.splitlines()[-1].decode(errors="replace")[:60] + ")"
            except subprocess.TimeoutExpired:
                outcome = f"TIMEOUT after {TIMEOUT} s"
            seconds = time.perf_counter() - start
            print(f"{title:40} n={n:<7} {seconds:8.2f} s  {outcome}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()

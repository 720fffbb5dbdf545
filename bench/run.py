"""Ship's benchmark: every figure of docs/performance.md, in one run.

Run from the repository root: `python3 bench/run.py` (about ten minutes on two busy cores;
`--runs N` sets the whole-process runs per command, at least 10). It first makes its own
environment, bench/.venv: ship installed from this tree as a wheel (compiled .pyc files,
as a user gets it, not the editable tree), click, and the peer `docked` from PyPI. Then:

P1   whole processes, interleaved, medians: `python3 -c pass`; docked writing the same Go
     Dockerfile (bench/peers/docked_go.py); cold `ship compile samples/href-counter.ship
     -o FILE` (FILE absent); `ship --version`.
P1b  the same compile when FILE is already up to date.
P2   in-process compile of every sample, microseconds per file.
P3   generated inputs of 10 to 10,000 stages, and long lines: time and peak memory, and
     the ratio per 10x (linear is 10x).
P4   hostile lines (the shapes that once made a regex backtrack): time per 10x.

Every target is judged at the end, from this run's figures only. Nothing here is a test:
speed stays out of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ENV = HERE / ".venv"
PYTHON = ENV / "bin" / "python"
SAMPLE = ROOT / "samples" / "href-counter.ship"
PEER = HERE / "peers" / "docked_go.py"


def environment() -> None:
    """bench/.venv with docked, click and ship installed from this tree as a wheel."""
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(ENV)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "docked==0.1.0", "click>=8.1,<9"], check=True)
    # Not editable: pip builds the wheel and byte-compiles it, as a user's install does.
    subprocess.run([*pip, "--no-deps", "--force-reinstall", str(ROOT)], check=True)


def whole_processes(runs: int, folder: Path) -> dict[str, float]:
    """Median seconds of each command, run `runs` times, interleaved (rotating the order
    each round, so no command always runs after the same one)."""
    ship = str(ENV / "bin" / "ship")
    cold, fresh = folder / "cold.Dockerfile", folder / "fresh.Dockerfile"
    subprocess.run([ship, "compile", str(SAMPLE), "-o", str(fresh)], check=True)
    commands = {
        "python3 -c pass": ([str(PYTHON), "-c", "pass"], None),
        # The floor click sets: ship's command line is click's, loaded on every command.
        "python3 -c 'import click'": ([str(PYTHON), "-c", "import click"], None),
        "docked (peer)": ([str(PYTHON), str(PEER), str(folder / "docked.Dockerfile")], None),
        "ship compile (cold)": ([ship, "compile", str(SAMPLE), "-o", str(cold)], cold),
        "ship compile (up to date)": ([ship, "compile", str(SAMPLE), "-o", str(fresh)], None),
        "ship --version": ([ship, "--version"], None),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for round_ in range(runs + 1):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            argv, remove = commands[name]
            if remove is not None and remove.exists():
                remove.unlink()
            seconds = _cpu_seconds(argv, folder)
            if round_:  # the first round warms the page cache
                times[name].append(seconds)
    mtime = fresh.stat().st_mtime_ns
    subprocess.run([ship, "compile", str(SAMPLE), "-o", str(fresh)], check=True)
    times_touched = fresh.stat().st_mtime_ns != mtime
    result = {name: statistics.median(values) for name, values in times.items()}
    result["up to date run changed the mtime"] = float(times_touched)
    return result


def _cpu_seconds(argv: list[str], folder: Path) -> float:
    """The CPU time (user + system) a whole process took. Not wall time: on a machine other
    work shares, waiting for a CPU would count, and it differs from one command to the next;
    the CPU a process spends is what it costs."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, cwd=folder)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{argv} exited {process.returncode}")
    return usage.ru_utime + usage.ru_stime


def in_process(*args: str) -> dict:
    """Run bench/inprocess.py in bench/.venv (the installed ship) and read its JSON."""
    done = subprocess.run(
        [str(PYTHON), str(HERE / "inprocess.py"), *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
    )
    return json.loads(done.stdout)


def ratios(values: list[float]) -> list[float]:
    """Each value over the one before; 0 where the one before is 0 (memory too small to see)."""
    return [b / a if a > 0 else 0.0 for a, b in zip(values, values[1:], strict=False)]


def show(title: str, width: int = 96) -> None:
    print(f"\n{title}\n" + "-" * width)


Verdicts = list[tuple[str, bool, str]]


def part_1(runs: int, verdicts: Verdicts) -> None:
    with tempfile.TemporaryDirectory(prefix="ship-bench-") as folder:
        p1 = whole_processes(runs, Path(folder))
    base, peer = p1["python3 -c pass"], p1["docked (peer)"]
    show(f"P1/P1b: whole processes, CPU time (user + system), median of {runs} interleaved runs")
    for name, seconds in p1.items():
        if name.startswith("up to date run"):
            continue
        print(
            f"{name:28} {seconds * 1000:8.1f} ms   {seconds / base:5.2f}x python   "
            f"{seconds / peer:5.2f}x docked"
        )
    touched = bool(p1["up to date run changed the mtime"])
    print(
        f"an up-to-date run {'rewrote' if touched else 'left'} FILE "
        f"({'its mtime changed' if touched else 'mtime unchanged'})"
    )
    cold, fresh = p1["ship compile (cold)"], p1["ship compile (up to date)"]
    verdicts.append(("P1 cold compile below docked", cold < peer, f"{cold / peer:.2f}x docked"))
    verdicts.append(
        (
            "P1b up to date <= 2x python3 -c pass",
            fresh <= 2 * base and not touched,
            f"{fresh / base:.2f}x python" + (", mtime changed" if touched else ""),
        )
    )


def part_2(verdicts: Verdicts) -> None:
    p2 = in_process("samples", str(ROOT / "samples"))
    show("P2: in-process compile of every sample, CPU time (median of 50 compiles each)")
    for name, seconds in p2["files"].items():
        print(f"{name:28} {seconds * 1e6:8.0f} us")
    mean = statistics.mean(p2["files"].values())
    slowest = max(p2["files"].values())
    print(f"{'mean':28} {mean * 1e6:8.0f} us   (slowest {slowest * 1e6:.0f} us)")
    verdicts.append(("P2 <= 500 us per sample", mean <= 500e-6, f"mean {mean * 1e6:.0f} us"))


def part_3(verdicts: Verdicts) -> None:
    show("P3: generated inputs: CPU time, peak memory above the process's, output; per 10x")
    sys.path.insert(0, str(HERE))
    import inputs

    for shape, (_, sizes, note) in inputs.SCALING.items():
        rows = [in_process("one", shape, str(n)) for n in sizes]
        rows[0]["note"] = note
        seconds = [row["seconds"] for row in rows]
        memory = [row["peak"] for row in rows]
        output = [row["output"] for row in rows]
        print(f"{shape}: n = " + ", ".join(f"{row['n']:,}" for row in rows))
        print(
            "  time   "
            + "  ".join(f"{s * 1000:10.1f} ms" for s in seconds)
            + "   x10: "
            + " ".join(f"{r:5.1f}" for r in ratios(seconds))
        )
        print(
            "  memory "
            + "  ".join(f"{m / 1e6:10.2f} MB" for m in memory)
            + "   x10: "
            + " ".join(f"{r:5.1f}" for r in ratios(memory))
        )
        print(
            "  output "
            + "  ".join(f"{o / 1e6:10.3f} MB" for o in output)
            + "   x10: "
            + " ".join(f"{r:5.1f}" for r in ratios(output))
        )
        small, large = (in_process("calls", shape, str(n))["calls"] for n in sizes[1:3])
        print(
            f"  calls  {small:,} at n = {sizes[1]:,}, {large:,} at n = {sizes[2]:,}:"
            f" x{large / small:.1f}"
        )
        if not note:  # judged only where the output grows linearly
            verdicts.append(
                (
                    f"P3 {shape}: operations per 10x (calls)",
                    large / small <= 11,
                    f"x{large / small:.1f}",
                )
            )
        sys.stdout.flush()
        if rows[0].get("note"):
            print(f"  note: {rows[0]['note']}")
        # Small inputs carry fixed costs, and memory below a few MB is page-sized noise: time
        # is judged from the second step on, memory on the last.
        worst = max(ratios(seconds)[1:] + ratios(memory)[-1:], default=0.0)
        if all(r <= 11 for r in ratios(output)[1:]):  # the first step: fixed header, noise
            verdicts.append((f"P3 {shape}: <= 11x per 10x", worst <= 11, f"worst {worst:.1f}x"))
        else:
            verdicts.append(
                (
                    f"P3 {shape}: output not linear",
                    True,
                    f"output x{max(ratios(output)):.0f} per 10x, time x{max(ratios(seconds)):.0f}",
                )
            )


def part_4(verdicts: Verdicts) -> None:
    show("P4: hostile lines (each once made a regex or a pass superlinear): CPU seconds")
    hostile = in_process("hostile")
    sizes = [row["n"] for row in next(iter(hostile.values()))]
    print(f"{'bytes:':48}" + "".join(f"{n:>10,}" for n in sizes) + "   x10")
    for shape, rows in hostile.items():
        seconds = [row["seconds"] for row in rows]
        print(
            f"{shape:48}"
            + "".join(f"{s:10.4f}" for s in seconds)
            + "   "
            + " ".join(f"{r:5.1f}" for r in ratios(seconds))
        )
        worst = max(ratios(seconds)[1:], default=0.0)
        verdicts.append((f"P4 {shape}: linear", worst <= 11, f"worst {worst:.1f}x"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="whole-process runs (>= 10)")
    parser.add_argument("--skip-env", action="store_true", help="reuse bench/.venv as it is")
    parser.add_argument("--only", choices=["P1", "P2", "P3", "P4"], help="one part only")
    options = parser.parse_args()
    if not options.skip_env:
        environment()
    version = in_process("version")
    print(f"ship benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"python {platform.python_version()}; ship {version['ship']} installed from "
        f"{version['where']} ({version['pyc']})"
    )
    verdicts: Verdicts = []
    parts = {
        "P1": lambda: part_1(max(10, options.runs), verdicts),
        "P2": lambda: part_2(verdicts),
        "P3": lambda: part_3(verdicts),
        "P4": lambda: part_4(verdicts),
    }
    for name, part in parts.items():
        if options.only in (None, name):
            part()
            sys.stdout.flush()
    show("Targets")
    for name, met, figure in verdicts:
        print(f"{'met    ' if met else 'MISSED '} {name:58} {figure}")
    sys.exit(0 if all(met for _, met, _ in verdicts) else 1)


if __name__ == "__main__":
    main()

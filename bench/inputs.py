"""Generated .ship inputs for the scaling figures (P3 of bench/run.py), each of n stages or
of n bytes. Every text compiles (warnings allowed) unless its docstring says otherwise."""

from __future__ import annotations


def builds(n: int) -> str:
    """n independent builds, each handing its artifact to the one runtime."""
    lines = ["app demo"]
    for i in range(n):
        lines += [f"build b{i}: go 1.22 {{", f"    run go build -o /out/b{i} ./cmd/b{i}"]
        lines += [f"    artifact /out/b{i}", "}"]
    lines += ["runtime alpine 3.20 {", "    cmd b0", "}"]
    return "\n".join(lines) + "\n"


def runtimes(n: int) -> str:
    """One build and n independent runtimes (n targets), each taking its artifact."""
    lines = ["app demo", "build go 1.22 {", "    run go build -o /out/demo .", "}"]
    for i in range(n):
        lines += [f"runtime r{i}: alpine 3.20 {{", "    expose 8080", "    cmd demo", "}"]
    return "\n".join(lines) + "\n"


def build_chain(n: int) -> str:
    """n builds, each `from` the one before, the last handing its artifact to the runtime."""
    lines = ["app demo", "build b0: go 1.22 {", "    run go build -o /out/demo .", "}"]
    for i in range(1, n):
        lines += [f"build b{i}: from b{i - 1} {{", f"    run touch /out/{i}", "}"]
    lines += ["runtime alpine 3.20 {", "    cmd demo", "}"]
    return "\n".join(lines) + "\n"


def runtime_chain_plain(n: int) -> str:
    """n runtimes, each `from` the one before and adding nothing."""
    lines = ["app demo", "build go 1.22 {", "    run go build -o /out/demo .", "}"]
    lines += ["runtime r0: alpine 3.20 {", "    cmd demo", "}"]
    lines += [f"runtime r{i}: from r{i - 1} {{\n}}" for i in range(1, n)]
    return "\n".join(lines) + "\n"


def runtime_chain(n: int) -> str:
    """n runtimes, each `from` the one before: every one is written out in full."""
    lines = ["app demo", "build go 1.22 {", "    run go build -o /out/demo .", "}"]
    lines += ["runtime r0: alpine 3.20 {", "    cmd demo", "}"]
    for i in range(1, n):
        lines += [f"runtime r{i}: from r{i - 1} {{", f"    env LEVEL={i}", "}"]
    return "\n".join(lines) + "\n"


def warnings(n: int) -> str:
    """n runtimes, each with an unpinned package: n warnings."""
    lines = ["app demo", "build go 1.22 {", "    run go build -o /out/demo .", "}"]
    for i in range(n):
        lines += [
            f"runtime r{i}: debian bookworm-slim {{",
            f"    packages pkg{i}",
            "    cmd demo",
            "}",
        ]
    return "\n".join(lines) + "\n"


def errors(n: int) -> str:
    """n lines, each an error (a port out of range): n diagnostics rendered."""
    expose = "".join("    expose 99999\n" for _ in range(n))
    return f"app demo\nruntime alpine 3.20 {{\n{expose}    cmd demo\n}}\n"


def env_pairs(n: int) -> str:
    """One runtime with n env pairs, each reading $PATH."""
    env = "".join(f"    env V{i}=$PATH/{i}\n" for i in range(n))
    return f"app demo\nruntime alpine 3.20 {{\n{env}    cmd demo\n}}\n"


def long_run(size: int) -> str:
    """One `run` line of `size` bytes of words."""
    words = "echo" + " word" * ((size - 4) // 5)
    return (
        "app demo\nbuild go 1.22 {\n    run "
        + words
        + "\n}\nruntime alpine 3.20 {\n    cmd demo\n}\n"
    )


def long_lines(size: int) -> str:
    """A file of about `size` bytes: one build of `run` lines of 10,000 bytes each."""
    line = "    run echo" + " word" * 1998 + "\n"
    body = line * max(1, size // len(line))
    return "app demo\nbuild go 1.22 {\n" + body + "}\nruntime alpine 3.20 {\n    cmd demo\n}\n"


STAGES = (10, 100, 1_000, 10_000)
QUADRATIC = (
    "each runtime written out from another repeats all it inherits (here one env more per"
    " level), so the output, and the time to make it, grow with the square of the chain;"
    " expand.WRITTEN_OUT caps it (100,000 declarations written out: about 400 such runtimes)"
)
SCALING = {
    "builds": (builds, STAGES, ""),
    "runtimes": (runtimes, STAGES, ""),
    "build chain (from)": (build_chain, STAGES, ""),
    "runtime chain (from), nothing added": (runtime_chain_plain, STAGES, ""),
    "runtime chain (from), env added": (runtime_chain, (3, 30, 300), QUADRATIC),
    "warnings": (warnings, STAGES, ""),
    "errors": (errors, STAGES, ""),
    "env pairs": (env_pairs, STAGES, ""),
    "one run line (bytes)": (long_run, (1_000, 10_000, 100_000, 1_000_000), ""),
    "file of 10 KB run lines (bytes)": (
        long_lines,
        (20_000, 200_000, 2_000_000, 20_000_000),
        "in process: the ship command refuses input over 4 MiB (compiler/files.py), so a"
        " 20 MB file is measured here, where the limit does not apply",
    ),
}


def _built(line: str) -> str:
    """A file that compiles, with `line` in its build (so every pass reads it)."""
    return f"app demo\nbuild go 1.22 {{\n    {line}\n}}\nruntime alpine 3.20 {{\n    cmd demo\n}}\n"


# Lines that once made a regex backtrack (bench/lexer.py's shapes and new ones), by size.
HOSTILE_SIZES = (10_000, 100_000, 1_000_000)
HOSTILE = {
    "'run a \\' then a line of spaces and a word": lambda n: "run a \\\n" + " " * n + "x\n",
    "'run a \\' then spaces and '}x'": lambda n: "build go {\n    run a \\\n" + " " * n + "}x\n}\n",
    "'run a \\' then spaces to the end of file": lambda n: "run a \\\n" + " " * n,
    "a run line of spaces": lambda n: _built("run a" + " " * n + "b"),
    "a run line of backslashes": lambda n: _built("run a " + "\\" * n),
    "a run line of '${'": lambda n: _built("run a " + "${" * (n // 2)),
    "a run line of '$A'": lambda n: _built("run a " + "$A" * (n // 2)),
    "a run line of quotes": lambda n: _built("run a " + '"' * n),
    "an env value of '$A'": lambda n: _built("env A=" + "$A" * (n // 2)),
    "a word of '$'": lambda n: "app " + "$" * n + "\n",
    "a word of '${'": lambda n: "app " + "${" * (n // 2) + "\n",
    "an unterminated string": lambda n: 'app "' + "a" * n + "\n",
    "a string of escaped quotes left open": lambda n: 'app x "' + '\\"' * (n // 2) + "\n",
    "an unterminated '${'": lambda n: "app ${" + "a" * n + "\n",
    "a line of spaces": lambda n: "app demo\n" + " " * n + "x\n",
}

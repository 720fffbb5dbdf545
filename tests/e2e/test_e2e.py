"""End to end: compile each app under tests/e2e/apps/, build it on the real engine, run it.

For every app: its app.ship compiles without warnings; the Dockerfile builds with BuildKit;
the image runs and prints its known line as a non-root user; `docker image inspect` shows the
declared user, ports and command. The build time, final image size, artifact size and
toolchain image size of each app are collected and printed as a table at the end of the
session (visible with `pytest -s`).

Cache proofs: after a change to one source file (not a manifest), the rebuild reuses the
dependency layer (`CACHED` in the plain progress output) and re-runs the steps from the
source copy on.

Builds keep BuildKit's cache between runs (a warm run is fast); every image this module
tags is removed at the end; the base images stay.
"""
from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import shutil
import tarfile
import time
import uuid
from pathlib import Path

import pytest

import shipc
from e2e.engine import docker
from e2e.host_ca import trust_host_cas
from e2e.images import BUILT, MINBASE, ensure_images

pytestmark = pytest.mark.engine

APPS_DIR = Path(__file__).resolve().parent / "apps"
RUN_ID = uuid.uuid4().hex[:10]
BUILD_TIMEOUT = 600
NONROOT = "65532"
# SHIP_E2E_NO_CACHE=1: build every app without BuildKit's layer cache (cache mounts stay),
# to measure cold build times; the cache proofs' rebuilds still use the cache.
NO_CACHE = os.environ.get("SHIP_E2E_NO_CACHE") == "1"
# Base images are never removed, whatever happens.
BASE_IMAGES = frozenset(BUILT) | {MINBASE, "debian:bookworm-slim"}


@dataclasses.dataclass(frozen=True)
class App:
    name: str
    output: str  # the line the program prints
    expose: tuple[str, ...]
    cmd: list[str] | None  # what `docker image inspect` must show
    entrypoint: list[str] | None
    source: str  # a source file (not a manifest) the cache proof changes
    install: str | None = None  # the dependency-install RUN, for the cache proof


APPS = {
    "c": App("c", f"hello from c uid={NONROOT}", ("8080/tcp",),
             cmd=None, entrypoint=["/usr/local/bin/hello-c"], source="greeting.h"),
    "go": App("go", f"hello from go uid={NONROOT}", ("8080/tcp",),
              cmd=["hello-go"], entrypoint=None, source="greeting.go", install="go mod download"),
    "rust": App("rust", f"hello from rust uid={NONROOT}", ("8080/tcp",),
                cmd=None, entrypoint=["/usr/local/bin/hello-rust"], source="src/main.rs"),
    # The code is root's by default, so the python app cannot write its work directory;
    # the node app declares 'writable .' and can.
    "python": App("python", f"hello from python six=1.16.0 uid={NONROOT} cwd=/app writable=False", ("8000/tcp",),
                  cmd=["python", "/app/app.py"], entrypoint=None, source="app.py",
                  install="pip install -r requirements.txt"),
    # distroless nodejs keeps its own ENTRYPOINT (node); the app sets CMD to the script.
    "node": App("node", f"hello from node is-number=true uid={NONROOT} cwd=/app writable=true", ("3000/tcp",),
                cmd=["/app/index.js"], entrypoint=["/nodejs/bin/node"], source="index.js",
                install="npm ci"),
    # CMake and g++ from Debian (pinned apt packages in the build), C++ on distroless cc.
    "cmake": App("cmake", f"hello from cmake uid={NONROOT}", ("8080/tcp",),
                 cmd=None, entrypoint=["/usr/local/bin/hello-cmake"], source="greeting.hpp"),
    "ruby": App("ruby", f"hello from ruby bundle=frozen uid={NONROOT} cwd=/app", (),
                cmd=["bundle", "exec", "ruby", "/app/app.rb"], entrypoint=None, source="app.rb",
                install="bundle install"),
    # The PHP images run as www-data (33); vendor/ and the sources land in /var/www/html.
    "php": App("php", "hello from php uid=33 cwd=/var/www/html", (),
               cmd=["php", "/var/www/html/app.php"], entrypoint=None, source="app.php",
               install="composer install --no-dev --no-interaction --no-progress --no-scripts"),
    "poetry": App("poetry", f"hello from poetry six=1.16.0 poetry=absent uid={NONROOT}",
                  ("8000/tcp",), cmd=["python", "/app/app.py"], entrypoint=None, source="app.py",
                  install="poetry install --only main --no-root --no-interaction"),
    # Maven with Debian's JDK 17 (plugins from Debian's Maven repository), on the JRE 17.
    "java": App("java", f"hello from java uid={NONROOT}", ("8080/tcp",),
                cmd=["java", "-jar", "/app/hello-java.jar"], entrypoint=None,
                source="src/main/java/demo/Greeting.java", install="mvn -B dependency:go-offline"),
    # Gradle (Debian's 4.4.1 in the stand-in) with no dependencies, on the JRE 17.
    "gradle": App("gradle", f"hello from gradle uid={NONROOT}", ("8080/tcp",),
                  cmd=["java", "-jar", "/app/hello-gradle.jar"], entrypoint=None,
                  source="src/main/java/demo/Greeting.java", install="gradle dependencies"),
    # The Bun images run as their `bun` user (1000).
    "bun": App("bun", "hello from bun uid=1000 cwd=/app", ("3000/tcp",),
               cmd=["bun", "/app/dist/index.js"], entrypoint=None, source="index.ts",
               install="bun install --frozen-lockfile"),
    # The Deno image runs as its `deno` user (1993); the npm package comes from the shipped
    # DENO_DIR: it runs without a network too.
    "deno": App("deno", "hello from deno is-number=true uid=1993 cwd=/app", ("8000/tcp",),
                cmd=["deno", "run", "--allow-sys=uid", "--allow-read=/app", "main.ts"],
                entrypoint=None, source="main.ts", install="deno install --frozen"),
}


# --------------------------------------------------------------------------- helpers

def tag_for(name: str, what: str = "app") -> str:
    return f"ship-e2e-{what}-{name}:{RUN_ID}"


def compile_app(name: str) -> str:
    ship = APPS_DIR / name / "app.ship"
    compiled = shipc.compile_source(ship.read_text(), str(ship))
    assert not compiled.warnings, [str(w) for w in compiled.warnings]
    return compiled.dockerfile


def workspace(tmp_path_factory, name: str, purpose: str = "app") -> tuple[Path, Path]:
    """A private copy of the app as build context, and its compiled Dockerfile beside it
    (outside the context, so the Dockerfile is not part of `COPY . .`)."""
    root = tmp_path_factory.mktemp(f"{purpose}-{name}-")
    ctx = root / "ctx"
    shutil.copytree(APPS_DIR / name, ctx)
    dockerfile = root / "Dockerfile"
    dockerfile.write_text(compile_app(name))
    return ctx, dockerfile


@dataclasses.dataclass
class Build:
    seconds: float
    log: str  # the plain progress output

    def steps(self) -> list["Step"]:
        return parse_progress(self.log)


def build(ctx: Path, dockerfile: Path, tag: str, made: list[str], no_cache: bool = False) -> Build:
    """`docker build` the context with the Dockerfile; the tag and the image id go to `made`
    (removed at the end of the session)."""
    args = ["build", "--progress=plain", "-f", str(dockerfile), "-t", tag]
    if no_cache:
        args.append("--no-cache")
    made.append(tag)
    t0 = time.monotonic()
    p = docker(*args, str(ctx), timeout=BUILD_TIMEOUT)
    seconds = time.monotonic() - t0
    log = p.stdout + p.stderr
    if p.returncode != 0:
        pytest.fail(f"docker build failed ({tag}):\n--- Dockerfile\n{dockerfile.read_text()}"
                    f"\n--- build output (tail)\n{log[-6000:]}", pytrace=False)
    p = docker("image", "inspect", "--format", "{{.Id}}", tag)
    if p.returncode == 0:
        made.append(p.stdout.strip())
    return Build(seconds, log)


@dataclasses.dataclass
class Step:
    number: int
    stage: str
    index: int
    total: int
    instruction: str  # e.g. "RUN --mount=… pip install -r requirements.txt"
    cached: bool
    done: bool

    @property
    def is_from(self) -> bool:
        return self.instruction.startswith("FROM ")

    @property
    def ran(self) -> bool:
        return self.done and not self.cached


_VERTEX = re.compile(r"^#(\d+) (.*)$")
# A step's output without a final newline runs into BuildKit's next line (Maven's closing
# colour codes: `ESC[0mESC[0m#13 DONE 27.7s`): its end is read where it starts.
_VERTEX_END = re.compile(r"#(\d+) (DONE\b.*|CACHED)$")
_STAGE_STEP = re.compile(r"^\[([a-z][a-z0-9_.-]*) (\d+)/(\d+)\] (.+)$")


def parse_progress(log: str) -> list[Step]:
    """The Dockerfile steps of a `--progress=plain` log, in stage order, with whether each
    was CACHED or ran. A vertex's lines share its `#N` number and may interleave with
    other vertices' lines; its first line names it, `#N CACHED` / `#N DONE …` end it."""
    names: dict[int, str] = {}
    cached: set[int] = set()
    done: set[int] = set()
    for line in log.splitlines():
        text = line.rstrip("\r")
        m = _VERTEX_END.search(text) or _VERTEX.match(text)
        if not m:
            continue
        number, rest = int(m.group(1)), m.group(2).strip()
        if number not in names:
            names[number] = rest
        elif rest == "CACHED":
            cached.add(number)
        elif rest.startswith("DONE"):
            done.add(number)
    steps = []
    for number, name in names.items():
        m = _STAGE_STEP.match(name)
        if m:
            steps.append(Step(number, m.group(1), int(m.group(2)), int(m.group(3)),
                              m.group(4), number in cached, number in done or number in cached))
    return sorted(steps, key=lambda s: (s.stage, s.index))


def describe(steps: list[Step]) -> str:
    def state(s: Step) -> str:
        if s.is_from:
            return "base  "
        return "CACHED" if s.cached else "ran   " if s.done else "?     "
    return "\n".join(f"  [{s.stage} {s.index}/{s.total}] {state(s)} {s.instruction}" for s in steps)


def inspect(ref: str) -> dict:
    p = docker("image", "inspect", ref)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)[0]


def runtime_copies(dockerfile: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The final stage's `COPY --from=STAGE SRC DEST` lines, and the image each of those
    stages starts FROM (the toolchain image)."""
    froms: dict[str, str] = {}
    stage = None
    copies: list[tuple[str, str, str]] = []
    for line in dockerfile.splitlines():
        m = re.match(r"^FROM\s+(?:--platform=\S+\s+)?(\S+)\s+AS\s+(\S+)", line)
        if m:
            froms[m.group(2)] = m.group(1)
            stage, copies = m.group(2), []
            continue
        m = re.match(r"^COPY\s+(?:--\S+\s+)*?--from=(\S+)\s+(?:--\S+\s+)*(\S+)\s+(\S+)\s*$", line)
        if m and stage is not None:
            copies.append((m.group(1), m.group(2), m.group(3)))
    return froms, copies


def size_in_image(image: str, paths: list[str]) -> int:
    """Bytes of the regular files under `paths` in `image` (works on scratch: `docker cp`
    from a created, never started, container)."""
    p = docker("create", image)
    assert p.returncode == 0, p.stderr
    cid = p.stdout.strip()
    try:
        total = 0
        for path in paths:
            p = docker("cp", f"{cid}:{path}", "-", capture_output=True, text=False)
            assert p.returncode == 0, p.stderr.decode(errors="replace")
            with tarfile.open(fileobj=io.BytesIO(p.stdout)) as tar:
                total += sum(m.size for m in tar.getmembers() if m.isfile())
        return total
    finally:
        docker("rm", "-f", cid)


def mb(n: int | float) -> str:
    return f"{n / 1e6:.2f} MB"


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def base_images():
    try:
        ensure_images()
        # Builds that fetch over TLS must trust this machine's egress CA, if it has one.
        trust_host_cas()
    except RuntimeError as e:
        pytest.fail(f"could not make the base images: {e}", pytrace=False)


@pytest.fixture(scope="session")
def tags():
    """Every image tag the tests make; all removed at the end of the session, and so are
    the images a later build with the same tag left untagged."""
    made: list[str] = []
    yield made
    base_ids = set()
    for ref in BASE_IMAGES:
        p = docker("image", "inspect", "--format", "{{.Id}}", ref)
        if p.returncode == 0:
            base_ids.add(p.stdout.strip())
    for ref in dict.fromkeys(made):
        if ref in BASE_IMAGES or ref in base_ids:
            continue
        docker("rmi", "-f", ref)


@pytest.fixture(scope="session")
def figures():
    rows: dict[str, dict] = {}
    yield rows
    if not rows:
        return
    head = ("app", "build (s)", "final image", "artifact", "toolchain image", "toolchain")
    lines = [head] + [
        (name, f"{r['seconds']:.1f}", mb(r["image"]), mb(r["artifact"]), mb(r["toolchain"]), r["toolchain_ref"])
        for name, r in sorted(rows.items(), key=lambda kv: list(APPS).index(kv[0]))
    ]
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
    cache = "--no-cache (cache mounts kept)" if NO_CACHE else "BuildKit's cache as found"
    print(f"\n\nend-to-end figures: build = wall time of this run's `docker build` ({cache}); "
          "artifact = the files the final stage copies from the build stage")
    for i, row in enumerate(lines):
        print("  " + "  ".join(c.ljust(w) if j in (0, 5) else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths))))
        if i == 0:
            print("  " + "  ".join("-" * w for w in widths))


# --------------------------------------------------------------------------- tests

@pytest.mark.parametrize("name", list(APPS))
def test_app_builds_runs_and_is_declared(name, base_images, tags, figures, tmp_path_factory):
    app = APPS[name]
    ctx, dockerfile = workspace(tmp_path_factory, name)
    # Built by the engine's own (20.10) frontend: no `# syntax=` line pulls a newer one.
    assert "# syntax=" not in dockerfile.read_text()
    tag = tag_for(name)
    result = build(ctx, dockerfile, tag, tags, no_cache=NO_CACHE)

    p = docker("run", "--rm", tag, timeout=120)
    assert p.returncode == 0, f"{tag} exited {p.returncode}:\n{p.stdout}{p.stderr}"
    assert p.stdout.strip() == app.output, p.stdout + p.stderr
    if name == "deno":  # nothing is fetched at start: the modules are in the image
        p = docker("run", "--rm", "--network", "none", tag, timeout=120)
        assert p.stdout.strip() == app.output, p.stdout + p.stderr

    image = inspect(tag)
    config = image["Config"]
    user = config.get("User") or ""
    assert user, "the image runs as root: Config.User is empty"
    assert user.split(":")[0] not in ("0", "root"), f"Config.User is {user!r}"
    assert sorted(config.get("ExposedPorts") or {}) == sorted(app.expose)
    assert config.get("Cmd") == app.cmd
    assert config.get("Entrypoint") == app.entrypoint

    froms, copies = runtime_copies(dockerfile.read_text())
    assert copies, f"no COPY --from in the final stage of:\n{dockerfile.read_text()}"
    toolchains = {froms[stage] for stage, _, _ in copies}
    assert len(toolchains) == 1, toolchains
    toolchain_ref = toolchains.pop()
    figures[name] = {
        "seconds": result.seconds,
        "image": image["Size"],
        "artifact": size_in_image(tag, [dest for _, _, dest in copies]),
        "toolchain": inspect(toolchain_ref)["Size"],
        "toolchain_ref": toolchain_ref,
    }


def _change(path: Path, name: str, token: str) -> str:
    """Change a source file so that the program prints `token` in its line; the new line."""
    old = APPS[name].output
    text = path.read_text()
    if name == "c":
        path.write_text(text.replace('"hello from c"', f'"hello from c {token}"'))
        return old.replace("hello from c", f"hello from c {token}")
    if name == "go":
        path.write_text(text.replace('"hello from go"', f'"hello from go {token}"'))
        return old.replace("hello from go", f"hello from go {token}")
    if name in ("java", "gradle"):
        greeting = f"hello from {name}"
        path.write_text(text.replace(f'"{greeting}"', f'"{greeting} {token}"'))
        return old.replace(greeting, f"{greeting} {token}")
    if name == "cmake":
        path.write_text(text.replace('"hello from cmake"', f'"hello from cmake {token}"'))
        return old.replace("hello from cmake", f"hello from cmake {token}")
    if name in ("python", "poetry"):
        path.write_text(text + f'print("{token}")\n')
        return f"{old}\n{token}"
    if name == "ruby":
        path.write_text(text + f'puts "{token}"\n')
        return f"{old}\n{token}"
    if name == "deno":
        path.write_text(text + f'console.log("{token}");\n')
        return f"{old}\n{token}"
    raise AssertionError(name)


@pytest.mark.parametrize(
    "name", ["c", "go", "python", "cmake", "poetry", "ruby", "java", "gradle", "deno"]
)
def test_source_change_keeps_dependency_layer_cached(name, base_images, tags, tmp_path_factory):
    app = APPS[name]
    ctx, dockerfile = workspace(tmp_path_factory, name, "cache")
    tag = tag_for(name, "cache")
    build(ctx, dockerfile, tag, tags, no_cache=NO_CACHE)

    # A token never seen before, so the changed sources cannot hit a cache of an earlier run.
    token = f"changed-{uuid.uuid4().hex[:12]}"
    expected = _change(ctx / app.source, name, token)
    steps = build(ctx, dockerfile, tag, tags).steps()
    table = describe(steps)

    build_steps = [s for s in steps if s.stage == "build"]
    copy_all = [s for s in build_steps if s.instruction == "COPY . ."]
    assert len(copy_all) == 1, f"no single `COPY . .` in the build stage:\n{table}"
    source_copy = copy_all[0]
    before = [s for s in build_steps if s.index < source_copy.index and not s.is_from]
    after = [s for s in build_steps if s.index >= source_copy.index]
    assert before, f"nothing before `COPY . .`:\n{table}"
    # Everything up to the source copy is reused (the FROM line is no step of its own)...
    assert all(s.cached for s in before), f"a step before `COPY . .` re-ran:\n{table}"
    assert before[-1].index == source_copy.index - 1 and before[-1].cached, table
    if app.install:
        installs = [s for s in before if s.instruction.startswith("RUN ") and s.instruction.endswith(app.install)]
        assert len(installs) == 1, f"no `{app.install}` step before `COPY . .`:\n{table}"
        assert installs[0].cached, f"`{app.install}` re-ran after a source change:\n{table}"
    # ...and the source copy and every build step after it ran again.
    assert all(s.ran for s in after), f"a step after the source change was not re-run:\n{table}"
    if name == "python":
        # The final image reuses its venv layer too: only the app file's COPY changes.
        copies = [s for s in steps if s.stage == "runtime" and s.instruction.startswith("COPY --from=")]
        venv = [s for s in copies if s.instruction.split()[-2:] == ["/opt/venv", "/opt/venv"]]
        app_py = [s for s in copies if s.instruction.split()[-1] == "/app/app.py"]
        assert len(venv) == 1 and venv[0].cached, f"the runtime's venv COPY re-ran:\n{table}"
        assert len(app_py) == 1 and app_py[0].ran, f"the runtime's app.py COPY did not re-run:\n{table}"

    p = docker("run", "--rm", tag, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.strip() == expected
    print(f"\ncache proof ({name}): after a change to {app.source}\n{table}")

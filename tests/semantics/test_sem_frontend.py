"""Features of a newer Dockerfile frontend, executed: `copies linked` (COPY --link) and
`file` (a heredoc COPY), and the `# syntax=` line they bring.

The system's engine is Docker 20.10, whose built-in frontend reads neither feature; these
cases build on a second, newer engine (Debian 13's Docker 26, BuildKit 0.13, whose built-in
frontend has both), started by scripts/newer-engine.sh on its own socket with containerd's
image store, where a linked copy is laid over the stage apart from it, as BuildKit makes
it (Docker's classic store applies it through the stage, and --link would change nothing
to see). They skip, with the reason, where that engine does not answer (its package could
not be downloaded).

What cannot be shown here: the `# syntax=docker/dockerfile:1.4` line makes an engine pull
that frontend image, and no registry is reachable. So the cases build the output *without
its first line* (Docker 26's own frontend reads the rest), and prove the line apart: it is
the first line, names 1.4, and the engine does read it as its frontend (the build of the
whole output, as `-o` writes it, asks for docker/dockerfile:1.4 and fails only for want of
the registry); and without it, Docker 20.10 fails on the same output.
"""

from __future__ import annotations

import functools
import io
import subprocess
import tarfile
import tempfile
import uuid
from pathlib import Path

import pytest
import shipc
from e2e.engine import docker
from shipc import outputs

from semantics import standins
from semantics.harness import case
from semantics.standins import BUSYBOX

pytestmark = pytest.mark.engine

SOCKET = "unix:///run/ship-docker26.sock"
BASE = "ship-sem-frontend/busybox:2"  # on the newer engine only
SYNTAX = "# syntax=docker/dockerfile:1.4\n"
_TAG = f"ship-sem-frontend/case:{uuid.uuid4().hex[:8]}"


def _newer(*args: str, **kw) -> subprocess.CompletedProcess:
    return docker("-H", SOCKET, *args, **kw)


@functools.cache
def _newer_engine() -> str:
    """Why the newer engine cannot be used ('' if it can), its base image made once."""
    try:
        p = _newer("version", "--format", "{{.Server.Version}}", timeout=10)
    except subprocess.TimeoutExpired:
        return "the newer engine did not answer within 10s"
    if p.returncode != 0 or not p.stdout.strip():
        return "no newer engine on /run/ship-docker26.sock (scripts/newer-engine.sh starts it)"
    if _newer("image", "inspect", BASE).returncode != 0:
        _newer("import", "-", BASE, input=_busybox_root(), text=False, check=True)
    return ""


def _busybox_root() -> bytes:
    """A busybox root: a shell and its tools, /tmp (1777), /lib a link to /usr/lib and
    /srv one to /data (a link ship does not know of)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:

        def add(name: str, kind=tarfile.DIRTYPE, mode=0o755, data=b"", link=""):
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.size, info.linkname = kind, mode, len(data), link
            tar.addfile(info, io.BytesIO(data) if data else None)

        for folder in ("bin", "usr", "usr/bin", "usr/lib", "usr/local", "usr/local/bin", "etc",
                       "data"):
            add(folder)
        add("srv", tarfile.SYMTYPE, link="data")
        add("tmp", mode=0o1777)
        add("lib", tarfile.SYMTYPE, link="usr/lib")
        add("usr/lib/marker", tarfile.REGTYPE, 0o644, b"from the base\n")
        add("etc/passwd", tarfile.REGTYPE, 0o644, b"root:x:0:0:root:/root:/bin/sh\n")
        add("bin/busybox", tarfile.REGTYPE, 0o755, Path("/bin/busybox").read_bytes())
        for tool in ("sh", "cat", "stat", "ls", "echo", "mkdir", "id", "od"):
            add(f"bin/{tool}", tarfile.SYMTYPE, link="busybox")
    return out.getvalue()


@pytest.fixture(scope="module")
def newer():
    reason = _newer_engine()
    if reason:
        pytest.skip(reason)
    built: list[str] = []
    yield built
    if built:
        _newer("rmi", "--force", *built)


def _compile(source: str) -> str:
    return shipc.compile_source(source, "case.ship").dockerfile


def _build(
    built: list[str], dockerfile: str, files: dict[str, str], args=(), target=None
) -> tuple[str, str]:
    """Build a Dockerfile text on the newer engine; (tag, log). Fails the test if it fails."""
    tag = f"{_TAG}-{len(built) + 1}"
    result = _try_build(_newer, dockerfile, files, tag, args, target)
    assert result.returncode == 0, f"{dockerfile}\n{(result.stderr + result.stdout)[-3000:]}"
    built.append(tag)
    return tag, result.stderr + result.stdout


def _try_build(run, dockerfile: str, files: dict[str, str], tag: str, args=(), target=None):
    with tempfile.TemporaryDirectory(prefix="ship-sem-frontend-") as tmp:
        root = Path(tmp)
        (root / "context").mkdir()
        for name, text in files.items():
            (root / "context" / name).write_text(text)
        (root / "Dockerfile").write_text(dockerfile)
        argv = ["build", "--progress=plain", "--network", "host", "-f", str(root / "Dockerfile")]
        for arg in args:
            argv += ["--build-arg", arg]
        argv += ["--target", target] if target else []
        return run(*argv, "-t", tag, str(root / "context"))


def _without_syntax_line(dockerfile: str) -> str:
    assert dockerfile.startswith(SYNTAX), dockerfile[:200]
    return dockerfile.removeprefix(SYNTAX)


def _cat(image: str, path: str) -> bytes:
    p = _newer("run", "--rm", "--network", "none", "--entrypoint", "/bin/cat", image, path,
               text=False, check=True)
    return p.stdout


def _sh(image: str, script: str) -> str:
    p = _newer("run", "--rm", "--network", "none", "--user", "0:0", "--entrypoint", "/bin/sh",
               image, "-c", script, check=True)
    return p.stdout


LINKED = f"""app demo

build image {BASE} {{
    copy none
    run mkdir -p /out && echo built > /out/tool
    artifact /out/tool -> /usr/local/share/tool
}}

runtime image {BASE} {{
    family debian
    copies linked
    writable data
    copy a.txt -> /srv/
    copy c.txt
    copy seed.txt -> data/
    cmd /bin/cat /srv/a.txt
}}
"""
FILES = {"a.txt": "a\n", "seed.txt": "seed\n", "c.txt": "c\n"}


@case("copies")
def test_every_copy_of_a_linked_stage_is_laid_over_it_apart(newer):
    """Every COPY of the runtime is COPY --link (its copies and the artifact it receives):
    made apart from the stage, it cannot see the base. Shown where that differs: the base's
    /srv is a link to /data, which ship does not know of; a plain copy to /srv/ lands in
    /data through the link, a linked one makes /srv a folder of its own. The folders ship
    makes come out as they were: the work directory root's, the writable folder the
    user's, and the files root's unless they land in it. A copy into the writable folder
    stays a plain COPY: made --link with --chown, it made every folder on its way the
    user's, /app too (the last copy of the stage, nothing laid /app over it again)."""
    dockerfile = _compile(LINKED)
    for line in ("COPY --link a.txt /srv/", "\nCOPY --chown=65532:65532 seed.txt /app/data/",
                 "COPY --link c.txt /app/c.txt",
                 "COPY --link --from=build /out/tool /usr/local/share/tool"):
        assert line in dockerfile, dockerfile
    image, _ = _build(newer, _without_syntax_line(dockerfile), FILES)
    assert _sh(image, "ls /srv; ls /data; test -L /srv || echo not-a-link").split() == [
        "a.txt", "not-a-link",
    ]
    assert _cat(image, "/srv/a.txt") == b"a\n"
    assert _cat(image, "/usr/local/share/tool") == b"built\n"
    stats = _sh(image, "stat -c '%n %a %u' /app /app/c.txt /app/data /app/data/seed.txt")
    assert stats.splitlines() == [
        "/app 755 0", "/app/c.txt 644 0", "/app/data 755 65532", "/app/data/seed.txt 644 65532",
    ]
    plain = _compile(LINKED.replace("    copies linked\n", ""))
    assert "--link" not in plain and not plain.startswith("# syntax")
    image, _ = _build(newer, plain, FILES)
    assert _sh(image, "ls /data; test -L /srv && echo a-link").split() == ["a.txt", "a-link"]


def test_what_ship_refuses_of_a_linked_copy_breaks_the_image(newer):
    """Why ship refuses a linked copy under /lib (a link to /usr/lib on merged-/usr images)
    or /tmp: the engine makes /lib a real folder holding only the copy (what the link gave
    is gone) and /tmp root's with mode 0755 (no longer writable by all). ship's errors, and
    the image a hand-written COPY --link makes."""
    for destination, said in (("/lib/", "goes through /lib, a link to /usr/lib"),
                              ("/tmp/x/", "would leave /tmp root's with mode 0755")):
        source = LINKED.replace("copy c.txt", f"copy c.txt -> {destination}")
        with pytest.raises(shipc.ShipErrors) as caught:
            _compile(source)
        assert said in caught.value.diagnostics[0].message
    text = f"FROM {BASE} AS runtime\nCOPY --link c.txt /lib/\nCOPY --link c.txt /tmp/x/\n"
    image, _ = _build(newer, text, FILES)
    assert _sh(image, "ls /lib; test -e /lib/marker || echo marker-gone").split() == [
        "c.txt", "marker-gone",
    ]
    assert _sh(image, "stat -c %a /tmp").strip() == "755"


# Lines that must arrive as written: a terminator, lookalikes, `$`, a final backslash, a
# comment, a Dockerfile instruction, blanks and a tab.
LINES = [
    ("SHIP_EOF", '"SHIP_EOF"'),
    ("EOF", "EOF"),
    ("$HOME ${PATH} $(id)", '"$$HOME $${PATH} $$(id)"'),
    ("ends in a backslash \\", '"ends in a backslash \\\\"'),
    ("# not a comment", '"# not a comment"'),
    ("RUN rm -rf /", '"RUN rm -rf /"'),
    ("", '""'),
    ("  trailing blanks  ", '"  trailing blanks  "'),
    ("\ttabbed", '"\\ttabbed"'),
    ('say "hi"', '"say \\"hi\\""'),
]


@case("file")
def test_a_files_lines_arrive_byte_for_byte(newer):
    """`file` writes its lines exactly, each ending in a newline, nothing expanded and no
    line ending the text early; `mode=` sets the mode; the file is root's, or the user's
    in a writable folder; a script so written runs."""
    words = " ".join(written for _, written in LINES)
    source = (
        "app demo\n\n"
        f"runtime image {BASE} {{\n"
        "    family debian\n"
        f"    file /etc/text {words}\n"
        '    file /usr/local/bin/hello mode=755 "#!/bin/sh" "echo hello from $$0"\n'
        "    writable data\n"
        '    file data/seed "x"\n'
        "    file /etc/empty\n"
        "    cmd hello\n"
        "}\n"
    )
    dockerfile = _compile(source)
    assert '<<"SHIP_EOF_2" /etc/text' in dockerfile
    image, _ = _build(newer, _without_syntax_line(dockerfile), {})
    assert _cat(image, "/etc/text") == "".join(f"{line}\n" for line, _ in LINES).encode()
    assert _cat(image, "/etc/empty") == b""
    p = _newer("run", "--rm", "--network", "none", image, check=True)
    assert p.stdout == "hello from /usr/local/bin/hello\n"
    stats = _sh(image, "stat -c '%n %a %u' /etc/text /usr/local/bin/hello /app/data/seed")
    assert stats.splitlines() == [
        "/etc/text 644 0", "/usr/local/bin/hello 755 0", "/app/data/seed 644 65532",
    ]


INSTALL_READS = f"""app demo

build image {BASE} {{
    file .npmrc "registry=https://npm.example.com/"
    file /etc/pip.conf "[global]" "index-url = https://pypi.example.com/simple"
    deps package.json
    install cat .npmrc /etc/pip.conf > /seen-by-install
    run mkdir -p /out && cp /seen-by-install /out/install && cat .npmrc main.txt > /out/run
    artifact /out/install /out/run -> /etc/seen/
}}

runtime image {BASE} {{
    cmd /bin/cat /etc/seen/install
}}
"""


def _step(log: str, text: str) -> str:
    """The number BuildKit's plain progress gives the step whose line holds `text`."""
    line = next(x for x in log.splitlines() if text in x and "] RUN " in x)
    return line.split()[0]


@case("file", "install")
def test_a_file_written_before_the_steps_is_read_by_the_install(newer):
    """A build's `file` lines written before its first step are written before the
    install, which reads them (an `.npmrc`, a `pip.conf`), though the context holds an
    `.npmrc` of its own: the whole context comes after the install, and the declared file
    is written again over it, so the steps read it too. The files come before the
    manifests: a change of the sources, of the manifests' neighbours or of the context's
    own `.npmrc` leaves the install cached."""
    dockerfile = _compile(INSTALL_READS)
    files = {"package.json": "{}\n", ".npmrc": "registry=https://from-the-context/\n",
             "main.txt": "main\n"}
    image, _ = _build(newer, _without_syntax_line(dockerfile), files)
    declared = b"registry=https://npm.example.com/\n"
    pip = b"[global]\nindex-url = https://pypi.example.com/simple\n"
    assert _cat(image, "/etc/seen/install") == declared + pip
    assert _cat(image, "/etc/seen/run") == declared + b"main\n"
    changed = {**files, "main.txt": "changed\n", ".npmrc": "registry=https://other/\n"}
    image, log = _build(newer, _without_syntax_line(dockerfile), changed)
    assert f"{_step(log, 'seen-by-install')} CACHED" in log, log[-3000:]
    assert _cat(image, "/etc/seen/run") == declared + b"changed\n"


MANIFEST_FILE = """app r

build python semsuite {
    file requirements.txt "flask==3.0"
    run python -m r
    artifact . -> /app/
}

runtime python semsuite slim {
    cmd python -m r
}
"""


def _python_standin() -> None:
    """The python stand-in (`python:semsuite`) on the newer engine, made once."""
    tag = f"python:{standins.VERSION}"
    if _newer("image", "inspect", tag).returncode != 0:
        extra, changes = standins.IMAGES[tag]
        flags = [a for c in (f"ENV PATH={standins.PATH}", *changes) for a in ("--change", c)]
        _newer("import", *flags, "-", tag, input=standins.root_fs(extra), text=False, check=True)


@case("file", "deps")
def test_a_file_at_a_manifests_place_is_the_manifest_the_install_reads(newer):
    """`file requirements.txt` in a pip build, the context holding a requirements.txt of
    its own: the install reads the declared one (the fake pip appends what it reads to
    the venv's lib/installed), and the sources' copy is written over again."""
    _python_standin()
    dockerfile = _without_syntax_line(_compile(MANIFEST_FILE))
    files = {"requirements.txt": "flask==2.0\n", "main.txt": "main\n"}
    image, _ = _build(newer, dockerfile, files, target="build")
    assert _cat(image, "/opt/venv/lib/installed") == b"flask==3.0\n"
    assert _cat(image, "/app/requirements.txt") == b"flask==3.0\n"
    image, _ = _build(newer, dockerfile, {"main.txt": "main\n"}, target="build")
    assert _cat(image, "/opt/venv/lib/installed") == b"flask==3.0\n"


def test_the_syntax_line_is_read_as_the_frontend_to_use(newer):
    """The whole output, as `-o` writes it (the syntax line, the header, the stamp), asks
    the engine for docker/dockerfile:1.4: the line is read as the parser directive it is
    meant to be. Offline, that frontend cannot be pulled, so the build stops there."""
    compiled = shipc.compile_source(LINKED, "case.ship")
    written = outputs.stamped(compiled, ()).decode()
    lines = written.splitlines()
    assert lines[0] == SYNTAX.strip()
    assert lines[1].startswith("# Generated by ship") and lines[2].startswith("# ship-stamp ")
    result = _try_build(_newer, written, FILES, f"{_TAG}-syntax")
    log = result.stderr + result.stdout
    assert "docker/dockerfile:1.4" in log, log[-2000:]
    if result.returncode == 0:  # a registry answered: the frontend so named built it
        newer.append(f"{_TAG}-syntax")


def test_without_the_syntax_line_docker_20_cannot_read_the_output():
    """The line is needed: Docker 20.10's own frontend fails on COPY --link and on a
    heredoc, which is what an engine of that age does with the output without it."""
    for feature in ("    copies linked\n", '    file /etc/motd "hi"\n'):
        source = f"app demo\n\nruntime image {BUSYBOX} {{\n{feature}    copy a.txt -> /srv/\n}}\n"
        text = _without_syntax_line(_compile(source))
        result = _try_build(docker, text, {"a.txt": "a\n"}, f"{_TAG}-old")
        assert result.returncode != 0, text
        docker("rmi", f"{_TAG}-old")


def test_ship_build_says_which_line_needs_the_frontend_it_could_not_fetch(tmp_path):
    """`ship build` of such a file on an engine that cannot pull docker/dockerfile:1.4 (no
    registry here): the failure is reported at the first .ship line that needs it, with
    what to do, instead of an unplaced docker error."""
    from semantics.test_sem_ship_build import ship_build

    (tmp_path / "app.ship").write_text(
        f'app demo\n\nruntime image {BUSYBOX} {{\n    file /etc/motd "hi"\n    cmd true\n}}\n'
    )
    result = ship_build(tmp_path, "app.ship", ".")
    assert result.returncode == 4, result.stderr
    assert (
        "app.ship:4:5: error: docker build failed: the engine could not fetch the frontend"
        " docker/dockerfile:1.4, which this line needs (a heredoc)"
    ) in result.stderr
    assert "without 'copies linked' and 'file'" in result.stderr

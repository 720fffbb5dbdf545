"""Build-stage directives, executed: run, install, deps, copy, env, workdir, secret, cache,
artifact's build side, links. Each case builds on the engine and looks at the result."""

from __future__ import annotations

import uuid

import pytest

from semantics.harness import (
    LITERALS,
    build,
    build_fails,
    calls,
    case,
    compile_ship,
    refused,
    sh,
    tree,
)
from semantics.standins import BUSYBOX, CALLS

pytestmark = pytest.mark.engine

RUNTIME = f"runtime image {BUSYBOX} {{\n    cmd true\n}}\n"


def ship(body: str, base: str = f"image {BUSYBOX}", head: str = "build") -> str:
    """A file with one build block (`body` indented by the caller) and a minimal runtime."""
    return f"app demo\n\n{head} {base} {{\n{body}}}\n\n{RUNTIME}"


def text(image: str, path: str) -> str:
    return tree(image)[path].data.decode()


# --- run ---------------------------------------------------------------------------------


@case("run", "build")
def test_run_lines_execute_in_order_around_copies():
    body = (
        "    run echo one >> /log\n"
        "    run echo two >> /log\n"
        "    copy a.txt\n"
        "    run cat a.txt >> /log\n"
        "    run echo four >> /log\n"
    )
    image = build(ship(body), {"a.txt": "three\n"}, target="build")
    assert text(image, "/log") == "one\ntwo\nthree\nfour\n"


@case("run")
@pytest.mark.parametrize("failing, position", [
    ("false", "first"), ("false", "middle"), ("false", "last"),
    ("exit 3", "middle"), ("sh -c 'exit 1'", "last"), ("false | true", "first"),
])
def test_each_failing_run_line_fails_the_build(failing, position):
    lines = ["echo a > /a", "echo b > /b"]
    lines.insert({"first": 0, "middle": 1, "last": 2}[position], failing)
    body = "".join(f"    run {line}\n" for line in lines)
    build_fails(ship(body, base="go semsuite"), {"go.mod": "module demo\n"}, target="build")


@case("run")
def test_run_text_is_the_shells_verbatim():
    # '#', quotes, braces, '$' and '|' belong to the shell; '\' at the end continues.
    body = (
        "    run echo a#b {c} \"d  e\" 'f $HOME' $HOME | tr a A > /out.txt\n"
        "    run printf '%s,' one \\\n"
        "        two > /cont.txt\n"
    )
    image = build(ship(body), target="build")
    assert text(image, "/out.txt") == "A#b {c} d  e f $HOME /root\n"
    assert text(image, "/cont.txt") == "one,two,"


@case("run")
def test_each_run_line_behaves_as_its_own_run():
    """Lines merged into one RUN keep their meaning: a `cd`, `export`, `set` or `exit 0`
    on one line does not reach the next."""
    body = (
        "    run cd /tmp\n"
        "    run pwd > /pwd\n"
        "    run export X=1; umask 077\n"
        "    run echo \"x=$X\" > /x && touch /umask-file\n"
        "    run set -e; exit 0\n"
        "    run echo after-exit > /after\n"
    )
    found = tree(build(ship(body), target="build"))
    assert (found["/pwd"].data, found["/x"].data) == (b"/src\n", b"x=\n")
    assert found["/umask-file"].mode == 0o644
    assert found["/after"].data == b"after-exit\n"


@case("run")
def test_a_quoted_or_escaped_built_in_stays_on_its_line():
    """The shell removes quotes and escapes before it looks a command up: `\\cd`, `"cd"`,
    `c\\d`, `\\export`, `\\. ./x`, `\\set`, `\\exit 0` are the built-ins, kept to their
    line (new-user trial: `run \\cd /tmp` moved the next line to /tmp, `\\exit 0` skipped
    every later line)."""
    body = (
        "    run printf 'Y=1\\n' > /env.sh\n"
        "    run \\cd /tmp\n"
        "    run pwd > /pwd1\n"
        "    run \"cd\" /tmp\n"
        "    run 'cd' /tmp\n"
        "    run c\\d /tmp\n"
        "    run pwd > /pwd2\n"
        "    run \\export X=1\n"
        "    run \\. /env.sh\n"
        "    run echo \"x=$X y=$Y\" > /xy\n"
        "    run \\set -e\n"
        "    run \\exit 0\n"
        "    run echo after-exit > /after\n"
    )
    source = ship(body)
    assert "( \\cd /tmp )" in compile_ship(source)
    found = tree(build(source, target="build"))
    assert (found["/pwd1"].data, found["/pwd2"].data) == (b"/src\n", b"/src\n")
    assert found["/xy"].data == b"x= y=\n"
    assert found["/after"].data == b"after-exit\n"


@case("run")
def test_a_shift_in_arithmetic_runs():
    """New-user trial: `run echo $((1<<2))` was refused as a heredoc."""
    found = tree(build(ship("    run echo $((1<<2)) $((16#ff)) > /n\n"), target="build"))
    assert found["/n"].data == b"4 255\n"


@case("run", "runtime")
def test_runtime_run_runs_as_root_before_user():
    source = (
        "app demo\n"
        f"runtime image {BUSYBOX} {{\n"
        "    run id -u > /ran-as && mkdir /made-by-run\n"
        "    user 4321\n"
        "}\n"
    )
    image = build(source)
    assert sh(image, "cat /ran-as; stat -c %u /made-by-run; id -u").split() == [
        "0", "0", "4321"
    ]


# --- install and deps --------------------------------------------------------------------

_NODE_APP = {
    "package.json": "{}\n",
    "package-lock.json": "{}\n",
    "index.js": "console.log(1)\n",
}


@case("install")
def test_install_replaces_the_managers_command_before_the_sources():
    body = (
        "    install ls -A > /install-saw && npm install --omit=dev\n"
        "    run npm run build\n"
        "    artifact dist\n"
    )
    image = build(ship(body, base="node semsuite"), _NODE_APP, target="build")
    files = tree(image)
    # The manifests only, no sources yet: a source change keeps this layer cached.
    assert files["/install-saw"].data.decode().split() == ["package-lock.json", "package.json"]
    calls = files[CALLS].data.decode().splitlines()
    assert calls == ["npm install --omit=dev", "npm run build"]  # no `npm ci`
    assert "/app/index.js" in files and "/app/dist/index.js" in files


@case("install", "secret")
def test_install_sees_the_managers_cache_and_the_blocks_secrets():
    body = (
        "    secret tok\n"
        "    install cat /run/secrets/tok > /install-secret-len.txt"
        " && mount | grep -c ' /root/.npm ' > /install-npm-cache.txt && npm ci\n"
    )
    image = build(
        ship(body, base="node semsuite"), _NODE_APP, target="build", secrets={"tok": "s3cr3t"}
    )
    files = tree(image)
    assert files["/install-secret-len.txt"].data == b"s3cr3t"
    assert files["/install-npm-cache.txt"].data == b"1\n"


@case("deps")
def test_deps_replace_the_manifests_and_keep_the_install():
    body = ("    deps a.txt sub/b.txt\n"
            "    install find . -type f | sort > /install-saw && go mod download\n")
    files = {"go.mod": "module demo\n", "a.txt": "a", "sub/b.txt": "b", "main.go": ""}
    image = build(ship(body, base="go semsuite"), files, target="build")
    # Each at its relative place; go.mod is not a manifest any more.
    assert text(image, "/install-saw").split() == ["./a.txt", "./sub/b.txt"]
    assert text(image, CALLS).splitlines() == ["go mod download"]


@case("deps")
def test_deps_none_copies_no_manifest_and_drops_the_install():
    body = "    deps none\n    run ls -A > /ls\n"
    image = build(ship(body, base="go semsuite"), {"go.mod": "module demo\n"}, target="build")
    assert text(image, "/ls").split() == ["go.mod"]  # from COPY . . only
    assert CALLS not in tree(image)  # no `go mod download`


@case("deps", "install")
def test_deps_and_install_on_an_image_build():
    body = "    deps req.txt\n    install cp req.txt /installed-from\n    run ls -A > /ls\n"
    image = build(ship(body), {"req.txt": "r\n", "x.c": ""}, target="build")
    assert text(image, "/installed-from") == "r\n"
    assert text(image, "/ls").split() == ["req.txt", "x.c"]


# --- copy --------------------------------------------------------------------------------


@case("copy")
def test_copy_without_arrow_keeps_relative_places():
    body = "    copy src include/x.h *.txt\n    run find . | sort > /found\n"
    files = {"src/a.c": "", "src/deep/b.c": "", "include/x.h": "", "include/y.h": "",
             "one.txt": "", "two.txt": "", "left-out.md": ""}
    image = build(ship(body), files, target="build")
    found = text(image, "/found").split()
    # Only what is copied (no `COPY . .`), each source at its own place, globs to ./
    assert found == [".", "./include", "./include/x.h", "./one.txt", "./src", "./src/a.c",
                     "./src/deep", "./src/deep/b.c", "./two.txt"]


@case("copy")
def test_copy_with_arrow_follows_docker():
    body = (
        "    copy a.txt -> /etc/renamed.txt\n"
        "    copy a.txt b.txt -> /opt/both/\n"
        "    copy conf -> /opt/conf-contents\n"
        "    copy a.txt -> rel/\n"
    )
    files = {"a.txt": "A", "b.txt": "B", "conf/c.ini": "C"}
    found = tree(build(ship(body), files, target="build"))
    assert found["/etc/renamed.txt"].data == b"A"
    assert found["/opt/both/a.txt"].data == b"A" and found["/opt/both/b.txt"].data == b"B"
    assert found["/opt/conf-contents/c.ini"].data == b"C"  # the directory's contents
    assert found["/src/rel/a.txt"].data == b"A"  # relative to the work directory


@case("copy", "runtime", "writable")
def test_runtime_copies_are_roots_unless_they_land_in_a_writable_folder():
    """Code is root's, the folders the app writes (`writable`) and what lands in them its."""
    source = (
        "app demo\n"
        f"runtime image {BUSYBOX} {{\n"
        "    family alpine\n"
        "    copy config.toml conf\n"
        "    copy config.toml -> etc/other.toml\n"
        "    copy config.toml -> /etc/demo.toml\n"
        "    workdir /srv\n"
        "    writable conf\n"
        "    user 77:88\n"
        "}\n"
    )
    found = tree(build(source, {"config.toml": "k=1\n", "conf/x": "x"}))
    for path in ("/srv/conf", "/srv/conf/x"):
        assert (found[path].uid, found[path].gid) == (77, 88), path
    for path in ("/srv", "/srv/config.toml", "/srv/etc", "/srv/etc/other.toml", "/etc/demo.toml"):
        assert (found[path].uid, found[path].gid) == (0, 0), path
    assert found["/srv/config.toml"].data == b"k=1\n"


@case("copy", "build")
def test_without_copy_the_whole_context_is_copied():
    image = build(ship("    run find . | sort > /found\n"), {"a": "", "d/b": ""},
                  target="build")
    assert text(image, "/found").split() == [".", "./a", "./d", "./d/b"]


# --- env and workdir ---------------------------------------------------------------------

def _literal_pairs() -> str:
    return " ".join(f"{k}={v}" for k, (v, _) in LITERALS.items())


@case("env")
def test_env_values_are_literal_in_build_steps():
    body = f"    env {_literal_pairs()}\n    run env > /env.txt\n"
    image = build(ship(body), target="build")
    seen = dict(line.split("=", 1) for line in text(image, "/env.txt").splitlines()
                if "=" in line)
    for key, (_, value) in LITERALS.items():
        assert seen.get(key) == value, key


@case("env", "runtime")
def test_env_values_are_literal_in_the_image_config():
    from semantics.harness import env

    source = f"app demo\nruntime image {BUSYBOX} {{\n    env {_literal_pairs()}\n}}\n"
    found = env(build(source))
    for key, (_, value) in LITERALS.items():
        assert found.get(key) == value, key


@case("env")
def test_env_reading_an_earlier_key_and_a_preset_key():
    body = "    env A=1 B=${A}2 C=${CGO_ENABLED}\n    run echo $A $B $C > /env.txt\n"
    image = build(ship(body, base="go semsuite"), {"go.mod": "module demo\n"},
                  target="build")
    assert text(image, "/env.txt") == "1 12 0\n"


@case("workdir")
def test_workdir_of_a_build_holds_sources_steps_and_relative_paths():
    body = (
        "    workdir /work/here\n"
        "    run pwd > /pwd && go build -o bin/app .\n"
        "    artifact bin/app\n"
    )
    found = tree(build(ship(body, base="go semsuite"), {"go.mod": "module demo\n"},
                       target="build"))
    assert found["/pwd"].data == b"/work/here\n"
    assert "/work/here/go.mod" in found and "/work/here/bin/app" in found
    assert "/src" not in found  # the preset's work directory is replaced


@case("workdir", "runtime", "writable")
@pytest.mark.parametrize("writable, owner", [("", "0"), ("    writable .\n", "77")])
def test_workdir_of_a_runtime_is_the_containers_roots_unless_writable(writable, owner):
    source = (
        f"app demo\nruntime image {BUSYBOX} {{\n    family alpine\n    workdir /srv/app\n"
        f"{writable}    user 77\n}}\n"
    )
    image = build(source)
    from semantics.harness import config

    assert config(image)["WorkingDir"] == "/srv/app"
    assert sh(image, "pwd; stat -c %u .").split() == ["/srv/app", owner]


# --- secret ------------------------------------------------------------------------------


@case("secret")
def test_secret_is_readable_in_runs_and_absent_from_the_image():
    value = f"s3cr3t-{uuid.uuid4().hex}"
    body = (
        "    secret tok\n"
        "    secret other -> /root/.tokrc\n"
        f"    run : {uuid.uuid4().hex} && sha1sum < /run/secrets/tok > /tok.sum"
        " && sha1sum < /root/.tokrc > /rc.sum\n"
    )
    image = build(ship(body), target="build", secrets={"tok": value, "other": value + "2"})
    found = tree(image)
    assert found["/tok.sum"].data.split()[0] == _sha1(value)
    assert found["/rc.sum"].data.split()[0] == _sha1(value + "2")
    assert "/run/secrets/tok" not in found and "/root/.tokrc" not in found
    assert not [p for p, e in found.items() if value.encode() in e.data]
    from semantics.harness import inspect

    assert value not in str(inspect(image))  # not in ENV, LABEL, history


@case("secret", "test")
def test_secret_in_a_test_block():
    # BuildKit does not hash a secret's value: a nonce keeps the step from being reused.
    source = (
        "app demo\n"
        f"build image {BUSYBOX} {{\n    run true\n}}\n"
        "test from build {\n    secret tok\n"
        "    run : {nonce} && test \"$(cat /run/secrets/tok)\" = ok\n}\n"
        f"{RUNTIME}"
    )
    build(source.replace("{nonce}", uuid.uuid4().hex), target="test", secrets={"tok": "ok"})
    build_fails(source.replace("{nonce}", uuid.uuid4().hex), target="test",
                secrets={"tok": "wrong"})


def _sha1(value: str) -> bytes:
    import hashlib

    return hashlib.sha1(value.encode()).hexdigest().encode()


# --- cache -------------------------------------------------------------------------------


@case("cache")
def test_cache_outlives_the_build_and_stays_out_of_the_image():
    nonce = uuid.uuid4().hex
    cache = f"/var/cache/ship-sem-{nonce[:12]}"  # this run's own cache: no other run writes it
    first = build(ship(f"    cache {cache}\n    run echo {nonce} > {cache}/nonce\n"),
                  target="build")
    assert f"{cache}/nonce" not in tree(first)
    # Another build (another command, so nothing is reused from the first) sees the file.
    second = build(ship(f"    cache {cache}\n    run cat {cache}/nonce > /seen\n"),
                   target="build")
    assert text(second, "/seen") == nonce + "\n"


@case("cache")
def test_relative_cache_is_under_the_workdir_and_in_every_run():
    body = (
        "    cache .cache\n"
        "    run mount | grep -c ' /src/.cache ' > /first\n"
        "    copy a.txt\n"
        "    run mount | grep -c ' /src/.cache ' > /second\n"
    )
    found = tree(build(ship(body), {"a.txt": ""}, target="build"))
    assert found["/first"].data == found["/second"].data == b"1\n"


@case("cache", "test")
def test_cache_in_a_test_block_and_the_toolchains_caches_inherited():
    source = (
        "app demo\n"
        "build go semsuite {\n    run go build -o /out/demo .\n    artifact /out/demo\n}\n"
        "test from build {\n    cache /var/cache/t\n"
        "    run mount | grep -E -o ' (/var/cache/t|/go/pkg/mod|/root/.cache/go-build) '"
        " | sort > /mounts\n}\n"
        f"runtime alpine semsuite {{\n    cmd demo\n}}\n"
    )
    image = build(source, {"go.mod": "module demo\n"}, target="test")
    assert text(image, "/mounts").split() == ["/go/pkg/mod", "/root/.cache/go-build",
                                              "/var/cache/t"]


# --- links (compile time) ----------------------------------------------------------------


@case("links")
def test_links_static_lets_a_c_binary_ship_on_scratch():
    """`links` changes only the artifact-fit check: with it the file compiles and builds;
    without it (c links dynamically) the same file is refused."""
    template = (
        "app demo\nbuild c semsuite {{\n{links}    run gcc -static -o /out/hello hello.c\n"
        "    artifact /out/hello\n}}\nruntime scratch {{\n    cmd hello\n}}\n"
    )
    assert "need glibc" in refused(template.format(links=""))
    image = build(template.format(links="    links static\n"), {"hello.c": ""})
    found = tree(image)
    assert found["/usr/local/bin/hello"].mode == 0o755
    assert b"made by gcc" in found["/usr/local/bin/hello"].data


@case("links")
def test_links_dynamic_makes_a_go_binary_need_a_libc():
    template = (
        "app demo\nbuild go semsuite {{\n{links}    run go build -o /out/demo .\n"
        "    artifact /out/demo\n}}\nruntime {runtime} {{\n    cmd demo\n}}\n"
    )
    assert "need glibc" in refused(template.format(links="    links dynamic\n", runtime="scratch"))
    image = build(template.format(links="    links dynamic\n", runtime="debian semsuite"),
                  {"go.mod": "module demo\n"})
    assert sh(image, "demo") == "demo made by go CGO_ENABLED=0\n"


@case("deps", "copy")
def test_globs_in_deps_and_copy_land_in_their_folder():
    body = (
        "    deps conf/*.xml\n    install find . -type f | sort > /deps-saw\n"
        "    copy src/*.c\n    run find . -type f | sort > /found\n"
    )
    files = {"conf/a.xml": "", "conf/b.txt": "", "src/x.c": "", "src/y.h": ""}
    found = tree(build(ship(body), files, target="build"))
    assert found["/deps-saw"].data.split() == [b"./conf/a.xml"]
    assert found["/found"].data.split() == [b"./conf/a.xml", b"./src/x.c"]


def cached(output: str, command: str) -> bool:
    """Whether the step running `command` was taken from the cache (plain progress log)."""
    steps = {line.split()[0] for line in output.splitlines()
             if line.startswith("#") and command in line and "RUN" in line}
    assert steps, f"no step runs {command!r}:\n{output}"
    return all(f"{step} CACHED" in output for step in steps)


@case("deps", "install")
def test_a_source_change_keeps_the_dependency_layer_cached():
    from semantics.harness import run_build

    nonce = uuid.uuid4().hex
    body = f"    install echo {nonce} > /installed\n    run cat main.go > /main\n"
    source = ship(body, base="go semsuite")
    first = run_build(source, {"go.mod": "module demo\n", "main.go": "1"}, target="build")
    second = run_build(source, {"go.mod": "module demo\n", "main.go": "2"}, target="build")
    assert first.ok and second.ok
    assert not cached(first.output, f"echo {nonce}")
    assert cached(second.output, f"echo {nonce}")
    assert text(second.image, "/main") == "2"


@case("arg")
def test_a_new_arg_value_keeps_the_steps_before_its_use_cached():
    from semantics.harness import run_build

    nonce = uuid.uuid4().hex
    source = (
        f"app demo\narg V=1\nbuild image {BUSYBOX} {{\n    run echo {nonce} > /before\n"
        "    copy a.txt\n    run echo $V > /after\n}\n" + RUNTIME
    )
    first = run_build(source, {"a.txt": ""}, target="build", build_args={"V": "a"})
    second = run_build(source, {"a.txt": ""}, target="build", build_args={"V": "b"})
    assert first.ok and second.ok
    assert cached(second.output, f"echo {nonce}")
    assert not cached(second.output, "> /after")  # the log shows the value: "echo b"
    assert text(second.image, "/after") == "b\n"


@case("deps", "install")
def test_deps_none_with_an_install_still_runs_it():
    body = "    deps none\n    install ls -A > /install-saw\n"
    found = tree(build(ship(body, base="go semsuite"), {"go.mod": "module demo\n"},
                       target="build"))
    assert found["/install-saw"].data == b""  # no manifest copied before it
    assert CALLS not in found


@case("test", "copy", "workdir", "env")
def test_a_test_copies_sets_its_workdir_and_env():
    source = (
        f"app demo\nbuild image {BUSYBOX} {{\n    run true\n}}\n"
        "test from build {\n    workdir /t\n    env MODE=\"unit tests\"\n"
        "    copy fixtures -> fx\n"
        "    run cat fx/f.txt > /seen && echo \"$MODE\" >> /seen && pwd >> /seen\n}\n"
        f"{RUNTIME}"
    )
    found = tree(build(source, {"fixtures/f.txt": "f\n"}, target="test"))
    assert found["/seen"].data == b"f\nunit tests\n/t\n"


@case("env", "links")
def test_env_overrides_the_presets_and_cgo_makes_go_need_a_libc():
    template = (
        "app demo\nbuild go semsuite {{\n    env CGO_ENABLED=1\n    run go build -o /out/demo .\n"
        "    artifact /out/demo\n}}\nruntime {runtime} {{\n    cmd demo\n}}\n"
    )
    assert "need glibc" in refused(template.format(runtime="scratch"))
    image = build(template.format(runtime="debian semsuite"), {"go.mod": "module demo\n"})
    assert sh(image, "demo") == "demo made by go CGO_ENABLED=1\n"


@case("manager.uv")
def test_the_uv_version_chosen_in_the_head_is_installed():
    source = (
        "app demo\nbuild python semsuite uv=0.6.14 {\n    run python -V\n}\n"
        f"{RUNTIME}"
    )
    image = build(source, {"pyproject.toml": "[project]\n", "uv.lock": ""}, target="build")
    assert "pip install --root-user-action=ignore uv==0.6.14" in calls(image)


@case("env", "install")
def test_a_builds_env_lines_are_seen_from_where_they_are_written():
    """An env line before the first step is seen by the install and every step; one after
    the `install` line or after a run only by what comes after it."""
    body = (
        "    env EARLY=1\n"
        '    install echo "install [$EARLY][$AFTER_INSTALL][$LATE]" >> /log\n'
        "    env AFTER_INSTALL=2\n"
        '    run echo "first [$EARLY][$AFTER_INSTALL][$LATE]" >> /log\n'
        "    env LATE=3\n"
        '    run echo "second [$EARLY][$AFTER_INSTALL][$LATE]" >> /log\n'
    )
    image = build(ship(body), target="build")
    assert text(image, "/log").splitlines() == [
        "install [1][][]",
        "first [1][2][]",
        "second [1][2][3]",
    ]


@case("env", "build", "test")
def test_a_go_build_gets_cgo_only_for_the_commands_after_the_env_line():
    """The preset's CGO_ENABLED=0 holds until the line that sets it again: a program built
    before it is static, one after it is built with cgo; a test of the build likewise."""
    body = (
        "    run go build -o /out/a-static .\n"
        "    env CGO_ENABLED=1\n"
        "    run go build -o /out/a-dyn .\n"
        "    artifact /out/a-static /out/a-dyn\n"
    )
    source = ship(body, base="go semsuite") + (
        "\ntest from build {\n"
        "    run /out/a-dyn > /t1\n"
        "    env CGO_ENABLED=0\n"
        "    run go build -o /out/t . && /out/t > /t2\n"
        "}\n"
    )
    image = build(source, {"go.mod": "module demo\n"}, target="test")
    assert sh(image, "/out/a-static") == "a-static made by go CGO_ENABLED=0\n"
    assert sh(image, "/out/a-dyn") == "a-dyn made by go CGO_ENABLED=1\n"
    assert text(image, "/t1") == "a-dyn made by go CGO_ENABLED=1\n"
    assert text(image, "/t2") == "t made by go CGO_ENABLED=0\n"


@case("env", "binary", "links")
def test_cgo_after_the_binary_line_is_not_what_built_its_program():
    """New-user trial: `env CGO_ENABLED=1` after `binary` (for `go test -race`) was refused
    on scratch ('need glibc') though the program was built before it, with cgo off."""
    source = (
        "app demo\nbuild go semsuite {\n    binary .\n    env CGO_ENABLED=1\n"
        "    run go test -race ./... && /out/demo > /after\n}\n"
        "runtime scratch {\n}\n"
    )
    image = build(source, {"go.mod": "module demo\n"})
    found = tree(image)
    assert found["/usr/local/bin/demo"].data.endswith(b'"demo made by go CGO_ENABLED=0"\n')

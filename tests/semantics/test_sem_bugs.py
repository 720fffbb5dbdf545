"""Known bugs (issue 6 §1, issue 7, and bugs this suite found), each shown on the engine.

A case marked `@bug(…)` fails today for the reason given: it is a strict xfail that
expects an AssertionError, so a harness error still fails the run, and when the bug is
fixed the case XPASSes and the strict marker fails it: remove the marker then. A case
without the marker is a bug that has been fixed; it stays as its regression test.

"Refused" means `shipc.ShipErrors` at compile time; a crash of the compiler is an
AssertionError (see `harness.compile_ship`), i.e. the bug still shows.
"""

from __future__ import annotations

import uuid

import pytest

import shipc
from semantics.harness import build, build_fails, case, compile_ship, config, env, sh, tree
from semantics.standins import BUSYBOX

pytestmark = pytest.mark.engine


def bug(reason: str, fixed_in: str | None = None):
    """A case that shows a bug: while it is open (no `fixed_in`), a strict xfail that
    counts only an AssertionError; once fixed (`fixed_in`: the first commit seen to pass
    it), a plain regression case."""
    if fixed_in is not None:
        return lambda fn: fn
    return pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)


def on_busybox(body: str, head: str = "") -> str:
    return f"app demo\n{head}runtime image {BUSYBOX} {{\n{body}}}\n"


def built_or_refused(source: str, files=None, **kw) -> str | None:
    """The image, or None if the compiler refuses the file (a fine outcome for some bugs)."""
    try:
        compile_ship(source)
    except shipc.ShipErrors:
        return None
    return build(source, files, **kw)


def assert_refused(source: str) -> None:
    try:
        compile_ship(source)
    except shipc.ShipErrors:
        return
    raise AssertionError(f"the compiler accepted:\n{source}")


# --- issue 6 §1 --------------------------------------------------------------------------


@bug("issue 6 §1.1: a '#' comment on a run line swallows the lines merged after it",
     fixed_in="2b56d3f")
@case("run")
def test_comment_on_a_run_line_keeps_later_lines():
    image = build(on_busybox("    run echo one > /one # release\n    run echo two > /two\n"))
    found = tree(image)
    assert "/one" in found and "/two" in found, "the line after the comment never ran"


@bug("issue 6 §1.2: a run line's status is lost when the next line is 'a; b'",
     fixed_in="35b300d")
@case("run")
@pytest.mark.parametrize("failing", ["false", "apt-get install -y missing-package"])
def test_each_run_line_fails_the_build_as_its_own_run_would(failing):
    body = f"    run {failing}\n    run mkdir -p /out; touch /out/ok\n"
    build_fails(f"app demo\nruntime debian semsuite {{\n{body}}}\n")


@bug("issue 6 §1.3: a JSON-looking cmd becomes the words '[demo,' '--port,' '8080]'",
     fixed_in="2b56d3f")
@case("cmd")
def test_cmd_written_as_json_array():
    image = built_or_refused(on_busybox('    cmd ["demo", "--port", "8080"]\n'))
    if image is not None:
        assert config(image)["Cmd"] == ["demo", "--port", "8080"]


@bug("issue 6 §1.4: Docker's healthcheck options become the command's words",
     fixed_in="2b56d3f")  # now refused
@case("healthcheck")
def test_healthcheck_written_with_dockers_options():
    image = built_or_refused(on_busybox("    healthcheck --interval=30s CMD wget -q http://x/\n"))
    if image is not None:
        check = config(image)["Healthcheck"]
        assert check["Test"] == ["CMD", "wget", "-q", "http://x/"]
        assert check.get("Interval") == 30_000_000_000


@bug("issue 6 §1.4: a quoted shell command becomes one argv word", fixed_in="2b56d3f")  # refused
@case("healthcheck")
def test_healthcheck_written_as_one_shell_string():
    command = "curl -f http://x/ || exit 1"
    image = built_or_refused(on_busybox(f'    healthcheck "{command}"\n'))
    if image is not None:
        test = config(image)["Healthcheck"]["Test"]
        assert test in (["CMD-SHELL", command], ["CMD", "sh", "-c", command],
                        ["CMD", "/bin/sh", "-c", command]), test


@bug("issue 6 §1.5: install gets none of the block's cache mounts", fixed_in="23c7316")
@case("install", "cache")
def test_install_sees_the_blocks_cache_mounts():
    nonce = uuid.uuid4().hex
    cache = f"/root/.cachex-{nonce[:12]}"  # this run's own cache
    source = (
        f"app demo\nbuild image {BUSYBOX} {{\n    cache {cache}\n    deps a.txt\n"
        f"    install echo {nonce} > {cache}/f\n"
        f"    run cat {cache}/f > /seen\n}}\n"
        f"runtime image {BUSYBOX} {{\n    cmd true\n}}\n"
    )
    found = tree(build(source, {"a.txt": ""}, target="build"))
    assert found["/seen"].data == f"{nonce}\n".encode()
    assert f"{cache}/f" not in found


@bug("issue 6 §1.6: 'deps a.txt dir' copies dir's contents flat", fixed_in="5caa838")
@case("deps")
def test_deps_folder_keeps_its_place():
    source = (
        f"app demo\nbuild image {BUSYBOX} {{\n    deps a.txt dir\n"
        "    install find . -type f | sort > /installed-saw\n}\n"
        f"runtime image {BUSYBOX} {{\n    cmd true\n}}\n"
    )
    found = tree(build(source, {"a.txt": "", "dir/b.txt": "", "dir/c/d.txt": ""},
                       target="build"))
    assert found["/installed-saw"].data.split() == [b"./a.txt", b"./dir/b.txt",
                                                    b"./dir/c/d.txt"]


@bug("issue 6 §1.9: an arg read as ${X:-d} in an env value is not declared in the stage",
     fixed_in="2b56d3f")
@case("arg", "env")
def test_arg_with_a_default_operator_in_env():
    source = on_busybox("    env E=${X:-d}\n    cmd true\n", head="arg X=from-default\n")
    assert env(build(source))["E"] == "from-default"
    assert env(build(source, build_args={"X": "v"}))["E"] == "v"


@bug("issue 6 §1.10: a runtime copy to ${APP}/… is put under the work directory again",
     fixed_in="bc4c700")
@case("copy", "arg")
def test_copy_to_an_absolute_destination_given_by_an_arg():
    source = on_busybox("    copy config.toml -> ${APP}/config.toml\n    cmd true\n",
                        head="arg APP=/srv\n")
    found = tree(build(source, {"config.toml": "c"}))
    assert found.get("/srv/config.toml") is not None, sorted(p for p in found if "config" in p)


@bug("issue 6 §1.11: an arg used by a later line of a merged RUN is in the earlier lines' env",
     fixed_in="2b56d3f")
@case("arg", "run")
def test_arg_does_not_leak_into_earlier_merged_lines():
    source = (
        f"app demo\narg V=1\nbuild image {BUSYBOX} {{\n"
        "    run env > /before\n    run echo $V > /after\n}\n"
        f"runtime image {BUSYBOX} {{\n    cmd true\n}}\n"
    )
    found = tree(build(source, target="build"))
    assert found["/after"].data == b"1\n"
    assert b"V=1" not in found["/before"].data.splitlines()


@bug("issue 6 §1.12: 'copy --chown=0:0 main.go' becomes a flag-like COPY source",
     fixed_in="2b56d3f")
@case("copy")
def test_copy_flag_is_refused():
    assert_refused(on_busybox("    copy --chown=0:0 main.go\n"))


@bug("issue 6 §1.13: no literal '$' in env values ('$$' chosen)", fixed_in="19d6427")
@case("env", "label")
def test_double_dollar_is_a_literal_dollar():
    image = build(on_busybox('    env GREETING="costs $$5"\n    label price="$$5 only"\n'))
    assert env(image)["GREETING"] == "costs $5"
    assert config(image)["Labels"]["price"] == "$5 only"


@bug("issue 6 §1.14: 'artifact /out/' lands at /usr/local/bin/out, not its contents",
     fixed_in="761c55f")  # now refused without '->'
@case("artifact")
def test_artifact_folder_with_a_trailing_slash():
    source = (
        "app demo\nbuild go semsuite {\n    run go build -o /out/demo .\n    artifact /out/\n}\n"
        f"runtime image {BUSYBOX} {{\n    cmd demo\n}}\n"
    )
    image = built_or_refused(source, {"go.mod": "module demo\n"})
    if image is not None:
        found = tree(image)
        assert "/usr/local/bin/demo" in found, sorted(p for p in found if "/out" in p)


@bug("issue 6 §1.16: packages in a runtime deletes the image's docker-clean hook for good",
     fixed_in="2b56d3f")
@case("packages")
def test_packages_keep_the_images_apt_configuration():
    image = build("app demo\nruntime debian semsuite {\n    packages curl=1\n}\n")
    found = tree(image)
    assert found["/var/lib/ship-sem/packages"].data == b"curl=1\n"
    assert "/etc/apt/apt.conf.d/docker-clean" in found


# --- issue 7 -----------------------------------------------------------------------------


@bug("issue 7: '$1' in an env value is expanded by Docker ('cost$1.99' -> 'cost.99')",
     fixed_in="2b56d3f")  # now refused
@case("env")
def test_dollar_digit_in_env_is_literal_or_refused():
    image = built_or_refused(on_busybox('    env PRICE="cost$1.99"\n'))
    if image is not None:
        assert env(image)["PRICE"] == "cost$1.99"


@bug("issue 7: a path with a single quote fails the build (copy, volume)",
     fixed_in="35b300d")
@case("copy", "volume")
def test_single_quotes_in_paths():
    image = build(on_busybox('    family alpine\n    copy "it\'s.txt"\n    volume "/data\'s"\n'),
                  {"it's.txt": "q"})
    assert tree(image)["/app/it's.txt"].data == b"q"
    assert config(image)["Volumes"] == {"/data's": {}}


@bug("issue 7: a backslash in a copied file's name is lost ('a\\b.txt' -> 'ab.txt')",
     fixed_in="2b56d3f")  # now refused
@case("copy")
def test_backslash_in_a_copied_name():
    image = built_or_refused(on_busybox("    copy a\\b.txt\n"), {"a\\b.txt": "b"})
    if image is not None:
        found = tree(image)
        assert found.get("/app/a\\b.txt") is not None, sorted(p for p in found if "b.txt" in p)


@bug("issue 7: a run line starting with --network=host becomes a RUN flag", fixed_in="2b56d3f")
@case("run")
def test_run_line_starting_with_a_dash_is_refused():
    assert_refused(on_busybox("    run --network=host wget http://x/\n"))


@bug("issue 7: a comment line inside a continued run swallows the next instruction",
     fixed_in="35b300d")  # now refused ("unknown directive '&&'")
@case("run", "user", "cmd")
def test_comment_line_inside_a_continued_run():
    """Refused, or built with the USER and CMD kept."""
    source = on_busybox("    run echo a \\\n        # TODO\n        && echo b\n    cmd x\n")
    image = built_or_refused(source)
    if image is not None:
        cfg = config(image)
        assert (cfg["User"], cfg["Cmd"]) == ("65532:65532", ["x"])


# --- found by this suite -----------------------------------------------------------------


@bug("new: an artifact path holding ${ARG} is joined to the build's work directory",
     fixed_in="2e1a0dc")
@case("artifact", "arg")
def test_artifact_path_given_by_an_arg():
    source = (
        "app demo\narg OUT=/out\n"
        "build go semsuite {\n    run go build -o ${OUT}/demo .\n    artifact ${OUT}/demo\n}\n"
        f"runtime image {BUSYBOX} {{\n    cmd demo\n}}\n"
    )
    found = tree(build(source, {"go.mod": "module demo\n"}, build_args={"OUT": "/elsewhere"}))
    assert b"made by go" in found["/usr/local/bin/demo"].data


@bug("new: a test from a runtime runs the runtime's own run lines as its user, not root",
     fixed_in="b8b48b9")
@case("test", "run")
def test_a_test_from_a_runtime_keeps_the_runtimes_root_steps():
    source = (
        "app demo\nruntime alpine semsuite {\n    run mkdir /made-as-root\n    cmd true\n}\n"
        "test smoke: from runtime {\n    run test -d /made-as-root && id -u > /tmp/uid\n}\n"
    )
    found = tree(build(source, target="smoke"))
    assert found["/tmp/uid"].data == b"65532\n"


@bug("new: a test from a runtime gets none of its secret and cache mounts",
     fixed_in="b8b48b9")
@case("test", "secret", "cache")
def test_a_test_from_a_runtime_mounts_its_secrets_and_caches():
    source = (
        "app demo\nruntime alpine semsuite {\n    cmd true\n}\n"
        "test smoke: from runtime {\n    secret tok\n    cache /tmp/semcache\n"
        f"    run : {uuid.uuid4().hex} && cat /run/secrets/tok > /tmp/tok"
        " && mount | grep -c ' /tmp/semcache ' > /tmp/mounts && touch /tmp/semcache/w\n}\n"
    )
    found = tree(build(source, target="smoke", secrets={"tok": "t0k"}))
    assert (found["/tmp/tok"].data, found["/tmp/mounts"].data) == (b"t0k", b"1\n")


@bug("new: a relative cache under 'workdir ${ARG}' crashes the compiler (internal error)",
     fixed_in="bc4c700")
@case("cache", "workdir", "arg")
def test_relative_cache_under_a_workdir_given_by_an_arg():
    source = (
        f"app demo\narg W=/work\nbuild image {BUSYBOX} {{\n    workdir ${{W}}\n    cache .c\n"
        "    run mount | grep -c ' /work/.c ' > /mounts\n}\n"
        f"runtime image {BUSYBOX} {{\n    cmd true\n}}\n"
    )
    image = built_or_refused(source, target="build")
    if image is not None:
        assert tree(image)["/mounts"].data == b"1\n"


@bug("new: 'artifact PATH -> DIR/' drops the final '/': the file is written as DIR itself",
     fixed_in="761c55f")
@case("artifact")
def test_artifact_into_a_folder_given_with_a_trailing_slash():
    source = (
        "app demo\nbuild go semsuite {\n    run go build -o /out/demo .\n"
        "    artifact /out/demo -> /opt/bin/\n    artifact /out/demo -> bin/\n}\n"
        "runtime alpine semsuite {\n    workdir /srv\n    cmd true\n}\n"
    )
    image = built_or_refused(source, {"go.mod": "module demo\n"})
    if image is not None:
        found = tree(image)
        assert (found["/opt/bin"].kind, found["/srv/bin"].kind) == ("dir", "dir")
        assert "/opt/bin/demo" in found and "/srv/bin/demo" in found


@bug("new: a test from an 'image' runtime is made a build stage: root, and 'COPY . .'",
     fixed_in="b8b48b9")
@case("test")
def test_a_test_from_an_image_runtime_runs_as_its_user():
    source = (
        f"app demo\nruntime base: image {BUSYBOX} {{\n    workdir /w\n    user 55\n}}\n"
        "test smoke: from base {\n    run id -u > /tmp/uid && ls -A > /tmp/ls\n}\n"
    )
    found = tree(build(source, {"context-file.txt": ""}, target="smoke"))
    assert found["/tmp/uid"].data == b"55\n"
    assert found["/tmp/ls"].data == b""  # the runtime has no sources in its work directory


@bug("new: a volume or work directory that a root 'copy' made first stays root's, unwritable",
     fixed_in="b8b48b9")
@case("volume", "workdir", "copy")
def test_volume_and_workdir_stay_writable_after_a_copy_into_them():
    source = on_busybox(  # the work directory is the app's only when declared writable
        "    family alpine\n    copy seed.txt -> /data/seed.txt\n    copy config.toml\n"
        "    volume /data\n    workdir /app\n    writable .\n"
    )
    image = build(source, {"seed.txt": "s", "config.toml": "c"})
    found = tree(image)
    assert (found["/data"].uid, found["/app"].uid) == (65532, 65532)
    assert sh(image, "touch /data/new /app/new && echo writable") == "writable\n"


@bug("new: 'cmd sh -c \"… $PORT\"', the form the docs recommend, warns that $PORT is not"
     " expanded, yet the shell expands it", fixed_in="850a08a")
@case("cmd")
def test_no_expansion_warning_for_a_command_run_by_a_shell():
    source = on_busybox('    env PORT=8080\n    cmd sh -c "echo port=$PORT"\n')
    image = build(source)
    from e2e.engine import docker

    assert docker("run", "--rm", image).stdout == "port=8080\n"  # the shell expands it
    warnings = shipc.compile_source(source).warnings
    assert not [w.message for w in warnings if "not expanded" in w.message]


@bug("new-user trial: every project on a builder shared the rust and cmake build output"
     " cache, and one shipped another's binary", fixed_in="ff6e97f")
@case("cache", "toolchain.rust", "toolchain.cmake")
@pytest.mark.parametrize(
    "toolchain, output", [("rust semsuite", "target"), ("cmake semsuite", "build")]
)
def test_two_apps_do_not_share_a_build_output_cache(toolchain, output):
    """Cargo and make rebuild by file dates: an output folder shared by every project of a
    builder made one project ship another's binary. Each app has its own now."""
    nonce = uuid.uuid4().hex[:12]

    def source(app: str, step: str) -> str:
        block = f"build {toolchain} {{\n    run {step}\n}}\n"
        return f"app {app}-{nonce}\n{block}{_BUSYBOX_RUNTIME}"

    writer = source("proja", f"echo project A > {output}/made-by")
    reader = source("projb", f"cat {output}/made-by > /seen 2>&1 || echo nothing > /seen")
    build(writer, target="build")
    assert _seen(build(reader, target="build")) == "nothing\n"
    # The same app, built again, finds its own output (what the cache is for).
    again = source("proja", f"cat {output}/made-by > /seen")
    assert _seen(build(again, target="build")) == "project A\n"


@bug("new-user trial: a test from a build dropped the build's cache ids, sharing and extra"
     " caches", fixed_in="ff6e97f")
@case("cache", "test")
def test_a_test_of_a_build_sees_what_the_build_left_in_its_caches():
    nonce = uuid.uuid4().hex[:12]
    source = (
        f"app demo-{nonce}\n"
        "build cmake semsuite {\n"
        f"    cache build id=ship-sem-build-{nonce}\n"
        f"    cache /root/.cache/extra id=ship-sem-extra-{nonce} sharing=locked\n"
        "    run echo built > build/made && echo extra > /root/.cache/extra/f\n"
        "}\n"
        "test unit: from build {\n"
        "    run cat build/made /root/.cache/extra/f > /seen\n"
        "}\n"
        f"{_BUSYBOX_RUNTIME}"
    )
    assert _seen(build(source, target="unit")) == "built\nextra\n"


@case("cache", "test")
def test_a_test_of_a_build_shares_the_builds_default_output_cache():
    nonce = uuid.uuid4().hex[:12]
    source = (
        f"app demo-{nonce}\n"
        "build rust semsuite {\n    run echo built > target/made\n}\n"
        "test unit: from build {\n    run cat target/made > /seen\n}\n"
        f"{_BUSYBOX_RUNTIME}"
    )
    assert _seen(build(source, target="unit")) == "built\n"


_BUSYBOX_RUNTIME = f"runtime image {BUSYBOX} {{\n    cmd true\n}}\n"


def _seen(image: str) -> str:
    return tree(image)["/seen"].data.decode()


# --- new-user trial: paths ---------------------------------------------------------------

_RUST = {"Cargo.toml": '[package]\nname = "app"\n', "src/main.rs": "fn main() {}\n"}


@bug("new-user trial: two artifacts of one name in a cache mount were copied out to one"
     " place (/out/app): busybox cp kept the last, GNU cp failed the build", fixed_in="lift.py")
@case("artifact", "toolchain.rust")
def test_artifacts_of_one_name_in_a_cache_mount_each_land_where_they_say():
    source = (
        "app demo\n"
        "build rust semsuite {\n"
        "    run cargo build && cargo build --release\n"
        "    artifact target/release/app -> /usr/local/bin/app\n"
        "    artifact target/debug/app -> /usr/local/bin/app-debug\n"
        "}\n"
        "runtime debian semsuite { cmd app }\n"
    )
    image = build(source, _RUST)
    assert sh(image, "app; app-debug") == (
        "app made by cargo --profile release\napp made by cargo --profile debug\n"
    )


@bug("new-user trial: a glob artifact in a cache mount was quoted whole, so cp looked for a"
     " file named '*.so'", fixed_in="lift.py")
@case("artifact", "cache")
def test_a_glob_artifact_in_a_cache_mount_copies_its_matches():
    nonce = uuid.uuid4().hex[:12]
    source = (
        f"app demo-{nonce}\n"
        "build rust semsuite {\n"
        "    run mkdir -p 'target/release/my dir' && cd 'target/release/my dir'"
        " && echo a > liba.so && echo b > libb.so && echo c > c.txt\n"
        "    artifact \"target/release/my dir/*.so\" -> /usr/local/lib/\n"
        "}\n"
        f"{_BUSYBOX_RUNTIME}"
    )
    found = tree(build(source, _RUST))
    assert found["/usr/local/lib/liba.so"].data == b"a\n"
    assert found["/usr/local/lib/libb.so"].data == b"b\n"
    assert "/usr/local/lib/c.txt" not in found


@case("artifact", "cache")
def test_a_glob_artifact_in_a_cache_mount_that_matches_nothing_fails_the_build():
    nonce = uuid.uuid4().hex[:12]
    source = (
        f"app demo-{nonce}\n"
        "build rust semsuite {\n"
        "    run mkdir -p target/release && echo c > target/release/c.txt\n"
        "    artifact target/release/*.so -> /usr/local/lib/\n"
        "}\n"
        f"{_BUSYBOX_RUNTIME}"
    )
    assert "*.so" in build_fails(source, _RUST)


@bug("new: 'writable' on a folder the base already has leaves it root's: the user's WORKDIR"
     " changes nothing on a folder that exists", fixed_in="2cd6970")
@case("writable", "volume", "runtime.debian")
def test_writable_and_volume_folders_the_base_has_become_the_users():
    # The stand-in has /var/lib and /run, root's 755; /data and /app/cache are new.
    source = (
        "app demo\nruntime debian semsuite {\n"
        "    writable /var/lib /data cache\n    volume /run\n    cmd true\n}\n"
    )
    image = build(source)
    found = sh(image, "for d in /var/lib /data /app/cache /run; do touch $d/new && echo $d; done")
    assert found == "/var/lib\n/data\n/app/cache\n/run\n"

"""Runtime directives and artifacts, executed: artifact, packages, user, expose, volume,
label, healthcheck (every option, and `none`), cmd, entrypoint. Each case builds on the
engine and reads `docker image inspect`, runs the image, or exports its files."""

from __future__ import annotations

import pytest

from semantics.harness import LITERALS, build, build_fails, case, config, refused, sh, tree
from semantics.standins import BUSYBOX, CALLS, PACKAGES

pytestmark = pytest.mark.engine

GO_FILES = {"go.mod": "module demo\n", "main.go": "package main\n"}


def go_app(runtime_body: str, build_body: str = "", runtime: str = "alpine semsuite") -> str:
    return (
        "app demo\n\nbuild go semsuite {\n    run go build -o /out/demo .\n"
        f"    artifact /out/demo\n{build_body}}}\n\nruntime {runtime} {{\n{runtime_body}}}\n"
    )


def on_busybox(body: str) -> str:
    return f"app demo\nruntime image {BUSYBOX} {{\n{body}}}\n"


# --- artifact ----------------------------------------------------------------------------


@case("artifact", "toolchain.go")
def test_artifact_of_go_lands_in_usr_local_bin_root_owned():
    image = build(go_app("    cmd demo\n"), GO_FILES)
    out = sh(image, "stat -c '%u:%g %a' /usr/local/bin/demo; demo")
    assert out == "0:0 755\ndemo made by go CGO_ENABLED=0\n"


@case("artifact")
def test_artifact_destinations():
    build_body = (
        "    run mkdir -p /out/share /etc/demo && echo s > /out/share/s.txt"
        " && echo c > /etc/demo/app.toml && go build -o /out/tool .\n"
        "    artifact /out/tool -> /opt/bin/renamed\n"
        "    artifact /out/share -> data/share\n"
        "    artifact /etc/demo/app.toml\n"
    )
    image = build(go_app("    workdir /srv\n    user 123:456\n", build_body), GO_FILES)
    found = tree(image)
    assert (found["/opt/bin/renamed"].uid, found["/opt/bin/renamed"].mode) == (0, 0o755)
    # Relative destinations are under the runtime's work directory, root's like all code.
    share = found["/srv/data/share/s.txt"]
    assert (share.uid, share.gid, share.data) == (0, 0, b"s\n")
    # A go artifact without `->` goes to /usr/local/bin, unless it is a file under /etc, …
    config_file = found["/etc/demo/app.toml"]
    assert (config_file.uid, config_file.data) == (0, b"c\n")


@case("artifact", "toolchain.node", "manager.npm")
def test_artifact_of_node_keeps_its_path_root_owned_under_the_workdir():
    source = (
        "app demo\nbuild node semsuite {\n    run npm run build\n    artifact dist\n}\n"
        "runtime node semsuite {\n    cmd node dist/index.js\n}\n"
    )
    image = build(source, {"package.json": "{}", "package-lock.json": "{}", "index.js": ""})
    out = sh(image, "stat -c '%u:%g' /app/dist /app/dist/index.js; cat /app/dist/index.js; pwd")
    assert out.split() == ["0:0", "0:0", "built", "/app"]
    assert config(image)["User"] == "1000:1000"


@case("artifact", "toolchain.rust", "manager.cargo")
def test_artifact_inside_a_cache_mount_is_lifted_out():
    source = (
        "app demo\nbuild rust semsuite {\n    run cargo build --release\n"
        "    artifact target/release/demo\n}\n"
        "runtime debian semsuite {\n    cmd demo\n}\n"
    )
    files = {"Cargo.toml": '[package]\nname = "demo"\n', "src/main.rs": ""}
    built = tree(build(source, files, target="build"))
    assert "/src/target/release/demo" not in built  # the target dir is a cache mount
    image = build(source, files)
    assert sh(image, "stat -c '%u %a' /usr/local/bin/demo; demo") == (
        "0 755\ndemo made by cargo --profile release\n"
    )


@case("artifact", "cache")
@pytest.mark.parametrize("written", ["target", "target/", "/src/target"])
def test_an_artifact_that_is_a_cache_mount_is_lifted_out_whole(written):
    """`artifact target` is the cache mount itself: its files are copied out and shipped
    (an empty folder shipped before); the same for a `cache` line's folder (node's dist)."""
    source = (
        "app demo\nbuild rust semsuite {\n    run cargo build --release\n"
        f"    artifact {written} -> /opt/t/\n}}\n"
        "runtime debian semsuite {\n    cmd /opt/t/release/demo\n}\n"
    )
    files = {"Cargo.toml": '[package]\nname = "demo"\n'}
    image = build(source, files)
    assert sh(image, "/opt/t/release/demo") == "demo made by cargo --profile release\n"
    source = (
        "app demo\nbuild node semsuite {\n    cache dist\n    run npm run build\n"
        "    artifact dist -> /srv/\n}\n"
        "runtime node semsuite {\n    cmd node /srv/index.js\n}\n"
    )
    image = build(source, {"package.json": "{}", "package-lock.json": "{}"})
    assert sh(image, "cat /srv/index.js") == "built\n"


@case("artifact", "arg")
@pytest.mark.parametrize("profile", ["release", "debug"])
def test_artifact_lifted_out_of_a_cache_at_a_path_given_by_an_arg(profile):
    source = (
        "app demo\narg PROFILE=release\nbuild rust semsuite {\n"
        '    run if [ "$PROFILE" = release ]; then cargo build --release; else cargo build; fi\n'
        "    artifact target/${PROFILE}/demo\n}\n"
        "runtime debian semsuite {\n    cmd demo\n}\n"
    )
    files = {"Cargo.toml": '[package]\nname = "demo"\n'}
    image = build(source, files, build_args={"PROFILE": profile})
    assert tree(image)["/usr/local/bin/demo"].data.endswith(
        f'demo made by cargo --profile {profile}"\n'.encode()
    )


@case("artifact", "toolchain.python", "manager.pip", "runtime.python")
def test_python_venv_is_shipped_with_its_env():
    source = (
        "app demo\nbuild python semsuite {\n    run python -m compileall .\n}\n"
        "runtime python semsuite slim {\n    cmd python app.py\n}\n"
    )
    files = {"requirements.txt": "flask==3.0.0\n", "app.py": ""}
    image = build(source, files)
    out = sh(image, "cat /opt/venv/lib/installed; stat -c %u /opt/venv/bin/pip; echo $VIRTUAL_ENV;"
                    " command -v pip")
    assert out.split() == ["flask==3.0.0", "0", "/opt/venv", "/opt/venv/bin/pip"]


@case("manager.uv")
def test_python_uv_manager_syncs_the_venv():
    source = (
        "app demo\nbuild python semsuite uv {\n    run uv sync --frozen\n}\n"
        "runtime python semsuite {\n    cmd python app.py\n}\n"
    )
    files = {"pyproject.toml": "", "uv.lock": "", "app.py": ""}
    image = build(source, files, target="build")
    from semantics.harness import calls

    assert calls(image)[-2:] == ["uv sync --frozen --no-dev --no-install-project",
                                 "uv sync --frozen"]
    assert tree(image)["/opt/venv/synced-by"].data == b"uv\n"


@case("manager.pnpm", "manager.yarn")
@pytest.mark.parametrize("manager, lock, install", [
    ("pnpm", "pnpm-lock.yaml", "pnpm install --frozen-lockfile"),
    ("yarn", "yarn.lock", "yarn install --frozen-lockfile"),
])
def test_node_managers_install_from_their_lock_files(manager, lock, install):
    source = (
        f"app demo\nbuild node semsuite {manager} {{\n    run ls -A > /ls\n}}\n"
        "runtime node semsuite {\n    cmd node index.js\n}\n"
    )
    image = build(source, {"package.json": "{}", lock: "", "index.js": ""}, target="build")
    from semantics.harness import calls

    setup = ["corepack enable"] if manager == "pnpm" else []
    assert calls(image) == [*setup, install]
    assert tree(image)["/app/node_modules/.installed-by"].data == f"{manager}\n".encode()


@case("toolchain.c", "manager.make", "runtime.ubuntu")
def test_c_toolchain_binary_on_ubuntu():
    source = (
        "app demo\nbuild c semsuite {\n    run gcc -o /out/hello hello.c\n"
        "    artifact /out/hello\n}\nruntime ubuntu semsuite {\n    cmd hello\n}\n"
    )
    assert sh(build(source, {"hello.c": ""}), "hello") == "hello made by gcc\n"


@case("runtime", "build")
def test_runtime_from_a_build_gets_no_artifact_copies():
    source = (
        "app demo\nbuild go semsuite {\n    run go build -o /out/demo .\n"
        "    artifact /out/demo\n}\nruntime from build {\n    cmd /out/demo\n}\n"
    )
    image = build(source, GO_FILES)
    assert sh(image, "test ! -e /usr/local/bin/demo && /out/demo && pwd && id -u").split() == [
        "demo", "made", "by", "go", "CGO_ENABLED=0", "/src", "65532"
    ]
    # Every runtime is titled with the app, this one too.
    assert config(image)["Labels"]["org.opencontainers.image.title"] == "demo"


# --- packages ----------------------------------------------------------------------------


@case("packages", "runtime.alpine")
def test_packages_with_apk_one_install_sorted():
    image = build(go_app("    packages zlib=1.3-r0 ca-certificates=2024-r0\n"
                         "    packages curl=8.11.1-r0\n    cmd demo\n"), GO_FILES)
    found = tree(image)
    assert found[PACKAGES].data.decode().split() == [
        "ca-certificates=2024-r0", "curl=8.11.1-r0", "zlib=1.3-r0"
    ]
    assert found[CALLS].data.decode().splitlines() == [
        "apk add --no-cache ca-certificates=2024-r0 curl=8.11.1-r0 zlib=1.3-r0"
    ]


@case("packages", "runtime.debian")
def test_packages_with_apt_leave_no_index_or_debs_in_the_image():
    image = build(go_app("    packages tzdata=2024a-0 curl=7.88.1-10\n    cmd demo\n",
                         runtime="debian semsuite"), GO_FILES)
    found = tree(image)
    assert found[PACKAGES].data.decode().split() == ["curl=7.88.1-10", "tzdata=2024a-0"]
    assert found[CALLS].data.decode().splitlines() == [
        "apt-get update", "apt-get install -y --no-install-recommends curl=7.88.1-10 tzdata=2024a-0"
    ]
    leftovers = [p for p in found if p.startswith(("/var/lib/apt/lists/", "/var/cache/apt/"))]
    assert leftovers == []


@case("packages")
@pytest.mark.parametrize("runtime", ["alpine semsuite", "debian semsuite"])
def test_a_missing_package_fails_the_build(runtime):
    build_fails(go_app("    packages missing-thing=1\n    cmd demo\n", runtime=runtime),
                GO_FILES)


# --- user, expose, volume ----------------------------------------------------------------


@case("user")
def test_user_is_numeric_in_the_config_and_at_run():
    image = build(on_busybox("    user 1234:5678\n"))
    assert config(image)["User"] == "1234:5678"
    assert sh(image, "id -u; id -g").split() == ["1234", "5678"]


@case("user", "runtime", "runtime.node")
@pytest.mark.parametrize("runtime, expected", [
    (f"image {BUSYBOX}", "65532:65532"),
    ("alpine semsuite", "65532:65532"),
    ("node semsuite", "1000:1000"),
])
def test_default_user(runtime, expected):
    image = build(f"app demo\nruntime {runtime} {{\n    cmd true\n}}\n")
    assert config(image)["User"] == expected
    assert sh(image, "echo $(id -u):$(id -g)").strip() == expected


@case("expose")
def test_expose_ports_with_protocols():
    image = build(on_busybox("    expose 8080 53/udp\n    expose 9000/tcp\n"))
    assert config(image)["ExposedPorts"] == {"8080/tcp": {}, "53/udp": {}, "9000/tcp": {}}


@case("expose")
def test_expose_a_range_of_ports():
    """Docker exposes each port of a range (new-user trial: `expose 8000-8010` was refused)."""
    image = build(on_busybox("    expose 8000-8003 9000-9001/udp\n"))
    expected = {f"{p}/tcp": {} for p in range(8000, 8004)} | {"9000/udp": {}, "9001/udp": {}}
    assert config(image)["ExposedPorts"] == expected


@case("volume")
def test_volume_folders_are_declared_and_owned_by_the_user():
    body = "    family alpine\n    volume /data /var/lib/app\n    user 321:654\n"
    image = build(on_busybox(body))
    assert config(image)["Volumes"] == {"/data": {}, "/var/lib/app": {}}
    assert sh(image, "stat -c %u:%g /data /var/lib/app; touch /data/w").split() == [
        "321:654", "321:654"
    ]


@case("volume", "runtime.distroless")
def test_volume_on_distroless_without_a_shell():
    image = build(go_app("    volume /data\n    cmd demo\n", runtime="distroless static"),
                  GO_FILES)
    found = tree(image)
    assert (found["/data"].uid, found["/data"].kind) == (65532, "dir")
    assert found["/usr/local/bin/demo"].uid == 0
    assert config(image)["User"] == "65532:65532"


# --- label -------------------------------------------------------------------------------


@case("label", "app")
def test_labels_are_literal_and_titled_with_the_app():
    pairs = " ".join(f"x.{k.lower()}={v}" for k, (v, _) in LITERALS.items())
    image = build(on_busybox(f"    label {pairs}\n    label org.example.url=http://a/b?c=d&e\n"))
    labels = config(image)["Labels"]
    assert labels["org.opencontainers.image.title"] == "demo"
    assert labels["org.example.url"] == "http://a/b?c=d&e"
    for key, (_, value) in LITERALS.items():
        assert labels[f"x.{key.lower()}"] == value, key


@case("label")
def test_label_can_set_the_title():
    image = build(on_busybox('    label org.opencontainers.image.title="My App"\n'))
    assert config(image)["Labels"] == {"org.opencontainers.image.title": "My App"}


# --- healthcheck -------------------------------------------------------------------------

SECOND = 1_000_000_000


@case("healthcheck", "healthcheck.interval", "healthcheck.timeout",
      "healthcheck.start-period", "healthcheck.retries")
def test_healthcheck_options_and_argv():
    image = build(on_busybox(
        "    healthcheck interval=1m30s timeout=500ms start-period=10s retries=7"
        ' wget -q "http://localhost:8080/health z" $NOT_EXPANDED\n'
    ))
    assert config(image)["Healthcheck"] == {
        "Test": ["CMD", "wget", "-q", "http://localhost:8080/health z", "$NOT_EXPANDED"],
        "Interval": 90 * SECOND,
        "Timeout": SECOND // 2,
        "StartPeriod": 10 * SECOND,
        "Retries": 7,
    }


@case("healthcheck")
def test_healthcheck_without_options_and_none_turns_off_an_inherited_one():
    parent = build(on_busybox("    healthcheck true\n"))
    assert config(parent)["Healthcheck"] == {"Test": ["CMD", "true"]}
    source = f"app demo\nruntime image {parent} {{\n    healthcheck none\n}}\n"
    assert config(build(source))["Healthcheck"] == {"Test": ["NONE"]}


# --- cmd and entrypoint ------------------------------------------------------------------

ARGV_WORDS = '"two words" it\'s "say \\"hi\\"" $HOME "${X}" a\\b "#x" "{y}" é=✓'
ARGV = ["two words", "it's", 'say "hi"', "$HOME", "${X}", "a\\b", "#x", "{y}", "é=✓"]


@case("cmd")
def test_cmd_argv_is_exact_and_not_expanded():
    image = build(on_busybox(f"    cmd /bin/echo {ARGV_WORDS}\n"))
    assert config(image)["Cmd"] == ["/bin/echo", *ARGV]
    from e2e.engine import docker

    assert docker("run", "--rm", image).stdout == " ".join(ARGV) + "\n"


@case("cmd", "run")
def test_dollar_dollar_is_a_literal_dollar_in_a_command():
    """`$$` means `$` in a cmd as in an env value (new-user trial: `cmd sh -c "echo $$X"`
    printed the shell's process id and an X); a run line writes the process id `${$}`."""
    body = '    env X=from-env\n    run echo ${$} > /pid\n    cmd sh -c "echo $$X $$$$"\n'
    image = build(on_busybox(body))
    assert config(image)["Cmd"] == ["sh", "-c", "echo $X $$"]
    from e2e.engine import docker

    said = docker("run", "--rm", image).stdout.split()
    assert said[0] == "from-env" and said[1].isdigit()
    assert sh(image, "cat /pid").strip().isdigit()


@case("cmd")
def test_a_json_cmd_reads_jsons_escapes():
    """New-user trial: `\\u00e9` and `\\/` in a JSON cmd were 'unknown escape'."""
    written = '["/bin/echo", "caf\\u00e9", "a\\/b", "\\"q\\"", "\\ud83d\\ude00"]'
    image = build(on_busybox(f"    cmd {written}\n"))
    assert config(image)["Cmd"] == ["/bin/echo", "café", "a/b", '"q"', "\U0001f600"]
    from e2e.engine import docker

    assert docker("run", "--rm", image).stdout == 'café a/b "q" \U0001f600\n'


@case("cmd", "healthcheck")
def test_a_json_command_passes_its_dollars_as_json_reads_them():
    """New-user trial: `\\u0024\\u0024` in a JSON cmd ran as one `$`, and `$$` written in one
    (Docker users' `["sh", "-c", "kill $$"]`, the shell's pid) silently meant a `$`."""
    written = '["sh", "-c", "echo \\u0024\\u0024 ${$} \\u0024"]'
    image = build(on_busybox(f"    cmd {written}\n"))
    assert config(image)["Cmd"] == ["sh", "-c", "echo $$ ${$} $"]
    from e2e.engine import docker

    said = docker("run", "--rm", image).stdout.split()
    assert said[0] == said[1] and said[0].isdigit() and said[2] == "$", said
    assert refused(on_busybox('    cmd ["sh", "-c", "kill $$"]\n')).startswith(
        "'$$' in a JSON array"
    )
    assert refused(on_busybox('    healthcheck ["CMD", "true"]\n')).startswith(
        "'CMD' is Dockerfile syntax"
    )


@case("cmd", "runtime.distroless")
@pytest.mark.parametrize(
    ("preset", "cmd", "runs", "right"),
    [
        ("distroless nodejs 18", "node dist/server.js", "/nodejs/bin/node node dist/server.js",
         "dist/server.js"),
        ("distroless python3", "python3 -m demo", "/usr/bin/python3.11 python3 -m demo",
         "-m demo"),
        ("distroless java 21", "java -jar app.jar", "/usr/bin/java -jar java -jar app.jar",
         "app.jar"),
        ("distroless java 21", "-jar app.jar", "/usr/bin/java -jar -jar app.jar", "app.jar"),
    ],
)
def test_a_cmd_naming_the_program_the_image_runs_as_its_entrypoint_is_refused(
    preset, cmd, runs, right
):
    """The distroless language images run their interpreter as their ENTRYPOINT."""
    message = refused(f"app demo\nruntime {preset} {{\n    cmd {cmd}\n}}\n")
    assert f"as its entrypoint, with the cmd as its arguments: this would run {runs}" in message
    with pytest.raises(AssertionError, match="should have refused"):
        refused(f"app demo\nruntime {preset} {{\n    cmd {right}\n}}\n")  # the arguments


@case("entrypoint", "cmd")
def test_entrypoint_argv_and_cmd_as_its_default_arguments():
    image = build(on_busybox(f"    entrypoint /bin/echo {ARGV_WORDS}\n    cmd last word\n"))
    cfg = config(image)
    assert (cfg["Entrypoint"], cfg["Cmd"]) == (["/bin/echo", *ARGV], ["last", "word"])
    from e2e.engine import docker

    assert docker("run", "--rm", image).stdout == " ".join([*ARGV, "last", "word"]) + "\n"
    assert docker("run", "--rm", image, "other").stdout == " ".join([*ARGV, "other"]) + "\n"


@case("entrypoint")
def test_the_one_program_received_runs_when_no_command_is_named():
    """No cmd and no entrypoint, one program received: ENTRYPOINT runs it, `docker run IMAGE
    ARGS` passes the arguments to it; two programs, or a cmd of its own: no default."""
    from e2e.engine import docker

    image = build(go_app("    expose 80\n"), GO_FILES)
    assert (config(image)["Entrypoint"], config(image)["Cmd"]) == (["demo"], None)
    assert docker("run", "--rm", "--network", "none", image).stdout == (
        "demo made by go CGO_ENABLED=0\n"
    )
    source = (
        "app demo\nbuild go semsuite {\n"
        "    run go build -o /out/demo . && go build -o /out/tool .\n"
        "    artifact /out/demo /out/tool\n}\nruntime alpine semsuite {\n}\n"
        "runtime one: from runtime {\n    ships /out/tool\n}\n"
        "runtime own: from runtime {\n    cmd demo --flag\n}\n"
    )
    two = config(build(source, GO_FILES, target="runtime"))
    assert two["Entrypoint"] is None  # the base's own command, the stand-in's
    one = build(source, GO_FILES, target="one")
    assert config(one)["Entrypoint"] == ["tool"]
    out = docker("run", "--rm", "--network", "none", one).stdout
    assert out == "tool made by go CGO_ENABLED=0\n"
    own = config(build(source, GO_FILES, target="own"))
    assert (own["Entrypoint"], own["Cmd"]) == (None, ["demo", "--flag"])


@case("cmd")
def test_cmd_with_a_shell_as_the_docs_say():
    image = build(on_busybox('    cmd sh -c "echo home=$HOME user=$(id -u)"\n'))
    from e2e.engine import docker

    assert docker("run", "--rm", image).stdout == "home=/home/nonroot user=65532\n"


@case("copy", "volume", "workdir")
def test_paths_are_literal():
    image = build(
        on_busybox('    family alpine\n    copy "a#b.txt" "é=ü.txt" "$$x.txt"\n'
                   '    volume "/v#1" "/v=ü"\n'
                   '    workdir "/w$$ d"\n'),
        {"a#b.txt": "1", "é=ü.txt": "2", "$x.txt": "3"},
    )
    found = tree(image)
    assert [found[f"/w$ d/{name}"].data for name in ("a#b.txt", "é=ü.txt", "$x.txt")] == [
        b"1", b"2", b"3"
    ]
    assert (found["/v#1"].uid, found["/v=ü"].uid) == (65532, 65532)
    cfg = config(image)
    assert (cfg["Volumes"], cfg["WorkingDir"]) == ({"/v#1": {}, "/v=ü": {}}, "/w$ d")


@case("run", "runtime")
@pytest.mark.parametrize("runtime", ["alpine semsuite", "debian semsuite"])
def test_a_failing_pipe_in_a_runtime_fails_the_build(runtime):
    build_fails(f"app demo\nruntime {runtime} {{\n    run false | true\n    cmd true\n}}\n")


@case("run")
def test_a_pipe_on_an_image_base_has_no_pipefail():
    """Documented: ship does not know an `image` base's shell, so it sets no pipefail
    `SHELL` there (and warns)."""
    import shipc

    source = on_busybox("    run false | true\n    cmd true\n")
    warnings = shipc.compile_source(source).warnings
    assert any("pipe" in w.message for w in warnings)
    build(source)


@case("entrypoint", "runtime.alpine")
def test_a_runtime_that_receives_two_programs_and_names_none_runs_the_bases_shell():
    """No implied entrypoint for two programs: the image keeps the base's command, a shell,
    whose container exits at once without doing anything; ship warns so, on every base."""
    import shipc

    source = go_app("", build_body="    run go build -o /out/other .\n    artifact /out/other\n")
    warnings = [d.message for d in shipc.compile_source(source, "case.ship").warnings]
    assert any("its container would run the command of the 'alpine' image" in w for w in warnings)
    image = build(source, GO_FILES)
    assert config(image).get("Entrypoint") is None and config(image)["Cmd"] == ["sh"]
    from e2e.engine import docker

    ran = docker("run", "--rm", image)
    assert ran.returncode == 0 and ran.stdout == ""  # the shell read no input and exited


@case("artifact", "toolchain.python", "manager.pip")
def test_a_python_build_without_artifact_ships_the_venv_but_not_the_app():
    """Without an `artifact` line the runtime gets the venv only, and ship warns so; with
    `artifact .` the app's code is there too."""
    import shipc

    files = {"requirements.txt": "flask==3.0.0\n", "myapp/__main__.py": "print(1)\n"}
    runtime = "runtime python semsuite slim {\n    cmd python -m myapp\n}\n"
    bare = f"app demo\nbuild python semsuite {{\n}}\n{runtime}"
    warned = [d.message for d in shipc.compile_source(bare, "case.ship").warnings]
    assert any("the runtimes get only /opt/venv" in m for m in warned)
    found = tree(build(bare, files))
    assert "/opt/venv/lib/installed" in found and "/app/myapp/__main__.py" not in found
    shipped = f"app demo\nbuild python semsuite {{\n    artifact .\n}}\n{runtime}"
    assert not shipc.compile_source(shipped, "case.ship").warnings
    assert "/app/myapp/__main__.py" in tree(build(shipped, files))


@case("writable", "volume", "runtime.nginx", "runtime.distroless")
def test_a_folder_the_base_may_have_is_handed_over_and_refused_without_a_shell():
    """nginx-unprivileged runs as 101: a folder its image has (/run, root's in the
    stand-in) is handed to 101 by a RUN as root, a new one too; on distroless, where no RUN
    can run, a folder it has is refused, and one outside its root folders is made new."""
    image = build("app demo\nruntime nginx semsuite {\n    writable /run /srv/cache\n}\n")
    assert sh(image, "id -u; touch /run/x /srv/cache/x && echo written").split() == [
        "101", "written",
    ]
    said = refused("app demo\nruntime distroless static {\n    writable /home\n    cmd x\n}\n")
    assert "may be a folder this runtime's base has already" in said
    image = build(go_app("    writable /state\n    cmd demo\n", runtime="distroless static"),
                  GO_FILES)
    found = tree(image)
    assert (found["/state"].uid, found["/state"].kind) == (65532, "dir")

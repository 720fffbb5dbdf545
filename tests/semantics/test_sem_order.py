"""A runtime's steps, executed: which image holds which artifact (`ships`), the order of
steps around the artifacts, who runs them (`as user`, `as root`), where env lines land, and
the owner and mode of what is copied (root's, unless in a `writable` folder)."""

from __future__ import annotations

import pytest

from semantics.harness import build, case, compile_ship, config, docker, env, refused, sh, tree

pytestmark = pytest.mark.engine

GO_FILES = {"go.mod": "module demo\n", "main.go": "package main\n"}
TWO = (
    "app demo\n\nbuild go semsuite {\n"
    "    run go build -o /out/api . && go build -o /out/worker .\n"
    "    artifact /out/api\n    artifact /out/worker\n}\n\n"
)


@case("ships", "test")
def test_each_runtime_holds_only_what_it_ships_and_a_smoke_test_runs_against_one():
    source = TWO + (
        "runtime worker: alpine semsuite {\n    ships /out/worker\n    cmd worker\n}\n\n"
        "test smoke: from worker {\n    run worker > /tmp/said\n}\n\n"
        "runtime none: alpine semsuite {\n    ships none\n    cmd true\n}\n\n"
        "runtime api: alpine semsuite {\n    ships build\n    cmd api\n}\n"
    )
    def programs(target):
        found = tree(build(source, GO_FILES, target=target))
        return sorted(p for p in ("/usr/local/bin/api", "/usr/local/bin/worker") if p in found)

    assert programs("worker") == ["/usr/local/bin/worker"]
    assert programs("none") == []
    assert programs("api") == ["/usr/local/bin/api", "/usr/local/bin/worker"]  # the whole build
    smoke = tree(build(source, GO_FILES, target="smoke"))
    assert smoke["/tmp/said"].data == b"worker made by go CGO_ENABLED=0\n"
    assert smoke["/tmp/said"].uid == 65532  # as the runtime's user
    assert "/usr/local/bin/api" not in smoke


@case("ships", "as", "run", "env")
def test_steps_run_in_the_order_written_around_the_app_as_the_user_chosen():
    source = TWO + (
        "runtime alpine semsuite {\n"
        "    env EARLY=1\n"
        '    run echo "before $(ls /usr/local/bin) $(pwd) $(id -u) $EARLY" >> /log\n'
        "    ships\n"
        '    run echo "after $(ls /usr/local/bin | tr "\\n" " ")$(id -u)" >> /log\n'
        "    writable state\n"
        "    as user\n"
        '    run echo "user $(id -u) $(pwd)" > state/who\n'
        "    as root\n"
        "    run cat state/who >> /log\n"
        "    env LATE=2\n"
        "    cmd api\n}\n"
    )
    dockerfile = compile_ship(source)
    # The late env comes after the artifacts: changing it rebuilds nothing before it.
    assert dockerfile.index("COPY --from=build /out/worker") < dockerfile.index("ENV LATE=2")
    assert dockerfile.index("ENV EARLY=1") < dockerfile.index("COPY --from=build /out/api")
    image = build(source, GO_FILES)
    assert tree(image)["/log"].data.decode().splitlines() == [
        "before  /app 0 1",
        "after api worker 0",
        "user 65532 /app",
    ]
    assert env(image)["LATE"] == "2" and config(image)["User"] == "65532:65532"


@case("writable", "volume")
def test_code_is_roots_and_writable_folders_the_users_even_inside_a_copied_folder():
    source = (
        "app demo\nbuild node semsuite {\n    run npm run build\n    artifact dist\n}\n"
        "runtime node semsuite {\n"
        "    writable dist/cache uploads\n"
        "    volume /data\n"
        "    copy seed.txt -> uploads/\n"
        "    cmd node dist/index.js\n}\n"
    )
    files = {"package.json": "{}", "package-lock.json": "{}", "index.js": "", "seed.txt": "s"}
    dockerfile = compile_ship(source)
    # dist/cache may come with the artifact dist, root's: handed to the user right after it.
    assert "RUN mkdir -p /app/dist/cache && chown -R 1000:1000 /app/dist/cache" in dockerfile
    image = build(source, files)
    found = tree(image)
    owners = {p: (found[p].uid, found[p].gid) for p in (
        "/app", "/app/dist", "/app/dist/index.js", "/app/dist/cache", "/app/uploads",
        "/app/uploads/seed.txt", "/data")}
    assert owners == {
        "/app": (0, 0), "/app/dist": (0, 0), "/app/dist/index.js": (0, 0),
        "/app/dist/cache": (1000, 1000), "/app/uploads": (1000, 1000),
        "/app/uploads/seed.txt": (1000, 1000), "/data": (1000, 1000),
    }
    assert found["/app/dist/index.js"].mode & 0o022 == 0  # nobody else may write the code
    out = sh(image, "touch /app/dist/cache/x /app/uploads/y /data/z && echo ok;"
                    " touch /app/dist/nope 2>/dev/null || echo refused")
    assert out == "ok\nrefused\n"


@case("artifact", "ships")
def test_several_artifacts_on_one_line_are_each_shipped_and_each_selectable():
    source = (
        "app demo\n\nbuild go semsuite {\n"
        "    run go build -o /out/api . && go build -o /out/worker . && mkdir -p /out/etc"
        " && echo c > /out/etc/a.conf && echo d > /out/etc/b.conf\n"
        "    artifact /out/api /out/worker\n"
        "    artifact /out/etc/a.conf /out/etc/b.conf -> /etc/demo/\n}\n\n"
        "runtime one: alpine semsuite {\n    ships /out/worker\n    cmd worker\n}\n\n"
        "runtime alpine semsuite {\n    cmd api\n}\n"
    )
    found = tree(build(source, GO_FILES))
    assert {p for p in ("/usr/local/bin/api", "/usr/local/bin/worker") if p in found} == {
        "/usr/local/bin/api", "/usr/local/bin/worker"}
    assert (found["/etc/demo/a.conf"].data, found["/etc/demo/b.conf"].uid) == (b"c\n", 0)
    one = tree(build(source, GO_FILES, target="one"))
    assert "/usr/local/bin/worker" in one and "/usr/local/bin/api" not in one
    assert "/etc/demo/a.conf" not in one


@case("as", "runtime")
def test_a_runtime_from_a_runtime_runs_its_own_steps_as_root_in_their_own_layer():
    source = (
        "app demo\nbuild go semsuite {\n    run go build -o /out/demo .\n"
        "    artifact /out/demo\n}\n"
        "runtime base: alpine semsuite {\n    as user\n    run id -u > /tmp/parent\n"
        "    cmd demo\n}\n"
        "runtime child: from base {\n    run id -u > /etc/marker\n}\n"
    )
    dockerfile = compile_ship(source)
    child = dockerfile[dockerfile.index("AS child") :]
    # The parent's RUN is written as the parent's: its layer is shared, not joined.
    assert "RUN id -u > /tmp/parent\nUSER 0:0\nRUN id -u > /etc/marker\n" in child
    image = build(source, GO_FILES, target="child")
    files = tree(image)
    assert files["/tmp/parent"].data == b"65532\n" and files["/etc/marker"].data == b"0\n"
    assert config(image)["User"] == "65532:65532"


@case("writable", "workdir")
def test_the_folders_above_a_writable_one_and_the_work_directory_stay_roots():
    """A WORKDIR makes a missing folder, and every missing one on its way, the current
    user's. So the folder a writable one is made in (`var` of `writable var/cache`, `/srv`
    of `volume /srv/uploads`) is made root's first, and the work directory is made as root
    on a base that runs as its own user (nginx-unprivileged, 101): both were the app's."""
    source = (
        "app demo\n"
        "runtime nginx semsuite {\n"
        "    workdir /site\n"
        "    writable var/cache\n"
        "    volume /srv/uploads\n"
        "    copy seed.txt -> var/log/\n"
        "}\n"
    )
    found = tree(build(source, {"seed.txt": "s"}))
    owners = {p: found[p].uid for p in (
        "/site", "/site/var", "/site/var/cache", "/site/var/log", "/srv", "/srv/uploads")}
    assert owners == {
        "/site": 0, "/site/var": 0, "/site/var/cache": 101, "/site/var/log": 0, "/srv": 0,
        "/srv/uploads": 101,
    }


@case("workdir", "runtime", "writable")
def test_a_runtime_from_a_runtime_with_its_own_workdir_keeps_the_parents_paths():
    """A runtime `from` another that sets its own work directory: what the other places
    relative to its own (a copy, a writable folder, a run line) would move there, so it is
    refused; written with absolute paths, each lands where its runtime says."""
    child = "runtime child: from base {\n    workdir /srv\n    copy more.txt\n    run touch other\n}\n"
    relative = (
        "app demo\nruntime base: alpine semsuite {\n    workdir /app\n    writable data\n"
        "    copy conf.txt\n    run touch marker\n    cmd sh\n}\n" + child
    )
    assert "would move what runtime 'base' places in its own (/app)" in refused(relative)
    absolute = (
        "app demo\nruntime base: alpine semsuite {\n    workdir /app\n    writable /app/data\n"
        "    copy conf.txt -> /app/conf.txt\n    run cd /app && touch marker\n    cmd sh\n}\n"
        + child
    )
    image = build(absolute, {"conf.txt": "c\n", "more.txt": "m\n"}, target="child")
    files = tree(image)
    for path in ("/app/conf.txt", "/app/marker", "/srv/more.txt", "/srv/other"):
        assert path in files, path
    assert "/srv/conf.txt" not in files and "/srv/marker" not in files
    assert files["/app/data"].uid == 65532
    assert config(image)["WorkingDir"] == "/srv"


@case("workdir", "runtime", "entrypoint", "healthcheck", "artifact")
def test_a_runtime_from_a_runtime_with_its_own_workdir_keeps_the_parents_command_and_artifacts():
    """A runtime `from` another that sets its own work directory: the entrypoint and
    healthcheck it takes from the other name `./start.sh` and `./health.sh`, which would be
    looked up in the new one (`stat ./start.sh: no such file`), and the artifact shipped
    to `conf/` would land in /srv/conf/ while the command reads /app/conf: refused. Written
    absolute, the runtime starts in /srv, runs /app/start.sh and finds /app/conf."""
    build_ = (
        "app demo\nbuild go semsuite {\n    run go build -o /out/demo . && mkdir -p /out/conf"
        " && echo c > /out/conf/app.conf\n    artifact /out/conf -> {dest}\n}\n"
    )
    base = (
        "runtime base: alpine semsuite {\n    workdir /app\n"
        "    copy start.sh health.sh -> /app/\n    run cd /app && chmod 755 start.sh health.sh\n"
        "    entrypoint {start}\n    healthcheck {health}\n}\n"
        "runtime r: from base {\n    workdir /srv\n}\n"
    )
    relative = build_.replace("{dest}", "conf/") + base.replace(
        "{start}", "./start.sh"
    ).replace("{health}", "./health.sh")
    said = refused(relative)
    assert "'artifact /out/conf -> conf/' (line 4)" in said
    assert "'entrypoint ./start.sh' (line 10) and 'healthcheck ./health.sh' (line 11)" in said
    absolute = build_.replace("{dest}", "/app/conf/") + base.replace(
        "{start}", "/app/start.sh"
    ).replace("{health}", "/app/health.sh")
    files = {
        "go.mod": "module demo\n",
        "start.sh": '#!/bin/sh\necho "$PWD"; cat /app/conf/app.conf\n',
        "health.sh": "#!/bin/sh\ntrue\n",
    }
    image = build(absolute, files, target="r")
    assert config(image)["WorkingDir"] == "/srv"
    assert docker("run", "--rm", image, check=True).stdout == "/srv\nc\n"
    assert "/srv/conf" not in tree(image)

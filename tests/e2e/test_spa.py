"""End to end: a single-page app built with npm (a real dependency from the registry) and
served by the nginx runtime, non-root on 8080, with the SPA's route fallback. The nginx
base is Debian's nginx set up as the nginx project's unprivileged image (images.py)."""

from __future__ import annotations

import time

import pytest
from e2e.engine import docker
from e2e.images import MINBASE
from e2e.test_e2e import (  # noqa: F401  (fixtures)
    NO_CACHE,
    base_images,
    build,
    inspect,
    mb,
    tag_for,
    tags,
    workspace,
)

pytestmark = pytest.mark.engine

NAME = "spa"


def _get(container: str, path: str) -> str:
    """GET a path from the container's port 8080, from a helper container on its network
    (the nginx image has no HTTP client; the host's static busybox has one)."""
    p = docker(
        "run",
        "--rm",
        "--network",
        f"container:{container}",
        "-v",
        "/bin/busybox:/busybox:ro",
        MINBASE,
        "/busybox",
        "wget",
        "-q",
        "-O-",
        f"http://127.0.0.1:8080{path}",
        timeout=60,
    )
    assert p.returncode == 0, f"GET {path} failed: {p.stderr}"
    return p.stdout


def _serving(container: str) -> None:
    for _ in range(50):
        p = docker(
            "run",
            "--rm",
            "--network",
            f"container:{container}",
            "-v",
            "/bin/busybox:/busybox:ro",
            MINBASE,
            "/busybox",
            "wget",
            "-q",
            "-O",
            "/dev/null",
            "http://127.0.0.1:8080/",
        )
        if p.returncode == 0:
            return
        time.sleep(0.2)
    logs = docker("logs", container)
    pytest.fail(f"nginx did not answer on 8080:\n{logs.stdout}{logs.stderr}", pytrace=False)


def test_spa_is_built_with_npm_and_served_by_nginx_as_non_root(
    base_images,  # noqa: F811  (the fixtures of test_e2e)
    tags,  # noqa: F811
    tmp_path_factory,
):
    ctx, dockerfile = workspace(tmp_path_factory, NAME)
    tag = tag_for(NAME)
    result = build(ctx, dockerfile, tag, tags, no_cache=NO_CACHE)
    config = inspect(tag)["Config"]
    assert config["User"] == "101:101"
    assert sorted(config["ExposedPorts"]) == ["8080/tcp"]
    assert config["Cmd"] == ["nginx", "-g", "daemon off;"]  # the base's own

    run = docker("run", "-d", "--rm", tag)
    assert run.returncode == 0, run.stderr
    container = run.stdout.strip()
    try:
        _serving(container)
        page = _get(container, "/")
        assert "hello from spa is-number=true" in page  # the npm dependency ran in the build
        assert _get(container, "/orders/42/edit") == page  # a client route: the app's page
        assert "getElementById" in _get(container, "/assets/app.js")
        # Every process of the container (nginx's master and workers) runs as 101.
        owners = docker("exec", container, "sh", "-c", "stat -c %u /proc/[0-9]*/ | sort -u")
        assert owners.stdout.split() == ["101"], owners.stdout + owners.stderr
    finally:
        docker("rm", "-f", container)

    # The site's files are root's: the server (101) reads them and cannot change them.
    check = docker(
        "run",
        "--rm",
        tag,
        "sh",
        "-c",
        "id -u; stat -c '%u' /usr/share/nginx/html/index.html /etc/nginx/conf.d/default.conf;"
        " touch /usr/share/nginx/html/index.html 2>/dev/null && echo writable || echo read-only",
    )
    assert check.stdout.split() == ["101", "0", "0", "read-only"], check.stdout + check.stderr
    print(
        f"\nspa: built in {result.seconds:.1f}s, final image {mb(inspect(tag)['Size'])},"
        f" nginx base {mb(inspect('nginxinc/nginx-unprivileged:1.22')['Size'])}"
    )

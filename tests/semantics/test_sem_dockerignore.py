"""`ship compile --dockerignore`, executed: the ignore file it writes beside the Dockerfile
keeps the host's build output and .git out of the build (compiler/ignore.py)."""

from __future__ import annotations

import pytest
import shipc
from shipc import ignore

from semantics.harness import build, case, tree

pytestmark = pytest.mark.engine

NODE = (
    "app web\n\nbuild node semsuite {\n    run npm run build\n    artifact dist\n}\n\n"
    "runtime node semsuite {\n    cmd node dist/index.js\n}\n"
)


@case("ignore")
def test_engine_host_node_modules_stay_out_of_the_image():
    """Without the ignore file the host's node_modules (here a marker file) is copied over
    the one `npm ci` made in the image; with it, the image keeps its own, and .git is not
    sent. The case of issue 10 §6."""
    source = "ignore *.log\n" + NODE
    files = {
        "package.json": "{}\n",
        "package-lock.json": "{}\n",
        "index.js": "console.log(1)\n",
        "node_modules/.installed-by": "host\n",
        ".git/HEAD": "ref: refs/heads/main\n",
        "debug.log": "noise\n",
    }
    plain = tree(build(source, files, target="build"))
    assert plain["/app/node_modules/.installed-by"].data == b"host\n"  # the problem
    text, _ = ignore.dockerignore(shipc.compile_source(source, "case.ship"))
    kept = tree(build(source, files, target="build", dockerignore=text))
    assert kept["/app/node_modules/.installed-by"].data == b"npm\n"
    assert "/app/.git/HEAD" not in kept and "/app/debug.log" not in kept  # `ignore *.log`
    assert "/app/index.js" in kept and "/app/debug.log" in plain

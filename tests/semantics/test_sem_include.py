"""Includes, executed: a service file that includes shared fragments (an arg and a build
in one file, a runtime in a file that file includes) builds the image those lines would
build written in the service file itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from semantics.harness import build, case, compile_ship, env, tree
from semantics.standins import BUSYBOX

pytestmark = pytest.mark.engine

COMMON = (
    "# shared by every service\n"
    'include "runtime.ship"\n'
    "arg GREETING=hello\n"
    f"build tool: image {BUSYBOX} {{\n"
    '    run mkdir -p /out && echo "${GREETING} from common" > /out/greeting\n'
    "    artifact /out/greeting -> /srv/greeting\n"
    "}\n"
)
RUNTIME = f"runtime base: image {BUSYBOX} {{\n    env FROM_INCLUDE=yes\n    cmd true\n}}\n"
SERVICE = 'app svc\ninclude "../shared/common.ship"\nruntime from base {\n    env OWN=1\n}\n'


@case("include")
def test_included_lines_build_as_if_written_in_place(tmp_path: Path):
    (tmp_path / "shared").mkdir()
    (tmp_path / "svc").mkdir()
    (tmp_path / "shared" / "common.ship").write_text(COMMON)
    (tmp_path / "shared" / "runtime.ship").write_text(RUNTIME)
    service = tmp_path / "svc" / "app.ship"
    service.write_text(SERVICE)
    common = COMMON.replace('include "runtime.ship"\n', RUNTIME)
    inline = SERVICE.replace('include "../shared/common.ship"\n', common)
    assert compile_ship(SERVICE, str(service)) == compile_ship(inline, "app.ship")
    image = build(SERVICE, filename=str(service))
    files = tree(image)
    assert files["/srv/greeting"].data == b"hello from common\n"
    assert env(image)["FROM_INCLUDE"] == "yes" and env(image)["OWN"] == "1"
    changed = build(SERVICE, filename=str(service), build_args={"GREETING": "hi"})
    assert tree(changed)["/srv/greeting"].data == b"hi from common\n"

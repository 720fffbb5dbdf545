"""Mount options, executed: a cache's id and sharing, caches on install and on a runtime's
steps, OS packages in a build before its manifests, SSH forwarding with known hosts read
from the context."""

from __future__ import annotations

import subprocess
import uuid

import pytest

from semantics.harness import build, calls, case, tree
from semantics.standins import BUSYBOX, PACKAGES

pytestmark = pytest.mark.engine

RUNTIME = f"runtime image {BUSYBOX} {{\n    cmd true\n}}\n"


def _text(image: str, path: str) -> str:
    return tree(image)[path].data.decode()


@case("cache")
def test_an_id_shares_one_cache_between_paths_and_stages():
    cache_id = f"ship-sem-{uuid.uuid4().hex[:12]}"
    source = (
        "app demo\n"
        f"build writer: image {BUSYBOX} {{\n"
        f"    cache /c1 id={cache_id} sharing=locked\n"
        "    run echo shared > /c1/f\n"
        "}\n"
        f"build reader: image {BUSYBOX} {{\n"
        f"    cache /c2 id={cache_id} sharing=private\n"
        "    run cat /c2/f > /seen\n"
        "}\n"
        f"{RUNTIME}"
    )
    build(source, target="writer")
    image = build(source, target="reader")
    assert _text(image, "/seen") == "shared\n"
    assert "/c2/f" not in tree(image)  # the cache is not in the image


@case("cache", "install", "runtime")
def test_caches_reach_install_and_a_runtimes_steps():
    nonce = uuid.uuid4().hex
    source = (
        "app demo\n"
        f"build image {BUSYBOX} {{\n"
        f"    cache /var/cache/dl id=ship-sem-dl-{nonce}\n"
        "    deps none\n"
        "    install echo fetched > /var/cache/dl/pkg\n"
        "    run cp /var/cache/dl/pkg /got\n"
        "}\n"
        "runtime debian semsuite {\n"
        f"    cache /var/cache/app id=ship-sem-dl-{nonce} sharing=locked\n"
        "    run cat /var/cache/app/pkg > /from-cache\n"
        "    cmd true\n"
        "}\n"
    )
    assert _text(build(source, target="build"), "/got") == "fetched\n"
    found = tree(build(source))
    assert found["/from-cache"].data == b"fetched\n"
    assert "/var/cache/app/pkg" not in found


@case("packages", "build")
def test_os_packages_of_a_build_come_before_its_manifests():
    source = (
        "app demo\n"
        "build python semsuite {\n"
        "    packages libpq-dev=15 gcc=12\n"
        "    run pip list > /dev/null\n"
        "}\n"
        f"{RUNTIME}"
    )
    image = build(source, {"requirements.txt": "six\n"}, target="build")
    assert _text(image, PACKAGES).split() == ["gcc=12", "libpq-dev=15"]
    order = [c.split()[0] for c in calls(image)]
    assert order.index("apt-get") < order.index("pip")


@case("ssh")
def test_ssh_forwards_the_agent_and_reads_known_hosts_from_the_context(tmp_path):
    key = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    hosts = f"git.example.com {key.with_suffix('.pub').read_text().split()[0]} AAAAexample\n"
    source = (
        "app demo\n"
        f"build image {BUSYBOX} {{\n"
        "    ssh known-hosts=deploy/known_hosts\n"
        '    run test -S "$SSH_AUTH_SOCK" && cp /root/.ssh/known_hosts /hosts-seen\n'
        "}\n"
        f"{RUNTIME}"
    )
    image = build(source, {"deploy/known_hosts": hosts}, target="build", ssh=f"default={key}")
    found = tree(image)
    assert found["/hosts-seen"].data.decode() == hosts
    assert "/root/.ssh/known_hosts" not in found or not found["/root/.ssh/known_hosts"].data

"""Let the toolchain stand-ins trust the host's own CA certificates.

Where the machine's egress goes through a TLS-intercepting proxy, the host trusts the
proxy's CA (a file under /usr/local/share/ca-certificates), but a `RUN pip install` or
`RUN npm ci` inside a build does not: it fails with "self-signed certificate in certificate
chain". The generated Dockerfiles must stay as the compiler wrote them, so instead the
stand-in images that fetch over TLS during a build get those CA files added to their system
store (Debian's pip and Node.js both read /etc/ssl/certs). The derived image keeps the tag
the Dockerfiles name and carries a label with a digest of the CA files, so this is a no-op
when nothing changed and on a machine without extra CAs.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from e2e.engine import docker

HOST_CA_DIR = Path("/usr/local/share/ca-certificates")
LABEL = "ship-e2e.host-ca"
# The toolchain stand-ins whose builds download over TLS (pip, npm, deno); the others fetch nothing.
TLS_IMAGES = ("python:3.11", "node:18", "denoland/deno:2.1.4")

DOCKERFILE = """\
FROM {image}
COPY ca/ /usr/local/share/ca-certificates/ship-e2e/
RUN update-ca-certificates
LABEL {label}={digest}
"""


def host_cas() -> list[Path]:
    return sorted(p for p in HOST_CA_DIR.glob("**/*.crt") if p.is_file()) if HOST_CA_DIR.is_dir() else []


def trust_host_cas(images: tuple[str, ...] = TLS_IMAGES) -> list[str]:
    """Add the host's extra CAs to `images` (retagged in place); the images changed."""
    cas = host_cas()
    if not cas:
        return []
    h = hashlib.sha256()
    for ca in cas:
        h.update(ca.name.encode() + b"\0" + ca.read_bytes() + b"\0")
    digest = h.hexdigest()[:16]
    changed = []
    for image in images:
        p = docker("image", "inspect", image)
        if p.returncode != 0:
            raise RuntimeError(f"{image} is missing: {p.stderr.strip()}")
        info = json.loads(p.stdout)[0]
        labels = info["Config"].get("Labels") or {}
        if labels.get(LABEL) == digest:
            continue
        with tempfile.TemporaryDirectory(prefix="ship-e2e-ca-") as ctx:
            (Path(ctx) / "ca").mkdir()
            for i, ca in enumerate(cas):
                shutil.copyfile(ca, Path(ctx) / "ca" / f"{i:02d}-{ca.name}")
            (Path(ctx) / "Dockerfile").write_text(DOCKERFILE.format(image=image, label=LABEL, digest=digest))
            p = docker("build", "--progress=plain", "-t", image, ctx, timeout=300)
        if p.returncode != 0:
            raise RuntimeError(f"adding the host's CAs to {image} failed:\n{p.stderr[-3000:]}")
        # The image the tag named before is now untagged: drop its record (its layers stay,
        # the new image is built on them); without -f, so nothing in use goes.
        docker("rmi", info["Id"])
        changed.append(image)
    return changed


if __name__ == "__main__":
    print(trust_host_cas() or "nothing to do")

"""The Docker engine, for tests that build images.

``engine_available()`` -> (True, "") if ``/usr/bin/docker info`` answers within a few seconds,
else (False, reason). ``docker(*args, **kw)`` runs /usr/bin/docker (Debian's client, BuildKit
built in) with DOCKER_BUILDKIT=1 and returns the CompletedProcess (text mode, output captured
unless the caller says otherwise; no exception on failure unless check=True is passed).
"""
from __future__ import annotations

import functools
import os
import subprocess

DOCKER = "/usr/bin/docker"


def docker(*args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, **kw.pop("env", {}), "DOCKER_BUILDKIT": "1"}
    kw.setdefault("capture_output", "stdout" not in kw and "stderr" not in kw)
    kw.setdefault("text", True)
    return subprocess.run([DOCKER, *args], env=env, **kw)


@functools.lru_cache(maxsize=1)
def engine_available(timeout: float = 5.0) -> tuple[bool, str]:
    if not os.access(DOCKER, os.X_OK):
        return False, f"{DOCKER} not found (run scripts/engine.sh)"
    try:
        p = docker("version", "--format", "{{.Server.Version}}", timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, f"`docker version` did not answer within {timeout:g}s"
    except OSError as e:
        return False, f"cannot run {DOCKER}: {e}"
    if p.returncode != 0 or not p.stdout.strip():
        # Without a daemon the client says why on one of its stderr lines ("Cannot connect
        # to the Docker daemon …"); a template error about a nil server says nothing useful.
        lines = [line for line in p.stderr.splitlines() if "connect" in line.lower()]
        reason = (lines or ["no Docker daemon answers"])[0].strip()
        return False, f"{reason} (run scripts/engine.sh)"
    return True, ""


if __name__ == "__main__":
    ok, why = engine_available()
    print("engine available" if ok else f"engine unavailable: {why}")
    raise SystemExit(0 if ok else 1)

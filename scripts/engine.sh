#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine (Debian 12, root).
# Idempotent: installs docker.io, debootstrap, busybox-static and make (the Makefile
# example's test runs it) only if missing,
# starts dockerd only if `docker info` does not answer, then the newer engine of
# scripts/newer-engine.sh (Docker 26 beside it, for the newer-frontend cases). A second run
# takes seconds.
set -euo pipefail

DOCKER=/usr/bin/docker
WAIT_SECONDS=${ENGINE_WAIT_SECONDS:-60}

log() { printf 'engine.sh: %s\n' "$*" >&2; }

# 1. Packages (apt only when something is missing).
missing=()
[ -x /usr/bin/docker ] && command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
[ -x /bin/busybox ] || missing+=(busybox-static)
command -v make >/dev/null 2>&1 || missing+=(make)
if [ "${#missing[@]}" -gt 0 ]; then
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
else
    log "packages present: docker.io debootstrap busybox-static make"
fi

engine_up() { timeout 10 "$DOCKER" info >/dev/null 2>&1; }

# 3. A second, newer engine for the cases of features a newer Dockerfile frontend reads
# (its own socket and data; skipped with a message if its package cannot be downloaded).
newer_engine() { bash "$(dirname "$0")/newer-engine.sh"; }

# 2. Engine.
if engine_up; then
    log "engine already answers"
    newer_engine
    exit 0
fi

if pgrep -x dockerd >/dev/null 2>&1; then
    log "dockerd is running but does not answer yet; waiting"
else
    log "starting dockerd (log: /var/log/dockerd.log)"
    PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH setsid dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
fi

for _ in $(seq 1 "$WAIT_SECONDS"); do
    if engine_up; then
        log "engine answers: $("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null)"
        newer_engine
        exit 0
    fi
    sleep 1
done

log "ERROR: the Docker engine did not answer within ${WAIT_SECONDS}s; last lines of /var/log/dockerd.log:"
tail -n 20 /var/log/dockerd.log >&2 || true
exit 1

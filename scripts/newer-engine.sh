#!/usr/bin/env bash
# A second, newer Docker engine beside the system's (Debian 12's Docker 20.10, whose built-in
# Dockerfile frontend predates COPY --link and heredocs), for the engine cases of the
# features that need a newer frontend (tests/semantics/test_sem_frontend.py).
#
# Debian 13's docker.io (Docker 26, BuildKit 0.13) is fetched with apt from Debian's archive
# (lists kept apart: the system's sources are not touched), unpacked into /opt/ship-docker26
# and started as its own daemon: its own socket, data, exec root and pid file, its own
# bridge (ship-docker26, 10.213.26.0/24) and no iptables rules, so the system's daemon is
# untouched. Never `--bridge=none`: a daemon started so deletes the interface `docker0`, the
# system daemon's bridge, and every container of that daemon then fails to start.
# It keeps its images in containerd's image store (Docker's default from 29 on), where a
# COPY --link layer is laid over the stage as BuildKit makes it, apart from the stage: the
# classic store applies it through the stage, and what --link changes would not show.
# Idempotent: a second run with the daemon answering takes a moment.
# If Debian's archive cannot be reached, it says so and exits 0: the cases then skip with
# that reason. Anything else that goes wrong is an error.
set -euo pipefail

HOME_DIR=/opt/ship-docker26
SOCKET=/run/ship-docker26.sock
DATA=/var/lib/ship-docker26
LOG=/var/log/ship-docker26.log
SUITE=${SHIP_NEWER_ENGINE_SUITE:-trixie}
WAIT_SECONDS=${ENGINE_WAIT_SECONDS:-60}

log() { printf 'newer-engine.sh: %s\n' "$*" >&2; }
answers() { timeout 10 /usr/bin/docker -H "unix://$SOCKET" info >/dev/null 2>&1; }

CONFIG=$HOME_DIR/daemon.json
store() { /usr/bin/docker -H "unix://$SOCKET" info --format '{{.Driver}}' 2>/dev/null; }

if answers; then
    if [ "$(store)" = overlayfs ] && ip link show ship-docker26 >/dev/null 2>&1; then
        log "the newer engine already answers on $SOCKET"
        exit 0
    fi
    log "the newer engine answers without containerd's image store or its own bridge: restarting it"
    pid=$(cat /run/ship-docker26.pid)
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
fi

if [ ! -x "$HOME_DIR/dockerd" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
    echo "deb http://deb.debian.org/debian $SUITE main" > "$work/sources.list"
    apt_options=(
        -o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=-"
        -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
        -o "APT::Sandbox::User=root" -q
    )
    log "fetching docker.io from Debian $SUITE"
    if ! apt-get "${apt_options[@]}" update >"$work/apt.log" 2>&1 \
        || ! (cd "$work" && apt-get "${apt_options[@]}" download docker.io >>"$work/apt.log" 2>&1); then
        tail -n 5 "$work/apt.log" >&2 || true
        log "SKIP: Debian $SUITE's docker.io could not be downloaded; the newer-frontend engine cases will skip"
        exit 0
    fi
    dpkg-deb -x "$work"/docker.io_*.deb "$work/root"
    mkdir -p "$HOME_DIR"
    install -m 755 "$work/root/usr/sbin/dockerd" "$work/root/usr/sbin/docker-proxy" "$HOME_DIR/"
    log "installed $("$HOME_DIR/dockerd" --version) in $HOME_DIR"
fi

echo '{"features": {"containerd-snapshotter": true}}' > "$CONFIG"
if ! ip link show ship-docker26 >/dev/null 2>&1; then
    ip link add name ship-docker26 type bridge
    ip addr add 10.213.26.1/24 dev ship-docker26
    ip link set ship-docker26 up
fi
log "starting the newer engine on $SOCKET (log: $LOG)"
PATH="$HOME_DIR:/usr/sbin:/usr/bin:/sbin:/bin" setsid "$HOME_DIR/dockerd" \
    --config-file "$CONFIG" --data-root "$DATA" --exec-root /run/ship-docker26 --pidfile /run/ship-docker26.pid \
    -H "unix://$SOCKET" --bridge=ship-docker26 --iptables=false --ip6tables=false \
    >"$LOG" 2>&1 </dev/null &

for _ in $(seq 1 "$WAIT_SECONDS"); do
    if answers; then
        log "the newer engine answers: $(/usr/bin/docker -H "unix://$SOCKET" version --format '{{.Server.Version}}')"
        exit 0
    fi
    sleep 1
done
log "ERROR: the newer engine did not answer within ${WAIT_SECONDS}s; last lines of $LOG:"
tail -n 20 "$LOG" >&2 || true
exit 1

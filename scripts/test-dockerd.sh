#!/usr/bin/env bash
# A private dockerd for the container tests and benchmarks: `start` installs Debian's docker.io and
# busybox-static when missing, starts dockerd as root with its data and exec roots in $OBS_DOCKERD_DIR
# (default /tmp/obs-dockerd), no bridge and no iptables rules (containers use --network none or host, so no
# traffic can reach private address ranges), and imports the tiny local image obs-busybox:local from the
# busybox binary: there is no registry and nothing is ever pulled. `stop` stops that dockerd.
# The socket is unix://$OBS_DOCKERD_DIR/docker.sock; the tests use it (or DOCKER_HOST when set).
set -euo pipefail
DIR="${OBS_DOCKERD_DIR:-/tmp/obs-dockerd}"
SOCK="$DIR/docker.sock"
IMAGE=obs-busybox:local
export DOCKER_HOST="unix://$SOCK"

ping_engine() {
  curl -sf --max-time 2 --unix-socket "$SOCK" http://docker/_ping >/dev/null 2>&1
}

start() {
  local need=()
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  [ -x /bin/busybox ] || command -v busybox >/dev/null 2>&1 || need+=(busybox-static)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
  fi
  mkdir -p "$DIR"
  if ! ping_engine; then
    rm -f "$SOCK"
    local driver=()
    [ -n "${OBS_DOCKERD_STORAGE_DRIVER:-}" ] && driver=(--storage-driver "$OBS_DOCKERD_STORAGE_DRIVER")
    # Its own containerd namespace and exec root: another dockerd on the machine is not disturbed.
    nohup dockerd --data-root "$DIR/data" --exec-root "$DIR/exec" --pidfile "$DIR/dockerd.pid" \
      -H "unix://$SOCK" --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
      --containerd-namespace obs-test --containerd-plugins-namespace obs-test-plugins \
      "${driver[@]}" >"$DIR/dockerd.log" 2>&1 &
    for _ in $(seq 1 60); do
      ping_engine && break
      sleep 0.5
    done
    if ! ping_engine; then
      echo "dockerd did not start; its log:" >&2
      tail -40 "$DIR/dockerd.log" >&2
      exit 1
    fi
  fi
  if ! curl -sf --unix-socket "$SOCK" "http://docker/images/$IMAGE/json" >/dev/null; then
    local root="$DIR/rootfs"
    rm -rf "$root" && mkdir -p "$root/bin"
    cp "$(command -v busybox || echo /bin/busybox)" "$root/bin/busybox"
    for applet in sh echo sleep cat yes timeout true false head ls; do ln -sf busybox "$root/bin/$applet"; done
    tar -C "$root" -cf "$DIR/rootfs.tar" .
    docker import "$DIR/rootfs.tar" "$IMAGE" >/dev/null
    rm -rf "$root" "$DIR/rootfs.tar"
  fi
  echo "dockerd ready: DOCKER_HOST=$DOCKER_HOST, image $IMAGE"
}

stop() {
  if [ -f "$DIR/dockerd.pid" ]; then
    local pid
    pid="$(cat "$DIR/dockerd.pid")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    rm -f "$DIR/dockerd.pid"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Make sure a Docker engine answers (and mmdebstrap exists, to build images without a
# registry). On a machine that already has an engine, do nothing more.
# Otherwise (a fresh Debian CI box, this dev machine) install Debian's docker.io if
# dockerd is absent, clear what a killed dockerd left behind (pid file, socket), start
# dockerd in the background as root (with crun as its OCI runtime where it can), and wait
# until it answers.
set -euo pipefail

log=${GRADER_DOCKERD_LOG:-/var/log/grader-dockerd.log}
wait_s=${GRADER_DOCKERD_WAIT:-60}

answers() { docker info >/dev/null 2>&1; }

# mmdebstrap builds runtime images from Debian's packages when no registry answers.
if ! command -v mmdebstrap >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ensure-docker: installing mmdebstrap (builds images without a registry)..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
fi

if command -v docker >/dev/null 2>&1 && answers; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "ensure-docker: no Docker engine answers and this is not root, so grader cannot start one." >&2
  echo "ensure-docker: start Docker (or add yourself to the docker group) and retry." >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-docker: no dockerd found; installing Debian's docker.io (one time)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq docker.io >/dev/null
fi

# A running dockerd, not one just killed: a killed process stays visible (as a zombie, or
# while the kernel tears it down) and must not be mistaken for a live engine.
dockerd_alive() { pgrep -x -r R,S,D dockerd >/dev/null 2>&1; }
pid_alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

# crun, the OCI runtime written in C, creates and starts a container with about 30 ms less
# CPU than runc here (bench/README "Speed"). Where this script starts the engine itself it
# makes crun the engine's default, unless GRADER_ENGINE_RUNTIME=runc. crun refuses a hybrid
# cgroup layout whose v2 tree holds controllers (here: hugetlb); when no cgroup uses them
# there, they are mounted as v1 hierarchies instead, else the engine keeps runc.
runtime_flags=()
crun_fits() {
  local unified=${GRADER_CGROUP_UNIFIED:-/sys/fs/cgroup/unified} controller controllers
  # (cgroupfs files report a size of 0: read them, do not test -s. GRADER_CGROUP_UNIFIED
  # points the check at a fake tree, for trying it.)
  [ -f /sys/fs/cgroup/cgroup.controllers ] && return 0 # pure cgroup v2
  controllers=$(cat "$unified/cgroup.controllers" 2>/dev/null || true)
  [ -n "$controllers" ] || return 0 # v1, or hybrid with an empty v2 tree
  [ -z "$(cat "$unified/cgroup.subtree_control")" ] || return 1 # in use on v2: leave them
  for controller in $controllers; do
    mkdir -p "/sys/fs/cgroup/$controller" &&
      mount -t cgroup -o "$controller" cgroup "/sys/fs/cgroup/$controller" || return 1
    echo "ensure-docker: mounted the $controller controller as a v1 hierarchy (for crun)" >&2
  done
  [ -z "$(cat "$unified/cgroup.controllers")" ]
}
choose_runtime() {
  [ "${GRADER_ENGINE_RUNTIME:-crun}" = crun ] || return 0
  if ! command -v crun >/dev/null 2>&1; then
    echo "ensure-docker: installing crun (Debian's; a faster OCI runtime than runc)..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq crun >/dev/null 2>&1 || true
  fi
  if ! command -v crun >/dev/null 2>&1; then
    echo "ensure-docker: crun is not installable here; the engine uses runc" >&2
  elif crun_fits; then
    runtime_flags=(--add-runtime "crun=$(command -v crun)" --default-runtime crun)
  else
    echo "ensure-docker: crun cannot run on this cgroup layout; the engine uses runc" >&2
  fi
}

start_dockerd() {
  # A dockerd killed at the end of an earlier session leaves its pid file and socket.
  for pidfile in /var/run/docker.pid /run/docker.pid /var/run/docker/containerd/containerd.pid; do
    if [ -f "$pidfile" ] && ! pid_alive "$(cat "$pidfile" 2>/dev/null)"; then
      echo "ensure-docker: removing stale $pidfile" >&2
      rm -f "$pidfile"
    fi
  done
  rm -f /var/run/docker.sock /run/docker.sock
  echo "ensure-docker: starting dockerd (log: $log)..." >&2
  # No bridge and no iptables: every grader container runs with network_mode=none.
  setsid nohup dockerd --bridge=none --iptables=false --ip6tables=false "${runtime_flags[@]}" \
    >"$log" 2>&1 </dev/null &
}

# Wait for the engine; (re)start dockerd whenever none is alive (at most 3 starts: one
# that dies at once, e.g. on a pid file its predecessor was still removing, gets another).
choose_runtime
starts=0
for _ in $(seq "$wait_s"); do
  if answers; then
    echo "ensure-docker: engine ready ($(docker version --format '{{.Server.Version}}' 2>/dev/null))" >&2
    exit 0
  fi
  if ! dockerd_alive && [ "$starts" -lt 3 ]; then
    [ "$starts" -gt 0 ] && echo "ensure-docker: dockerd is not running; starting it again" >&2
    start_dockerd
    starts=$((starts + 1))
  fi
  sleep 1
done
echo "ensure-docker: dockerd did not answer within ${wait_s}s; last lines of $log:" >&2
tail -n 20 "$log" >&2 || true
exit 1

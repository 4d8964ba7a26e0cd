#!/usr/bin/env bash
# make test-cgroup2: the Docker tests about limits and the process tree, run on a real
# cgroup v2 kernel in a Debian 12 VM (the harness in $CGROUP2_VM, see its README.md).
# CGROUP=v1 boots the same VM with cgroup v1, for a comparison free of emulation speed.
#
# Results go to reports/cgroup2/<v1|v2>/ (JUnit XML, pytest's log, grader doctor, verify,
# JSON reports of the probes); the exit status is the guest's (scripts/cgroup2-guest.sh):
# 0 when every step that must hold did.
# The first run builds the VM image (~4-7 min) and the wheels, loads the python and c
# runtime images into the VM (~1 min) and makes its venv; each later boot reuses them.
set -euo pipefail
cd "$(dirname "$0")/.."
CGROUP2_VM=${CGROUP2_VM:-/work/shared/cgroup2-vm}
export VM_DIR=${VM_DIR:-/tmp/vm-cgroup2} CGROUP=${CGROUP:-v2} TIMEOUT=${TIMEOUT:-5400}
[ -x "$CGROUP2_VM/run.sh" ] || { echo "test-cgroup2: no VM harness at $CGROUP2_VM" >&2; exit 4; }
[ -f "$VM_DIR/disk.img" ] || "$CGROUP2_VM/build.sh"
export WHEELS=$VM_DIR/wheels
ls "$WHEELS"/*.whl >/dev/null 2>&1 || "$CGROUP2_VM/wheels.sh" '[dev]'
# The exact runtime images this checkout uses (content tags), built here if missing.
.venv/bin/python -m grader images build python c >&2
IMAGES=$(.venv/bin/python -m grader images list --no-versions | awk '$1 == "python" || $1 == "c" {print $2}' | xargs)
export IMAGES RO_SHARES="$CGROUP2_VM"
export OUT_DIR=${OUT_DIR:-$PWD/reports/cgroup2/$CGROUP}
mkdir -p "$OUT_DIR"
start=$(date +%s)
status=0
CGROUP2_VM=$CGROUP2_VM "$CGROUP2_VM/run.sh" "CGROUP2_VM=$CGROUP2_VM bash scripts/cgroup2-guest.sh" || status=$?
echo "test-cgroup2: CGROUP=$CGROUP exit status $status after $(($(date +%s) - start)) s; results in $OUT_DIR" >&2
exit "$status"

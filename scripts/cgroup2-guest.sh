#!/usr/bin/env bash
# In the cgroup2 VM (scripts/test-cgroup2.sh starts it): grader's Docker tests about
# limits, its doctor and verify, and the harness's probes, each timed, results to $OUT.
set -uo pipefail
status=0
step() {  # step [--graded] NAME COMMAND...: run, log to $OUT/NAME.txt, remember a failure
    local graded=0 name start rc   # --graded: exit status 1 (not all accepted) is expected
    [ "$1" = --graded ] && { graded=1; shift; }
    name=$1
    shift
    start=$(date +%s)
    "$@" >"$OUT/$name.txt" 2>&1
    rc=$?
    echo "cgroup2-guest: $name: exit status $rc, $(($(date +%s) - start)) s" | tee -a "$OUT/steps.txt" >&2
    [ "$rc" = 0 ] || { [ "$graded" = 1 ] && [ "$rc" = 1 ]; } || status=1
}
: >"$OUT/steps.txt"
if [ -x /opt/v/bin/grader ]; then
    /opt/v/bin/pip install -q --no-deps -e . >&2
else
    python3 -m venv /opt/v && /opt/v/bin/pip install -q -e ".[dev]" >&2
fi
{ uname -r; docker info 2>/dev/null | grep -iE 'cgroup|runtime|server version'; } >"$OUT/host.txt"
cat "$OUT/host.txt" >&2
step doctor /opt/v/bin/grader doctor
step pytest /opt/v/bin/python -m pytest -p no:cacheprovider -q --junitxml "$OUT/junit.xml" \
    tests/test_cgroup.py tests/test_doctor.py tests/test_process_tree.py tests/test_sandbox.py \
    tests/test_hostile.py
step verify-process-tree /opt/v/bin/grader verify problems/process-tree
# problems/hostile with limits scaled for emulation (1 s CPU is ~0.03 s of a real CPU under
# TCG, where Python starts in ~0.6 s): every probe must still earn its folder's verdict.
rm -rf /tmp/hostile-tcg && cp -r problems/hostile /tmp/hostile-tcg
sed -i 's/^  time: 1$/  time: 8/; s/^  wall: 4$/  wall: 30/' /tmp/hostile-tcg/problem.yaml
step verify-hostile-tcg /opt/v/bin/grader verify /tmp/hostile-tcg
step --graded process-tree /opt/v/bin/grader run problems/process-tree problems/process-tree/submissions \
    --no-cache --cache-dir /tmp/gc -j 1 -q --json "$OUT/process-tree.json"
step --graded probes env GRADER=/opt/v/bin/grader "$CGROUP2_VM/grader-probes/probe.sh" vm "$OUT" probes
tail -3 "$OUT/pytest.txt" >&2
exit "$status"

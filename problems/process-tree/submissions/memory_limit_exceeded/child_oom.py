# A child allocates 200 MiB and is OOM-killed; the parent waits for that without reaping
# it, answers correctly and exits 0. Its own peak RSS stays small: only the cgroup's OOM
# count (v1 memory.oom_control, v2 memory.events) shows the broken memory limit.
import os
import sys

pid = os.fork()
if pid == 0:
    hog = b"x" * (200 << 20)
    os._exit(0)
os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
a, b = map(int, sys.stdin.read().split())
print(a + b)

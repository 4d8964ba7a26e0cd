# A forked child spins while the parent, using almost no CPU, waits until the child has
# used 3.5 s of CPU (the limit is 3 s) and then answers correctly. Only a CPU limit on the
# whole process tree stops this: per-process RLIMIT_CPU would let the child run to 4 s and
# the parent's answer through. Waiting on the child's CPU, not on the clock, keeps the
# verdict independent of how loaded the machine is.
import os
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")
child = os.fork()
if child == 0:
    while True:
        pass


def child_cpu():
    with open(f"/proc/{child}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return fields[0], (int(fields[11]) + int(fields[12])) / TICKS  # state, utime + stime


state, used = child_cpu()
while state != "Z" and used < 3.5:
    time.sleep(0.05)
    state, used = child_cpu()
a, b = map(int, sys.stdin.read().split())
print(a + b)

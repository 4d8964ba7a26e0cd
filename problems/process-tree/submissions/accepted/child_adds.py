# A child process does the work and reports through a pipe: children are allowed, only
# what they spend counts.
import os
import sys

a, b = map(int, sys.stdin.read().split())
read_end, write_end = os.pipe()
if os.fork() == 0:
    os.write(write_end, str(a + b).encode())
    os._exit(0)
os.close(write_end)
os.wait()
print(os.read(read_end, 100).decode())

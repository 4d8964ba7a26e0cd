"""Leftovers of an earlier case (files in /tmp, /box, /dev/shm; a double-forked,
setsid'd background process) seen in a later case are a hole. Every case checks, then
leaves leftovers behind."""
import os
import time

MARK = "probe-leftover"
seen = [p for p in ("/tmp", "/box", "/dev/shm") if os.path.exists(os.path.join(p, MARK))]
for pid in (p for p in os.listdir("/proc") if p.isdigit()):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            if MARK.encode() in handle.read() and int(pid) != os.getpid():
                seen.append(f"process {pid}")
    except OSError:
        pass
for folder in ("/tmp", "/box", "/dev/shm"):
    with open(os.path.join(folder, MARK), "w") as handle:
        handle.write("x")
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("python3", ["python3", "-c", "import time; time.sleep(600)", MARK])
    os._exit(0)
time.sleep(0.1)
print("safe" if not seen else f"HOLE {seen}")

"""Finding the problem's files, the expected output, another submission or the Docker
socket anywhere in the container is a hole."""
import os

MARKER = ("SECRET-" + "MARKER-7f3a").encode()
NAMES = {"answer.ans", "problem.yaml", "docker.sock", "fs_write.py", "net_dns.py"}
found = []
for root, dirs, files in os.walk("/", onerror=lambda error: None):
    if root in ("/proc", "/sys", "/dev"):
        dirs[:] = []
        continue
    for name in files:
        path = os.path.join(root, name)
        if name in NAMES:
            found.append(path)
            continue
        try:
            if os.path.isfile(path) and os.path.getsize(path) < (1 << 20):
                with open(path, "rb") as handle:
                    if MARKER in handle.read():
                        found.append(path)
        except OSError:
            pass
print("safe" if not found else f"HOLE found {found[:5]}")

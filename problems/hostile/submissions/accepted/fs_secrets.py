"""Finding the problem's files, the expected output, another submission or the Docker
socket anywhere in the container is a hole: so is any mount beyond the container's own."""
import os

MARKER = ("SECRET-" + "MARKER-7f3a").encode()
NAMES = {"answer.ans", "problem.yaml", "docker.sock", "fs_write.py", "net_dns.py"}
# The image's own package files are not read (only named): a host folder would show up
# as a mount below, and reading all of /usr would take most of the CPU limit.
PACKAGED = ("/usr", "/lib", "/lib64", "/bin", "/sbin", "/var/lib/dpkg")
EXPECTED_MOUNTS = {
    "/", "/proc", "/dev", "/dev/pts", "/sys", "/dev/mqueue", "/sys/fs/cgroup", "/dev/shm",
    "/tmp", "/box", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts", "/dev/console",
}

found = []
with open("/proc/self/mountinfo") as table:
    for line in table:
        point = line.split()[4]
        top = "/" + point.strip("/").split("/")[0] if point != "/" else "/"
        if point not in EXPECTED_MOUNTS and top not in ("/proc", "/sys", "/dev"):
            found.append(f"mount {point}")
for root, dirs, files in os.walk("/", onerror=lambda error: None):
    if root in ("/proc", "/sys", "/dev"):
        dirs[:] = []
        continue
    read = not root.startswith(PACKAGED)
    for name in files:
        path = os.path.join(root, name)
        if name in NAMES:
            found.append(path)
            continue
        if not read:
            continue
        try:
            if os.path.isfile(path) and os.path.getsize(path) < (1 << 20):
                with open(path, "rb") as handle:
                    if MARKER in handle.read():
                        found.append(path)
        except OSError:
            pass
print("safe" if not found else f"HOLE found {found[:5]}")

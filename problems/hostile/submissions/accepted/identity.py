"""Running as root, holding any capability, or gaining privileges is a hole."""
import os
import subprocess

status = dict(line.split(":", 1) for line in open("/proc/self/status"))
caps = {key: status[key].strip() for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")}
problems = [key for key, value in caps.items() if int(value, 16) != 0]
if os.getuid() == 0 or os.geteuid() == 0:
    problems.append("root")
if status["NoNewPrivs"].strip() != "1":
    problems.append("privileges can be gained")
try:
    os.setuid(0)
    problems.append("setuid(0) worked")
except PermissionError:
    pass
try:
    done = subprocess.run(["su", "-c", "id -u"], input="", capture_output=True, text=True, timeout=2)
    if done.stdout.strip() == "0":
        problems.append("su gave root")
except (OSError, subprocess.TimeoutExpired):
    pass
print("safe" if not problems else f"HOLE {problems}")

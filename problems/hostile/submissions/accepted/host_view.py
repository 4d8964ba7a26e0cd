"""Seeing the host's processes or the grader's environment is a hole."""
import os

pids = [p for p in os.listdir("/proc") if p.isdigit()]
names = set()
for pid in pids:
    try:
        with open(f"/proc/{pid}/comm") as handle:
            names.add(handle.read().strip())
    except OSError:
        pass
allowed_env = {"PATH", "LANG", "HOME", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED"}
extra_env = sorted(set(os.environ) - allowed_env)
problems = []
# Only PID 1 (grader's static supervisor, or python3 with GRADER_SUPERVISOR=python) and me.
if len(pids) > 3 or names - {"python3", "supervisor"}:
    problems.append(f"processes {sorted(names)}")
if extra_env:
    problems.append(f"environment {extra_env}")
print("safe" if not problems else f"HOLE {problems}")

"""Writing anywhere but /tmp and the working folder is a hole."""
import os

written = []
for folder in ["/", "/etc", "/usr", "/usr/bin", "/home", "/root", "/var", "/opt", "/srv", "/run"]:
    try:
        with open(os.path.join(folder, "probe-was-here"), "w") as handle:
            handle.write("x")
        written.append(folder)
    except OSError:
        pass
print("safe" if not written else f"HOLE wrote to {written}")

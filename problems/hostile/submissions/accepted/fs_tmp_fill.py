"""Filling /tmp must stop at its cap (16 MiB here), long before the host's disk."""
written = 0
try:
    with open("/tmp/fill", "wb") as handle:
        for _ in range(64):
            handle.write(b"x" * (1 << 20))
            handle.flush()
            written += 1
except OSError:
    pass
print("safe" if written <= 16 else f"HOLE wrote {written} MiB to /tmp")

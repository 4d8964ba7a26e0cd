"""A single 100 MB line, written in chunks (no newline ever)."""
import sys

for _ in range(1600):
    sys.stdout.write("x" * 65536)

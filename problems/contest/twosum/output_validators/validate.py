"""Kattis output validator: validate.py input answer feedback_dir < team_output.

Accepts (exit 42) two positive integers that add up to the input's n; otherwise explains
why in judgemessage.txt and exits 43.
"""

import sys


def reject(feedback: str, message: str) -> None:
    with open(feedback + "judgemessage.txt", "w") as handle:
        handle.write(message + "\n")
    sys.exit(43)


def main() -> None:
    input_file, _answer, feedback = sys.argv[1:4]
    with open(input_file) as handle:
        n = int(handle.read().split()[0])
    tokens = sys.stdin.read().split()
    if len(tokens) != 2:
        reject(feedback, f"expected two integers, got {len(tokens)} tokens")
    try:
        a, b = (int(token) for token in tokens)
    except ValueError:
        reject(feedback, f"expected two integers, got {' '.join(tokens)[:50]!r}")
    if a <= 0 or b <= 0:
        reject(feedback, f"{a} and {b}: both parts must be positive")
    if a + b != n:
        reject(feedback, f"{a} + {b} = {a + b}, not {n}")
    sys.exit(42)


main()

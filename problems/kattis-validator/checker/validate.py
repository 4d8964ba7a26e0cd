"""Kattis output validator: validate.py input answer feedback_dir [--min M] < output.

Accepts any two integers a, b >= M with a + b = N. Exit 42 accepts, 43 rejects; the reason
goes to feedback_dir/judgemessage.txt.
"""

import os
import sys


def verdict(feedback: str, accepted: bool, message: str) -> None:
    with open(os.path.join(feedback, "judgemessage.txt"), "w") as out:
        out.write(message + "\n")
    sys.exit(42 if accepted else 43)


def main() -> None:
    input_file, _answer_file, feedback = sys.argv[1:4]
    options = sys.argv[4:]
    lowest = int(options[options.index("--min") + 1]) if "--min" in options else -(10**18)
    with open(input_file) as handle:
        n = int(handle.read())
    tokens = sys.stdin.buffer.read().split()
    if len(tokens) != 2:
        verdict(feedback, False, f"expected 2 integers, got {len(tokens)} tokens")
    try:
        a, b = (int(token) for token in tokens)
    except ValueError:
        verdict(feedback, False, "expected 2 integers, got " + repr(b" ".join(tokens)[:40]))
    if min(a, b) < lowest:
        verdict(feedback, False, f"{min(a, b)} is below the minimum {lowest}")
    if a + b != n:
        verdict(feedback, False, f"{a} + {b} = {a + b}, not {n}")
    verdict(feedback, True, f"{a} + {b} = {n}")


main()

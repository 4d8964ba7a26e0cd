"""The guessing game's interactor: interact.py input answer feedback_dir < submission.

The input file holds n and q. The hidden number is chosen adaptively: the interactor keeps
the range lo..hi of numbers consistent with its answers so far and answers each "? g" so
that the larger part stays possible. "! x" is accepted only when lo == hi == x. Exit 42:
accepted; 43: wrong answer (with judgemessage.txt saying why).
"""

import os
import sys


def finish(feedback, accepted, message):
    with open(os.path.join(feedback, "judgemessage.txt"), "w") as handle:
        handle.write(message + "\n")
    sys.exit(42 if accepted else 43)


def main():
    path, _answer, feedback = sys.argv[1:4]
    with open(path) as handle:
        n, q = map(int, handle.read().split())
    lo, hi, asked = 1, n, 0
    print(n, q, flush=True)
    for line in sys.stdin:
        words = line.split()
        if len(words) != 2 or words[0] not in "?!" or not words[1].lstrip("-").isdigit():
            finish(feedback, False, f"expected '? g' or '! x'; got {line.strip()[:40]!r}")
        guess = int(words[1])
        if words[0] == "!":
            if lo == hi == guess:
                finish(feedback, True, f"found {guess} with {asked} questions")
            finish(feedback, False, f"answered {guess}, but the number could be in {lo}..{hi}")
        asked += 1
        if asked > q:
            finish(feedback, False, f"more than {q} questions")
        if lo == hi == guess:
            print("=", flush=True)
        elif guess - lo > hi - guess:  # more numbers below g: say it is smaller
            hi = min(hi, guess - 1)
            print("<", flush=True)
        else:
            lo = max(lo, guess + 1)
            print(">", flush=True)
    finish(feedback, False, "the submission ended without an answer")


main()

"""Output validator (Kattis convention): accepts any divisor d of n with 1 < d < n, or
"prime" when the answer file says n is prime. Exit 42: accepted; 43: wrong answer;
judgemessage.txt in the feedback folder says why."""

import sys


def judge(feedback: str, accepted: bool, message: str) -> None:
    with open(feedback + "judgemessage.txt", "w") as out:
        out.write(message + "\n")
    sys.exit(42 if accepted else 43)


def main() -> None:
    input_file, answer_file, feedback = sys.argv[1:4]
    with open(input_file) as f:
        n = int(f.read())
    with open(answer_file) as f:
        prime = f.read().strip() == "prime"
    tokens = sys.stdin.read().split()
    if len(tokens) != 1:
        judge(feedback, False, f"expected one token, got {len(tokens)}")
    token = tokens[0]
    if token == "prime":
        judge(feedback, prime, "prime" if prime else f"{n} is not prime")
    if not token.isdigit():
        judge(feedback, False, f"expected a number or prime, got {token[:40]!r}")
    d = int(token)
    if not 1 < d < n or n % d:
        judge(feedback, False, f"{d} is not a divisor of {n} between 1 and {n}")
    judge(feedback, True, f"{d} divides {n}")


main()

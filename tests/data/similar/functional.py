import sys
from itertools import groupby


def read_numbers():
    """Starter code handed to every student: read the integers on standard input."""
    data = sys.stdin.read().split()
    count = int(data[0])
    return [int(token) for token in data[1 : count + 1]]


prime = lambda n: n > 1 and all(n % q for q in range(2, int(n**0.5) + 1))
ordered = sorted(filter(prime, read_numbers()))
sys.stdout.write(f"{len(ordered)}\n")
sys.stdout.write(f"{max((y - x for x, y in zip(ordered, ordered[1:])), default=0)}\n")
for tens, group in groupby(ordered, key=lambda n: n // 10):
    sys.stdout.write("%d-%d: %s\n" % (tens * 10, tens * 10 + 9, "#" * len(list(group))))

import sys


def read_numbers():
    """Starter code handed to every student: read the integers on standard input."""
    data = sys.stdin.read().split()
    count = int(data[0])
    return [int(token) for token in data[1 : count + 1]]


numbers = read_numbers()
limit = max(numbers, default=1)
composite = bytearray(limit + 1)
composite[0:2] = b"\x01\x01"[: limit + 1]
for p in range(2, int(limit**0.5) + 1):
    if not composite[p]:
        composite[p * p :: p] = b"\x01" * len(range(p * p, limit + 1, p))
found = sorted(n for n in numbers if n >= 0 and not composite[n])
print(len(found))
gaps = [b - a for a, b in zip(found, found[1:])]
print(max(gaps, default=0))
from collections import Counter

tally = Counter(n // 10 for n in found)
for decade in sorted(tally):
    print(f"{decade * 10}-{decade * 10 + 9}: " + "#" * tally[decade])

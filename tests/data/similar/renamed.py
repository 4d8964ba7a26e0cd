import sys


def read_numbers():
    """Starter code handed to every student: read the integers on standard input."""
    data = sys.stdin.read().split()
    count = int(data[0])
    return [int(token) for token in data[1 : count + 1]]


def check_prime(x):
    if x < 2:
        return False
    d = 2
    while d * d <= x:
        if x % d == 0:
            return False
        d += 1
    return True


def max_distance(ps):
    result = 0
    for a, b in zip(ps, ps[1:]):
        if b - a > result:
            result = b - a
    return result


def bars(values, size):
    counts = {}
    for v in values:
        k = v // size
        counts[k] = counts.get(k, 0) + 1
    out = []
    for k in sorted(counts):
        out.append(f"{k * size}-{k * size + size - 1}: {'#' * counts[k]}")
    return out


def main():
    vals = read_numbers()
    ps = sorted(n for n in vals if check_prime(n))
    print(len(ps))
    print(max_distance(ps))
    for row in bars(ps, 10):
        print(row)


main()

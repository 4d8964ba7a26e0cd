import sys


def read_numbers():
    """Starter code handed to every student: read the integers on standard input."""
    data = sys.stdin.read().split()
    count = int(data[0])
    return [int(token) for token in data[1 : count + 1]]


def histogram(numbers, width):
    buckets = {}
    for number in numbers:
        key = number // width
        buckets[key] = buckets.get(key, 0) + 1
    lines = []
    for key in sorted(buckets):
        lines.append(f"{key * width}-{key * width + width - 1}: {'#' * buckets[key]}")
    return lines


def main():
    numbers = read_numbers()
    primes = sorted(n for n in numbers if is_prime(n))
    print(len(primes))
    print(largest_gap(primes))
    for line in histogram(primes, 10):
        print(line)


def largest_gap(primes):
    best = 0
    for left, right in zip(primes, primes[1:]):
        if right - left > best:
            best = right - left
    return best


def is_prime(value):
    if value < 2:
        return False
    divisor = 2
    while divisor * divisor <= value:
        if value % divisor == 0:
            return False
        divisor += 1
    return True


main()

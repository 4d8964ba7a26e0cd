import sys


def read_numbers():
    """Starter code handed to every student: read the integers on standard input."""
    data = sys.stdin.read().split()
    count = int(data[0])
    return [int(token) for token in data[1 : count + 1]]

import sys

numbers = sorted(map(int, sys.stdin.read().split()[1:]))
print(*numbers)

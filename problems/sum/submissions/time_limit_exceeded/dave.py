import sys

a, b = map(int, sys.stdin.read().split())
total = 0
while True:  # never stops
    total += 1

import sys

from adder import add

print(add(*map(int, sys.stdin.read().split())))

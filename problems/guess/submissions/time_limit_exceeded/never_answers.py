# Reads the bounds, then thinks forever without asking anything.
n, q = map(int, input().split())
x = 0
while True:
    x = (x * 31 + n) % 1000003

# Right on small inputs; fails an assertion on large ones.
n = int(input())
assert n <= 10**6, "too large"
d = 2
while d * d <= n and n % d:
    d += 1
print(d if d * d <= n else "prime")

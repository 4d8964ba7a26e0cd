# Stops one step early: calls the square of a prime (49) prime.
n = int(input())
d = 2
while d * d < n and n % d:
    d += 1
print(d if d * d < n else "prime")

# Right, but tries every d below n: far too slow for a large prime.
n = int(input())
d = 2
while d < n and n % d:
    d += 1
print(d if d < n else "prime")

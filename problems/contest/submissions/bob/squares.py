# Brute force: right, but far too slow for n = 10^12.
MOD = 1_000_000_007
n = int(input())
total = 0
for i in range(1, n + 1):
    total = (total + i * i) % MOD
print(total)

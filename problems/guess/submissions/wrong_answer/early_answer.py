# Stops one question early and answers the middle of what is left: a wrong final guess.
n, q = map(int, input().split())
lo, hi = 1, n
for _ in range(q - 1):
    if lo >= hi:
        break
    mid = (lo + hi) // 2
    print("?", mid, flush=True)
    reply = input()
    if reply == "<":
        hi = mid - 1
    elif reply == ">":
        lo = mid + 1
    else:
        lo = hi = mid
print("!", (lo + hi + 1) // 2 if lo < hi else lo + 1, flush=True)

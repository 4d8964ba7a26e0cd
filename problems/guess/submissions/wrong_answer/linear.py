# Asks 1, 2, 3, ...: more questions than allowed (the interactor stops it first).
n, q = map(int, input().split())
for g in range(1, n + 1):
    print("?", g, flush=True)
    if input() == "=":
        print("!", g, flush=True)
        break

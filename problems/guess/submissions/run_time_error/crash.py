# Asks once, then fails on the reply.
n, q = map(int, input().split())
print("?", (n + 1) // 2, flush=True)
reply = input()
raise SystemExit(f"cannot handle {reply!r}") if n > 1 else int("x")

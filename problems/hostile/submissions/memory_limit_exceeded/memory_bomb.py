"""Allocates and touches memory until something stops it."""
blocks = []
while True:
    blocks.append(bytearray(16 << 20))

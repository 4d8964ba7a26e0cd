"""Resolving a name is a hole."""
import socket

try:
    print("HOLE resolved", socket.gethostbyname("deb.debian.org"))
except OSError:
    print("safe")

"""A connection to anything (the internet, the Docker bridge, the host) is a hole."""
import socket

targets = [("1.1.1.1", 53), ("8.8.8.8", 443), ("172.17.0.1", 2375), ("10.0.0.1", 80)]
reached = []
for host, port in targets:
    try:
        socket.create_connection((host, port), timeout=0.3).close()
        reached.append(host)
    except OSError:
        pass
print("safe" if not reached else f"HOLE reached {reached}")

"""Any network interface but lo, or any route, is a hole."""
import os

interfaces = sorted(os.listdir("/sys/class/net"))
with open("/proc/net/route") as table:
    routes = table.read().splitlines()[1:]
print("safe" if interfaces == ["lo"] and not routes else f"HOLE {interfaces} {routes}")

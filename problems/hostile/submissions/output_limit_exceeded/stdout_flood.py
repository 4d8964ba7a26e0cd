import sys

while True:
    sys.stdout.write("safe\n" * 20000)

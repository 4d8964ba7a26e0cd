import sys

while True:
    sys.stderr.write("noise\n" * 20000)

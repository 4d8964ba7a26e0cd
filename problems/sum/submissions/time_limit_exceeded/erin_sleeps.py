import time

time.sleep(60)  # waits instead of computing: a wall-clock TLE

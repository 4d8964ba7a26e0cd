# Does work proportional to the area: fine for small circles, far too slow for big ones.
import math

r = float(input())
count = 0
for _ in range(int(r * r)):
    count += 1
print(math.pi * r * r)

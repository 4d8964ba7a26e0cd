import math

r = int(input())  # the radius may have decimals: ValueError
print(math.pi * r * r)

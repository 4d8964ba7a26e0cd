# The program itself touches 200 MiB under a 64 MiB limit.
hog = bytearray(200 << 20)
print(len(hog))

hog = bytearray(512 * 1024 * 1024)  # 512 MiB under a 64 MiB limit
print(len(hog))

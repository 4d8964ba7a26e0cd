"""IPC objects (System V shared memory, semaphores, message queues; POSIX message queues)
left by an earlier case and found by a later one are a hole. Every case checks, then
leaves one of each behind."""
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
librt = ctypes.CDLL("librt.so.1", use_errno=True)
librt.mq_open.restype = ctypes.c_int
librt.mq_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_void_p]
KEY, IPC_CREAT = 0x6A11, 0o1000
QUEUE = b"/probe-leftover"

seen = []
if libc.shmget(KEY, 0, 0) != -1:
    seen.append("shm")
if libc.semget(KEY, 0, 0) != -1:
    seen.append("sem")
if libc.msgget(KEY, 0) != -1:
    seen.append("msg")
if librt.mq_open(QUEUE, os.O_RDONLY, 0, None) != -1:
    seen.append("mqueue")

libc.shmget(KEY, 4096, IPC_CREAT | 0o600)
libc.semget(KEY, 1, IPC_CREAT | 0o600)
libc.msgget(KEY, IPC_CREAT | 0o600)
librt.mq_open(QUEUE, os.O_CREAT | os.O_RDWR, 0o600, None)
print("safe" if not seen else f"HOLE {seen}")

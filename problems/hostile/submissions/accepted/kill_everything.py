"""kill(-1, SIGKILL) must not take down the supervisor (the run still completes)."""
import os
import signal

try:
    os.kill(-1, signal.SIGKILL)
except ProcessLookupError:
    pass
print("safe")

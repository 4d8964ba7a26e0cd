"""Input validator (grader does not run it): one integer 2 <= n <= 10^12 and a newline."""

import re
import sys

text = sys.stdin.read()
ok = re.fullmatch(r"[1-9][0-9]*\n", text) is not None and 2 <= int(text) <= 10**12
sys.exit(42 if ok else 43)

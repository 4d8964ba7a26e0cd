"""Output full of bytes that break naive reports: NUL, invalid UTF-8, terminal escapes,
a CDATA terminator and markup. Every report must stay valid and show them escaped."""
import sys

sys.stdout.buffer.write(
    b"\x00\x01\x1b[2J\x1b]0;pwned\x07\xff\xfe]]><script>alert(1)</script>&amp;\n"
)

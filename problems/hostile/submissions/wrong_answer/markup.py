"""Output that is markup: the HTML report must show it as text, never run it."""
print("<script>alert(1)</script> <img src=x onerror=alert(2)>")

let n = 0;
for (;;) {
  n += 1; // never stops
}

#include <stdio.h>

int main(void) {
    volatile unsigned long long n = 0;
    for (;;) n++; /* never stops */
}

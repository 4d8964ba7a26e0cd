#include <stdio.h>

int main(void) {
    volatile int *nowhere = NULL;
    *nowhere = 42; /* SIGSEGV */
    printf("%d\n", *nowhere);
    return 0;
}

/* Allocates and touches 512 MiB under a 64 MiB limit (and uses it, so the compiler
   cannot optimise the allocation away). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    size_t size = (size_t)512 << 20;
    volatile char *block = malloc(size);
    if (block == NULL) {
        return 1;
    }
    memset((char *)block, 1, size);
    printf("%d\n", block[size - 1] + block[size / 2]);
    return 0;
}

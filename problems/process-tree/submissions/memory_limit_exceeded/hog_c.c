/* The program itself touches 256 MiB under a 64 MiB limit. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    size_t size = (size_t)256 << 20;
    volatile char *hog = malloc(size);
    if (hog == NULL) return 1;
    for (size_t i = 0; i < size; i += 4096) hog[i] = 1;
    printf("%d\n", hog[size - 1]);
    return 0;
}

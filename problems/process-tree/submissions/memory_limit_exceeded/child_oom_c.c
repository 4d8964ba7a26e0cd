/* A forked child touches 256 MiB and is OOM-killed; the parent answers correctly. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    long long a, b;
    if (fork() == 0) {
        size_t size = (size_t)256 << 20;
        volatile char *hog = malloc(size);
        for (size_t i = 0; hog != NULL && i < size; i += 4096) hog[i] = 1;
        _exit(0);
    }
    wait(NULL);
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    printf("%lld\n", a + b);
    return 0;
}

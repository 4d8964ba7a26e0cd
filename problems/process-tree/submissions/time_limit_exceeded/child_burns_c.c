/* A forked child spins while the parent waits until the child has used 3.5 s of CPU
 * (the limit is 3 s), reading /proc/<child>/stat, then answers correctly. */
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static double child_cpu(pid_t child, char *state) {
    char path[64], line[1024];
    unsigned long utime = 0, stime = 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)child);
    FILE *file = fopen(path, "r");
    if (file == NULL) return 0;
    size_t n = fread(line, 1, sizeof line - 1, file);
    fclose(file);
    line[n] = 0;
    char *rest = strrchr(line, ')');
    if (rest == NULL) return 0;
    sscanf(rest + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", state, &utime, &stime);
    return (double)(utime + stime) / sysconf(_SC_CLK_TCK);
}

int main(void) {
    long long a, b;
    char state = 'R';
    pid_t child = fork();
    if (child == 0)
        for (;;) {
        }
    while (state != 'Z' && child_cpu(child, &state) < 3.5) usleep(50000);
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    printf("%lld\n", a + b);
    return 0;
}

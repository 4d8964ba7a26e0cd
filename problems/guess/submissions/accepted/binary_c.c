#include <stdio.h>

int main(void) {
    long n, q, lo = 1, hi;
    char reply[8];
    if (scanf("%ld %ld", &n, &q) != 2) return 1;
    hi = n;
    while (lo < hi) {
        long mid = (lo + hi) / 2;
        printf("? %ld\n", mid);
        fflush(stdout);
        if (scanf("%7s", reply) != 1) return 1;
        if (reply[0] == '=') lo = hi = mid;
        else if (reply[0] == '<') hi = mid - 1;
        else lo = mid + 1;
    }
    printf("! %ld\n", lo);
    fflush(stdout);
    return 0;
}

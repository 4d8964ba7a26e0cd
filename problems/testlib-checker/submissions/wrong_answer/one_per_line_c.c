/* The right numbers, one per line: a presentation error, which this problem counts as WA. */
#include <stdio.h>
#include <stdlib.h>

static int compare(const void* a, const void* b) {
    long long x = *(const long long*)a, y = *(const long long*)b;
    return (x > y) - (x < y);
}

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    long long* a = malloc(sizeof(long long) * n);
    for (int i = 0; i < n; ++i)
        if (scanf("%lld", &a[i]) != 1) return 1;
    qsort(a, n, sizeof(long long), compare);
    for (int i = 0; i < n; ++i) printf("%lld\n", a[i]);
    free(a);
    return 0;
}

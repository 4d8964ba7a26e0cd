#include <stdio.h>

int main(void) {
    long long n;
    scanf("%lld", &n)
    printf("%lld %lld\n", 1LL, n - 1);
    return 0;
}

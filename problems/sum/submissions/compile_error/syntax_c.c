#include <stdio.h>

int main(void) {
    long long a, b
    scanf("%lld %lld", &a, &b); /* the line above lacks its semicolon */
    printf("%lld\n", a + b);
}

/* Rounds to 2 decimals: off by more than the tolerance on the first case. */
#include <math.h>
#include <stdio.h>

int main(void) {
    double r;
    if (scanf("%lf", &r) != 1) return 1;
    printf("%.2f\n", M_PI * r * r);
    return 0;
}

/* Prints 9 significant digits: not the expected text, but within the tolerance. */
#include <math.h>
#include <stdio.h>

int main(void) {
    double r;
    if (scanf("%lf", &r) != 1) return 1;
    printf("%.9g\n", M_PI * r * r);
    return 0;
}

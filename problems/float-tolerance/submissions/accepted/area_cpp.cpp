// Fixed notation with 10 decimals.
#include <cmath>
#include <cstdio>
#include <iostream>

int main() {
    double r;
    std::cin >> r;
    std::printf("%.10f\n", M_PI * r * r);
}

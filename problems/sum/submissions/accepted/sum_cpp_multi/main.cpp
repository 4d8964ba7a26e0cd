#include <iostream>

#include "adder.hpp"

int main() {
    long long a, b;
    std::cin >> a >> b;
    std::cout << adder::add(a, b) << '\n';
}

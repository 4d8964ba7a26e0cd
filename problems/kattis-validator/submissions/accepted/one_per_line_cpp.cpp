// The validator reads tokens: a and b on separate lines are fine.
#include <iostream>

int main() {
    long long n;
    std::cin >> n;
    std::cout << n << "\n" << 0 << "\n";
}

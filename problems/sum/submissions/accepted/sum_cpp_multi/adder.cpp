#include "adder.hpp"

#include <concepts>

namespace adder {
// C++20: a constrained template, to show the -std=gnu++20 flag is in force.
template <std::integral T>
T plus(T a, T b) {
    return a + b;
}

long long add(long long a, long long b) { return plus(a, b); }
}  // namespace adder

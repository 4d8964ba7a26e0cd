#pragma once

namespace adder {
long long add(long long a, long long b);
}

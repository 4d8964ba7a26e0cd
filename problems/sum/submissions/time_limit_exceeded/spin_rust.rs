fn main() {
    // A 64-bit linear congruential generator has period 2^64: this loop never ends in time,
    // and the optimiser cannot compute its result.
    let mut n: u64 = 1;
    while n != 0 {
        n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    }
    println!("{}", n);
}

fn main() {
    let numbers = vec![1_i64, 2];
    let moved = numbers;
    println!("{}", numbers[0] + moved[1]); // use after move
}

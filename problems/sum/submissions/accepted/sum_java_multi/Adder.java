final class Adder {
    private Adder() {}

    static long add(long a, long b) {
        return a + b;
    }
}

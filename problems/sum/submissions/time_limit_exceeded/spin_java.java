public class Spin {
    public static void main(String[] args) {
        long n = 0;
        while (n >= 0) { // never stops: n wraps around only after centuries
            n += 1;
        }
        System.out.println(n);
    }
}

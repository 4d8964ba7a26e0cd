public class Missing {
    public static void main(String[] args) {
        System.out.println(Adder.add(1, 2)); // there is no class Adder
    }
}

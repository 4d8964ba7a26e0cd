fun main() {
    val (a, b) = readLine()!!.split(' ').map { it.toLong() }
    val sum: String = a + b // a Long is not a String
    println(sum)
}

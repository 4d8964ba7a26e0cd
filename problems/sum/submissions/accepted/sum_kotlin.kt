// Reads every token of the input (spread over any lines) and prints the sum of the first two.
fun main() {
    val tokens = generateSequence(::readLine).flatMap { it.split(' ', '\t').asSequence() }
        .filter { it.isNotEmpty() }
        .toList()
    println(tokens[0].toLong() + tokens[1].toLong())
}

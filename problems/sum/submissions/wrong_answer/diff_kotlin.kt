fun main() {
    val tokens = generateSequence(::readLine).flatMap { it.split(' ', '\t').asSequence() }
        .filter { it.isNotEmpty() }
        .toList()
    println(tokens[0].toLong() - tokens[1].toLong()) // subtracts instead of adding
}

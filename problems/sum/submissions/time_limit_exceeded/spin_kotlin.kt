fun main() {
    var n = 0L
    while (n >= 0) { // never stops: n wraps around only after centuries
        n += 1
    }
    println(n)
}

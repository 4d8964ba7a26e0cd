package main

import "fmt"

func main() {
	n := uint64(0)
	for n != 1<<64-1 { // never stops in time
		n++
	}
	fmt.Println(n)
}

package main

import (
	"fmt"
	"os" // imported and not used: an error in Go
)

func main() {
	var a, b int64
	fmt.Scan(&a, &b)
	fmt.Println(a + b)
}

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Printf("%s uid=%d\n", greeting(), os.Getuid())
}

// Command genhostile writes the hostile inputs of package
// internal/testkit/hostile into a folder, for manual runs of sfblog:
//
//	go run ./internal/testkit/cmd/genhostile -o /tmp/hostile
//	for f in /tmp/hostile/*; do /usr/bin/time -v sfblog analyze "$f"; done
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sfblog/sfblog/internal/testkit/hostile"
)

func main() {
	out := flag.String("o", "", "the folder to write into (made if missing)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: genhostile -o DIR")
		os.Exit(2)
	}
	if err := run(*out); err != nil {
		fmt.Fprintf(os.Stderr, "genhostile: %v\n", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range hostile.All() {
		p := filepath.Join(dir, f.Name)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
		fmt.Printf("%-32s %10d bytes  %s\n", f.Name, len(f.Data), f.About)
	}
	return nil
}

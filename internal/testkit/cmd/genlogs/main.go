// Command genlogs builds the sample bundles of testdata/logs: one zip per
// case folder of testdata/logs/cases, written next to the cases folder as
// testdata/logs/<case>.zip.
//
//	go run ./internal/testkit/cmd/genlogs            # rewrite the zips
//	go run ./internal/testkit/cmd/genlogs -check     # fail if a zip is out of date
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sfblog/sfblog/internal/testkit/samples"
)

func main() {
	root := flag.String("root", "testdata/logs", "the sample logs folder (holds cases/)")
	check := flag.Bool("check", false, "only check that every zip is up to date")
	flag.Parse()
	if err := run(*root, *check); err != nil {
		fmt.Fprintf(os.Stderr, "genlogs: %v\n", err)
		os.Exit(1)
	}
}

func run(root string, check bool) error {
	cases, err := samples.Cases(filepath.Join(root, "cases"))
	if err != nil {
		return err
	}
	stale := 0
	for _, c := range cases {
		data, err := samples.Build(c)
		if err != nil {
			return err
		}
		out := filepath.Join(root, filepath.Base(c)+".zip")
		old, _ := os.ReadFile(out)
		if bytes.Equal(old, data) {
			continue
		}
		if check {
			fmt.Fprintf(os.Stderr, "genlogs: %s is out of date\n", out)
			stale++
			continue
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%d bytes)\n", out, len(data))
	}
	if stale > 0 {
		return fmt.Errorf("%d sample zip(s) out of date: run go run ./internal/testkit/cmd/genlogs", stale)
	}
	return nil
}

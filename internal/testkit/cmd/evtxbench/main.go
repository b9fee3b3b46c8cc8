// Command evtxbench compares sfblog's EVTX reader with a bare golang-evtx
// loop and with libevtx's evtxexport on the same files, and prints records
// per second and the ratios (make bench). Timings are wall-clock on this
// machine: read the ratios, not the absolute rates.
//
//	go run ./internal/testkit/cmd/evtxbench                 # a generated 200k-record file + the clean corpus files
//	go run ./internal/testkit/cmd/evtxbench -records 50000 -runs 3 FILE.evtx...
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	gevtx "github.com/0xrawsec/golang-evtx/evtx"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/testkit/evtxwriter"
	"github.com/sfblog/sfblog/parsers/evtx"
)

// cleanCorpus are corpus files every reader parses fully (PROVENANCE.md):
// the bare library loop would crash on the damaged ones.
var cleanCorpus = []string{
	"omerbenamram-evtx/security.evtx",
	"omerbenamram-evtx/system.evtx",
	"omerbenamram-evtx/sample-with-irregular-bool-values.evtx",
	"python-evtx/system.evtx",
}

func main() {
	records := flag.Int("records", 200000, "records in the generated file")
	runs := flag.Int("runs", 3, "runs per reader and file; the best is kept")
	corpus := flag.String("corpus", "testdata/evtx", "a folder of .evtx files (the shipped corpus; the full reference corpus with -corpus)")
	flag.Parse()
	if err := run(*records, *runs, *corpus, flag.Args()); err != nil {
		fmt.Fprintf(os.Stderr, "evtxbench: %v\n", err)
		os.Exit(1)
	}
}

type result struct {
	records int
	best    time.Duration
}

func (r result) rate() float64 { return float64(r.records) / r.best.Seconds() }

func run(records, runs int, corpus string, files []string) error {
	if len(files) == 0 {
		dir, err := os.MkdirTemp("", "evtxbench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		gen := filepath.Join(dir, fmt.Sprintf("generated-%dk.evtx", records/1000))
		var buf bytes.Buffer
		recs := evtxwriter.Noise(records, 1, time.Date(2017, 6, 15, 0, 0, 0, 0, time.UTC))
		if err := evtxwriter.Write(&buf, recs); err != nil {
			return fmt.Errorf("generate: %w", err)
		}
		if err := os.WriteFile(gen, buf.Bytes(), 0o644); err != nil {
			return err
		}
		files = append(files, gen)
		for _, c := range cleanCorpus {
			if p := filepath.Join(corpus, c); exists(p) {
				files = append(files, p)
			}
		}
	}
	readers := []struct {
		name string
		fn   func(string) (int, error)
	}{
		{"sfblog", sfblogCount},
		{"golang-evtx FastEvents", bareCount},
		{"evtxexport -f xml", evtxexportCount},
	}
	fmt.Printf("%-58s %-24s %9s %12s %10s\n", "file", "reader", "records", "records/s", "vs sfblog")
	for _, f := range files {
		var base float64
		for i, rd := range readers {
			res, err := measure(runs, f, rd.fn)
			name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
			if err != nil {
				fmt.Printf("%-58s %-24s %9s %12s %10s (%v)\n", name, rd.name, "-", "-", "-", err)
				continue
			}
			ratio := "1.00x"
			if i == 0 {
				base = res.rate()
			} else if res.rate() > 0 {
				ratio = fmt.Sprintf("%.2fx", base/res.rate())
			}
			fmt.Printf("%-58s %-24s %9d %12.0f %10s\n", name, rd.name, res.records, res.rate(), ratio)
		}
	}
	fmt.Println("vs sfblog: sfblog's records/s divided by that reader's (above 1: sfblog is faster)")
	return nil
}

func measure(runs int, file string, fn func(string) (int, error)) (result, error) {
	var r result
	for i := 0; i < runs; i++ {
		start := time.Now()
		n, err := fn(file)
		d := time.Since(start)
		if err != nil {
			return r, err
		}
		if r.best == 0 || d < r.best {
			r.best = d
		}
		r.records = n
	}
	return r, nil
}

func sfblogCount(file string) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	n := 0
	_, err = evtx.Parse(context.Background(), file, f, st.Size(), func(e event.Event) error {
		n++
		return nil
	})
	return n, err
}

// bareCount is the plain library loop users write: FastEvents and the
// event id of each record.
func bareCount(file string) (int, error) {
	f, err := gevtx.OpenDirty(file)
	if err != nil && !errors.Is(err, gevtx.ErrDirtyFile) {
		return 0, err
	}
	defer f.Close()
	n := 0
	for e := range f.FastEvents() {
		if _, err := e.GetString(&gevtx.EventIDPath); err != nil {
			e.GetString(&gevtx.EventIDPath2)
		}
		n++
	}
	return n, nil
}

func evtxexportCount(file string) (int, error) {
	path, err := exec.LookPath("evtxexport")
	if err != nil {
		return 0, errors.New("evtxexport not installed (make tools)")
	}
	cmd := exec.Command(path, "-f", "xml", file)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return 0, err
	}
	return strings.Count(out.String(), "<Event "), nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Command genevtx writes .evtx test fixtures with internal/testkit/evtxwriter.
//
// Usage:
//
//	go run ./internal/testkit/cmd/genevtx -spec FILE.json -o OUT.evtx
//	go run ./internal/testkit/cmd/genevtx -count N [-seed S] [-start TIME] -o OUT.evtx
//
// A spec is a JSON array of records, as read by evtxwriter.DecodeSpec:
//
//	[{"provider": "Schannel", "providerGuid": "{1f678132-5938-4686-9fdc-c8ff68f15c85}",
//	  "eventId": 36887, "level": 2, "keywords": "0x8000000000000000",
//	  "time": "2024-06-03T08:15:00.1234567Z", "channel": "System",
//	  "computer": "WKS-0042.contoso.local", "userSid": "S-1-5-18",
//	  "data": [{"name": "AlertDesc", "value": 46, "type": "uint32"}]}]
//
// Record fields: provider, providerGuid, eventSourceName, eventId,
// qualifiers (omit or null for none), version, level, opcode, task,
// keywords (number, or a string in decimal or 0x hex), time (RFC 3339,
// required), recordId (0 or omitted: previous + 1), processId, threadId,
// channel, computer, userSid, data. A data value has an optional name (no
// name: a classic unnamed <Data>) and a type: string (the default),
// strings (an array of strings; empty strings are kept), int8, int16,
// int32, int64, uint8, uint16, uint32, uint64 (a number, or a string in
// decimal or 0x hex), bool, binary (hex digits), guid or time (RFC 3339).
//
// -count writes N background noise records (evtxwriter.Noise) drawn from
// -seed, for benchmarks. The output is deterministic: the same spec, or
// the same -count, -seed and -start, give the same bytes.
//
// Exit status: 0 written, 1 the spec or the output failed, 2 usage error.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sfblog/sfblog/internal/testkit/evtxwriter"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command and returns its exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("genevtx", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "", "JSON file holding an array of records to write")
	out := fs.String("o", "", "output .evtx file; - writes to standard output")
	count := fs.Int("count", 0, "write `N` background noise records instead of a spec")
	seed := fs.Uint64("seed", 1, "seed of the noise records (with -count)")
	start := fs.String("start", "2024-01-01T00:00:00Z", "RFC 3339 time of the first noise record (with -count)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: genevtx -spec FILE.json -o OUT.evtx\n"+
			"       genevtx -count N [-seed S] [-start TIME] -o OUT.evtx\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usage := func(msg string) int {
		fmt.Fprintf(stderr, "genevtx: %s\n", msg)
		fs.Usage()
		return 2
	}
	switch {
	case fs.NArg() > 0:
		return usage(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case *out == "":
		return usage("-o is required")
	case (*spec == "") == (*count <= 0):
		return usage("give either -spec or a positive -count")
	}

	var recs []evtxwriter.Record
	if *spec != "" {
		var err error
		if recs, err = evtxwriter.ReadSpec(*spec); err != nil {
			fmt.Fprintf(stderr, "genevtx: %v\n", err)
			return 1
		}
	} else {
		t, err := time.Parse(time.RFC3339Nano, *start)
		if err != nil {
			return usage(fmt.Sprintf("-start: %v", err))
		}
		recs = evtxwriter.Noise(*count, *seed, t)
	}
	if err := writeOutput(*out, stdout, recs); err != nil {
		fmt.Fprintf(stderr, "genevtx: %v\n", err)
		return 1
	}
	return 0
}

// writeOutput writes the file to path ("-": stdout). A file is written
// under a temporary name and renamed, so a failed run leaves no partial
// file behind.
func writeOutput(path string, stdout io.Writer, recs []evtxwriter.Record) error {
	if path == "-" {
		w := bufio.NewWriter(stdout)
		if err := evtxwriter.Write(w, recs); err != nil {
			return err
		}
		return w.Flush()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("create output: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	w := bufio.NewWriterSize(tmp, 1<<16)
	if err := evtxwriter.Write(w, recs); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

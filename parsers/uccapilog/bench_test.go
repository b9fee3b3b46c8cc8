package uccapilog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sfblog/sfblog/event"
)

// benchLog builds a log of about size bytes by repeating the fixtures.
func benchLog(b *testing.B, size int) []byte {
	b.Helper()
	fixtures, err := filepath.Glob("testdata/*.[Uu]cc[Aa]pilog")
	if err != nil {
		b.Fatal(err)
	}
	var unit []byte
	for _, path := range fixtures {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		if bytes.Contains(data, []byte("not terminated")) || filepath.Base(path) == "truncated_block.UccApilog" {
			continue // a cut block would swallow the copy after it
		}
		unit = append(unit, bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))...)
	}
	out := make([]byte, 0, size+len(unit))
	for len(out) < size {
		out = append(out, unit...)
	}
	return out
}

// BenchmarkParse parses a generated ~50 MB log; the MB/s column is the
// parse throughput.
func BenchmarkParse(b *testing.B) {
	data := benchLog(b, 50<<20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		events := 0
		problems, err := Parse(context.Background(), "bench", bytes.NewReader(data), func(event.Event) error {
			events++
			return nil
		})
		if err != nil || len(problems) != 0 || events == 0 {
			b.Fatalf("err %v, problems %v, %d events", err, problems, events)
		}
	}
}

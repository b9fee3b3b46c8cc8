package analyze_test

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/signatures"
)

// bigBundle writes a zip holding one ~size-byte client log made of the
// healthy sample's session repeated, the worst case for the analyzer: every
// line is parsed, nothing is skipped by a signature's keyword.
func bigBundle(b *testing.B, size int) (string, int64) {
	b.Helper()
	session, err := os.ReadFile("../testdata/logs/cases/healthy-signin/bundle/Tracing/Lync-UccApi-0.UccApilog")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "big.zip")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create("Tracing/Lync-UccApi-0.UccApilog")
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for n < int64(size) {
		k, err := w.Write(session)
		if err != nil {
			b.Fatal(err)
		}
		n += int64(k)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path, n
}

// BenchmarkAnalyze measures a whole analysis (unzip, parse, match, report)
// of a 50 MB client log: MB/s and memory.
func BenchmarkAnalyze(b *testing.B) {
	path, n := bigBundle(b, 50<<20)
	c, err := signatures.Default()
	if err != nil {
		b.Fatal(err)
	}
	a := analyze.New(signatures.NewMatcher(c), analyze.Options{})
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := a.Run(context.Background(), []string{path})
		if err != nil {
			b.Fatal(err)
		}
		if r.SignIn.Outcome != analyze.OutcomeSucceeded {
			b.Fatalf("outcome %s", r.SignIn.Outcome)
		}
	}
}

// BenchmarkLoadCatalog measures loading and compiling the shipped catalog.
func BenchmarkLoadCatalog(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c, err := signatures.Default()
		if err != nil {
			b.Fatal(err)
		}
		signatures.NewMatcher(c)
	}
}

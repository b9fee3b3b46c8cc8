package analyze_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/signatures"
)

// FuzzAnalyze feeds arbitrary bytes to the whole pipeline as one input
// file: whatever it is (zip, event log, client log, garbage), the analysis
// returns a report and never panics.
func FuzzAnalyze(f *testing.F) {
	for _, seed := range []string{
		"../testdata/logs/cases/sip-not-enabled/bundle/Tracing/Lync-UccApi-0.UccApilog",
		"../testdata/logs/unresolved.zip",
		"../testdata/evtx/omerbenamram-evtx/new-user-security.evtx",
	} {
		if data, err := os.ReadFile(seed); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("ElfFile\x00"))
	f.Add([]byte("PK\x03\x04"))
	c, err := signatures.Default()
	if err != nil {
		f.Fatal(err)
	}
	a := analyze.New(signatures.NewMatcher(c), analyze.Options{})
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "input")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := a.Run(context.Background(), []string{path})
		if r == nil {
			t.Fatalf("no report: %v", err)
		}
		for _, in := range r.Inputs {
			for _, e := range in.Errors {
				if strings.HasPrefix(e, "internal error") {
					t.Fatalf("panic recovered while reading: %s", e)
				}
			}
		}
	})
}

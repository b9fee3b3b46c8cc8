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

// FuzzCopy analyses arbitrary bytes as a client log, then the log with a
// whole copy of it beside it (named so that the copy sorts first): the
// sign-in and the findings are the log's alone, every attempt of the log
// is found again in the copy, and nothing names the copy. Events without
// a time are never taken as copies, so the property is asked of the logs
// whose attempts and evidence all have times.
func FuzzCopy(f *testing.F) {
	for _, seed := range []string{
		"../testdata/logs/cases/sip-not-enabled/bundle/Tracing/Lync-UccApi-0.UccApilog",
		"../testdata/logs/cases/bad-credentials/bundle/Tracing/Lync-UccApi-0.UccApilog",
		"../testdata/logs/cases/recovered-after-fix/bundle/Tracing/Lync-UccApi-0.UccApilog",
	} {
		if data, err := os.ReadFile(seed); err == nil {
			f.Add(data)
		}
	}
	c, err := signatures.Default()
	if err != nil {
		f.Fatal(err)
	}
	a := analyze.New(signatures.NewMatcher(c), analyze.Options{})
	f.Fuzz(func(t *testing.T, data []byte) {
		alone, both := t.TempDir(), t.TempDir()
		for _, p := range []string{filepath.Join(alone, "Lync-UccApi-0.UccApilog"),
			filepath.Join(both, "Lync-UccApi-0.UccApilog"), filepath.Join(both, "Lync-UccApi-0 - Copy.UccApilog")} {
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := a.Run(context.Background(), []string{alone})
		if err != nil {
			return // not a client log sfblog reads
		}
		for _, at := range want.Attempts {
			if at.Start == "" {
				return
			}
		}
		for _, f := range want.Findings {
			for _, e := range f.Evidence {
				if e.Time == "" {
					return
				}
			}
		}
		got, err := a.Run(context.Background(), []string{both})
		if err != nil {
			t.Fatalf("the log and its copy: %v", err)
		}
		if got.SignIn.Copies != len(want.Attempts) {
			t.Fatalf("copies: %d, want the log's %d attempts", got.SignIn.Copies, len(want.Attempts))
		}
		got.SignIn.Copies = 0
		if got.SignIn != want.SignIn {
			t.Fatalf("sign-in:\n got %+v\nwant %+v", got.SignIn, want.SignIn)
		}
		if len(got.Findings) != len(want.Findings) {
			t.Fatalf("%d findings, want %d", len(got.Findings), len(want.Findings))
		}
		for i, f := range got.Findings {
			w := want.Findings[i]
			if f.ID != w.ID || f.Confidence != w.Confidence || f.EvidenceTotal != w.EvidenceTotal || len(f.Evidence) != len(w.Evidence) {
				t.Fatalf("finding %d: got %s %s %d events (%d shown), want %s %s %d (%d)", i,
					f.ID, f.Confidence, f.EvidenceTotal, len(f.Evidence), w.ID, w.Confidence, w.EvidenceTotal, len(w.Evidence))
			}
			for _, e := range f.Evidence {
				if strings.Contains(filepath.Base(e.Path), "Copy") {
					t.Fatalf("finding %s names the copy: %s:%d", f.ID, e.Path, e.Line)
				}
			}
		}
		for _, at := range got.Attempts {
			if strings.Contains(filepath.Base(at.Path), "Copy") {
				t.Fatalf("attempt %d names the copy: %s:%d", at.N, at.Path, at.Line)
			}
		}
	})
}

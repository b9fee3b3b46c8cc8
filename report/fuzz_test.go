package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/report"
	"github.com/sfblog/sfblog/signatures"
)

// FuzzRender analyses arbitrary bytes as one input and renders the report
// in every format, in every language, at a fuzzed width: nothing panics,
// the JSON and the JUnit XML parse, and no format writes a control
// character other than a line break, or a tab outside the table (the
// input's are shown as escapes).
func FuzzRender(f *testing.F) {
	for _, seed := range []string{
		"../testdata/logs/cases/clock-skew/bundle/Tracing/Lync-UccApi-0.UccApilog",
		"../testdata/logs/cases/bad-credentials/bundle/Tracing/Lync-UccApi-0.UccApilog",
		"../testdata/logs/cases/server-unavailable-dns/bundle/Tracing/Lync-UccApi-0.UccApilog",
	} {
		data, err := os.ReadFile(seed)
		if err != nil {
			f.Fatal(err)
		}
		// The sign-in's first lines: a whole log makes each run slow.
		f.Add(data[:min(len(data), 8<<10)], uint8(80))
	}
	f.Add([]byte("12/03/2018|09:12:01.163 1308:13A4 ERROR :: CUIErrorReporter::ShowSignInError - Sign-in failed, showing error to the user: The server is \x1b]0;x\x07temporarily unavailable.\n"), uint8(0))
	c, err := signatures.Default()
	if err != nil {
		f.Fatal(err)
	}
	a := analyze.New(signatures.NewMatcher(c), analyze.Options{})
	f.Fuzz(func(t *testing.T, data []byte, width uint8) { renderAll(t, a, data, width) })
}

// renderAll is FuzzRender's check of one input.
func renderAll(t *testing.T, a *analyze.Analyzer, data []byte, width uint8) {
	path := filepath.Join(t.TempDir(), "Lync-UccApi-0.UccApilog")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := a.Run(context.Background(), []string{path})
	if r == nil {
		if errors.Is(err, analyze.ErrNoInput) {
			return
		}
		t.Fatalf("no report: %v", err)
	}
	for _, lang := range append([]string{""}, report.Languages...) {
		for _, format := range report.Formats() {
			w, err := report.New(format, report.Options{Lang: lang, Width: int(width)})
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := w.Write(&out, r); err != nil {
				t.Fatalf("%s %s: %v", format, lang, err)
			}
			b := out.Bytes()
			switch format {
			case "json":
				if !json.Valid(b) {
					t.Fatalf("json: not valid: %q", b)
				}
			case "junit":
				d := xml.NewDecoder(bytes.NewReader(b))
				for {
					if _, err := d.Token(); err == io.EOF {
						break
					} else if err != nil {
						t.Fatalf("junit: %v", err)
					}
				}
			}
			for i, c := range b {
				// A tab of the input stays a tab in a markdown or
				// HTML code block, and in JUnit's text; the table
				// expands it.
				tab := c == '\t' && format != "table"
				if (c < 0x20 && c != '\n' && !tab) || c == 0x7f {
					t.Fatalf("%s %s: control byte %#x at %d: %q", format, lang, c, i, b[max(0, i-40):min(len(b), i+40)])
				}
			}
		}
	}
}

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/report"
	"github.com/sfblog/sfblog/signatures"
)

// FuzzReport feeds "sfblog report" saved reports, edited at random: a
// report that reads renders in every format and language without a
// panic, and its JSON reads again and renders to the same bytes (masking
// twice changes nothing). Seeds: the JSON reports of three sample
// bundles.
func FuzzReport(f *testing.F) {
	c, err := signatures.Default()
	if err != nil {
		f.Fatal(err)
	}
	a := analyze.New(signatures.NewMatcher(c), analyze.Options{})
	js, err := report.New("json", report.Options{})
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range []string{"clock-skew", "evtx-with-client-logs", "decide-unavailable-dns"} {
		r, err := a.Run(context.Background(), []string{filepath.Join(logs, name+".zip")})
		if r == nil {
			f.Fatal(err)
		}
		var b bytes.Buffer
		if err := js.Write(&b, r); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes(), uint8(80))
	}
	f.Add([]byte(`{"schema_version":1,"findings":[{"id":"X","severity":"bogus","evidence":[{"line":-1,"excerpt":"\u001b]0;x\u0007"}]}]}`), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, width uint8) {
		r, err := readReport(bytes.NewReader(data), maxReport)
		if err != nil {
			return
		}
		maskReport(r)
		for _, lang := range append([]string{""}, report.Languages...) {
			for _, format := range report.Formats() {
				w, err := report.New(format, report.Options{Lang: lang, Width: int(width)})
				if err != nil {
					t.Fatal(err)
				}
				if err := w.Write(new(bytes.Buffer), r); err != nil {
					t.Fatalf("%s %s: %v", format, lang, err)
				}
			}
		}
		var once, twice bytes.Buffer
		if err := js.Write(&once, r); err != nil {
			t.Fatal(err)
		}
		again, err := readReport(bytes.NewReader(once.Bytes()), maxReport)
		if err != nil {
			t.Fatalf("the JSON of a report that read does not read: %v\n%s", err, once.Bytes())
		}
		maskReport(again)
		if err := js.Write(&twice, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(once.Bytes(), twice.Bytes()) {
			t.Fatalf("rendered twice, the JSON differs:\n%s\n%s", once.Bytes(), twice.Bytes())
		}
	})
}

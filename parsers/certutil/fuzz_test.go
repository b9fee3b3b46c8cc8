package certutil

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sfblog/sfblog/event"
)

// FuzzParse checks that Parse and Detect never panic and that what Parse
// emits is well formed, whatever the input.
func FuzzParse(f *testing.F) {
	fixtures, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range fixtures {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("CertContext[0][0]:\n  SubjectAltName: DNS Name=\n  Subject: CN=.\nERROR: 0x1 ()\nCertUtil: -verify command FAILED: 0x00000000 ()\nCertUtil: x\n"))
	f.Add([]byte("x \"y\"\n= z 1 =\nCert Hash(sha1): \nRoot Certificate\n==== a 2 ====\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		problems, err := Parse(context.Background(), "fuzz", bytes.NewReader(data), func(ev event.Event) error {
			if ev.Source != event.SourceCert || ev.Kind != event.KindCert || ev.Path != "fuzz" {
				t.Errorf("bad event header: %+v", ev)
			}
			if ev.Line < 1 || ev.Line > lines || (ev.EndLine != 0 && (ev.EndLine <= ev.Line || ev.EndLine > lines)) {
				t.Errorf("bad lines %d-%d of %d", ev.Line, ev.EndLine, lines)
			}
			switch tool := ev.Get("cert.tool"); tool {
			case ToolStore:
				if ev.Get("cert.result") != "" {
					t.Errorf("a store entry with a result")
				}
			case ToolVerify, ToolURLFetch:
				if r := ev.Get("cert.result"); r != "ok" && r != "error" {
					t.Errorf("bad cert.result %q", r)
				}
			default:
				t.Errorf("bad cert.tool %q", tool)
			}
			return nil
		})
		if err != nil {
			t.Errorf("error on an in-memory input: %v", err)
		}
		for _, p := range problems {
			if p.Line < 1 || p.Line > lines || p.Msg == "" {
				t.Errorf("bad problem %+v", p)
			}
		}
		Detect(data)
	})
}

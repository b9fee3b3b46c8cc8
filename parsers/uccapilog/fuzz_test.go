package uccapilog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/testkit/hostile"
)

// FuzzParse checks that Parse never panics and that what it emits is well
// formed, whatever the input.
func FuzzParse(f *testing.F) {
	fixtures, err := filepath.Glob("testdata/*.[Uu]cc[Aa]pilog")
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
	f.Add([]byte("04/16/2013|03:17:30.168 1F68:C14 INFO  :: Data Received - 1.2.3.4:5 (To Local Address: 6.7.8.9:10) 1 bytes: SIP/2.0 400 x\nms-diagnostics: 1.;\u201c;=\u201d\nl: -1\n\n\x00"))
	f.Add([]byte("04/16/2013|03:17:30.168 1F68:C14 ERROR :: hr=0x80048821\n\x00\n  (80048821)\nSign-in address not found"))
	f.Add([]byte("\uFEFF\r\n\r"))
	f.Add(hostile.FoldedHeaders(50))
	f.Add(hostile.UnterminatedBlocks(30))

	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		problems, err := Parse(context.Background(), "fuzz", bytes.NewReader(data), func(ev event.Event) error {
			if ev.Source != event.SourceUccApilog || ev.Kind == "" || ev.Path != "fuzz" {
				t.Errorf("bad event header: %+v", ev)
			}
			if ev.Line < 1 || ev.Line > lines || (ev.EndLine != 0 && (ev.EndLine < ev.Line || ev.EndLine > lines)) {
				t.Errorf("bad lines %d-%d of %d", ev.Line, ev.EndLine, lines)
			}
			if ev.Local == ev.Time.IsZero() {
				t.Errorf("Local %v with time %v", ev.Local, ev.Time)
			}
			if ev.Kind == event.KindLog && ev.EndLine == 0 && Message(ev.Text) != ev.Get("log.message") {
				t.Errorf("Message(%q) = %q, log.message %q", ev.Text, Message(ev.Text), ev.Get("log.message"))
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

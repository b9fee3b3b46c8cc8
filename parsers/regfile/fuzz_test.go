package regfile

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/textenc"
)

// FuzzParse checks that Parse and Detect never panic and that what Parse
// emits is well formed, whatever the input.
func FuzzParse(f *testing.F) {
	fixtures, err := filepath.Glob("testdata/*")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range fixtures {
		raw, err := os.ReadFile(path)
		if err != nil || len(raw) == 0 {
			continue // the golden directory
		}
		r, _, err := textenc.NewReader(bytes.NewReader(raw))
		if err != nil {
			f.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := b.ReadFrom(r); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
		f.Add(b.Bytes()[:b.Len()/2])
	}
	f.Add([]byte("REGEDIT4\n[HKU]\n\"a\"=hex(7):41,00,\\\n\"b\"=hex(ffffffff):\n@=hex(2):\\"))
	f.Add([]byte("Windows Registry Editor Version 5.00\n[HKCU\\x]\n\"\\\"=\"\\\n\"q\"=hex(b):ff,ff,ff,ff,ff,ff,ff,ff\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		problems, err := Parse(context.Background(), "fuzz", bytes.NewReader(data), func(ev event.Event) error {
			if ev.Source != event.SourceRegistry || ev.Kind != event.KindRegistry || ev.Path != "fuzz" {
				t.Errorf("bad event header: %+v", ev)
			}
			if ev.Line < 2 || ev.Line > lines || (ev.EndLine != 0 && (ev.EndLine <= ev.Line || ev.EndLine > lines)) {
				t.Errorf("bad lines %d-%d of %d", ev.Line, ev.EndLine, lines)
			}
			if ev.Get("reg.hive") == "" || ev.Get("reg.key") == "" {
				t.Errorf("value without its key: %+v", ev.Fields)
			}
			if (ev.Get("reg.deleted") == "true") == (ev.Get("reg.type") != "") {
				t.Errorf("a value has a type unless it is deleted: %+v", ev.Fields)
			}
			return nil
		})
		if err != nil {
			t.Errorf("error on an in-memory input: %v", err)
		}
		if len(problems) > event.DefaultMaxProblems+1 {
			t.Errorf("%d problems", len(problems))
		}
		for _, p := range problems {
			if p.Line < 1 || p.Line > lines || p.Msg == "" {
				t.Errorf("bad problem %+v", p)
			}
		}
		Detect(data)
	})
}

package w32tm

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
	f.Add([]byte("The current time is 2/29/2024 11:59:59 PM.\n23:59:59, o:-99:59:59.999999999s\n00:00:00, d:+1s o:+0.s\n"))
	f.Add([]byte("RdtscStart, RdtscEnd, FileTime, RoundtripDelay, NtpOffset\n1, 2, 99999999999999999999, +1, -1\n1,2,3,error: 0x1\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		problems, err := Parse(context.Background(), "fuzz", bytes.NewReader(data), func(ev event.Event) error {
			if ev.Source != event.SourceTime || ev.Kind != event.KindClock || ev.Path != "fuzz" {
				t.Errorf("bad event header: %+v", ev)
			}
			if ev.Line < 1 || ev.Line > lines || (ev.EndLine != 0 && (ev.EndLine <= ev.Line || ev.EndLine > lines)) {
				t.Errorf("bad lines %d-%d of %d", ev.Line, ev.EndLine, lines)
			}
			switch ev.Get("clock.tool") {
			case ToolStatus, ToolStripchart, ToolConfig:
			default:
				t.Errorf("bad clock.tool %q", ev.Get("clock.tool"))
			}
			if ev.Local && ev.Time.IsZero() {
				t.Errorf("Local without a time")
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

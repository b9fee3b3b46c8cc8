package netcfg

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfblog/sfblog/event"
)

// fuzzSeeds adds the UTF-8 fixtures, whole and cut in half.
func fuzzSeeds(f *testing.F) {
	fixtures, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range fixtures {
		if strings.Contains(path, "utf16") {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
}

// fuzzCheck runs parse on data and checks that what it emits is well
// formed.
func fuzzCheck(t *testing.T, parse parseFunc, kind string, data []byte) {
	lines := bytes.Count(data, []byte("\n")) + 1
	problems, err := parse(context.Background(), "fuzz", bytes.NewReader(data), func(ev event.Event) error {
		if ev.Source != event.SourceNetwork || ev.Kind != kind || ev.Path != "fuzz" {
			t.Errorf("bad event header: %+v", ev)
		}
		if ev.Line < 1 || ev.Line > lines || (ev.EndLine != 0 && (ev.EndLine <= ev.Line || ev.EndLine > lines)) {
			t.Errorf("bad lines %d-%d of %d", ev.Line, ev.EndLine, lines)
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
}

// FuzzParseProxy checks that ParseProxy never panics, whatever the input.
func FuzzParseProxy(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzCheck(t, ParseProxy, event.KindProxy, data)
		DetectProxy(data)
	})
}

// FuzzParseIPConfig checks that ParseIPConfig never panics, whatever the
// input.
func FuzzParseIPConfig(f *testing.F) {
	fuzzSeeds(f)
	f.Add([]byte("Windows IP Configuration\n   DNS Servers . . : 1.1.1.1\n\t\t\t x\n" + strings.Repeat("y", 79) + "\nz\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzCheck(t, ParseIPConfig, event.KindNetCfg, data)
		DetectIPConfig(data)
	})
}

package dns

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfblog/sfblog/event"
)

// FuzzParse checks that Parse never panics and that what it emits is well
// formed, whatever the input.
func FuzzParse(f *testing.F) {
	fixtures, err := filepath.Glob("testdata/*.*")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range fixtures {
		if strings.HasSuffix(path, ".md") || strings.Contains(path, "utf16") {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("Name  Type TTL Section NameHost\n---- ---- --- ------- --------\nx... CNAME 1 Answer y\nz\n"))
	f.Add([]byte("> set type=srv\n> a\n_a SRV service location:\n\tport = 99999999\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		problems, err := Parse(context.Background(), "fuzz", bytes.NewReader(data), func(ev event.Event) error {
			if ev.Source != event.SourceDNS || ev.Kind != event.KindDNS || ev.Path != "fuzz" {
				t.Errorf("bad event header: %+v", ev)
			}
			if ev.Line < 1 || ev.Line > lines || (ev.EndLine != 0 && (ev.EndLine <= ev.Line || ev.EndLine > lines)) {
				t.Errorf("bad lines %d-%d of %d", ev.Line, ev.EndLine, lines)
			}
			switch ev.Get("dns.status") {
			case StatusOK, StatusNXDomain, StatusNoAnswer, StatusTimeout, StatusServFail, StatusRefused, StatusError:
			default:
				t.Errorf("bad status %q", ev.Get("dns.status"))
			}
			return nil
		})
		if err != nil {
			t.Errorf("error on an in-memory input: %v", err)
		}
		for _, p := range problems {
			if p.Line < 0 || p.Line > lines || p.Msg == "" {
				t.Errorf("bad problem %+v", p)
			}
		}
		Detect(data)
	})
}

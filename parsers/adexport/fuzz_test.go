package adexport

import (
	"bytes"
	"context"
	"testing"

	"github.com/sfblog/sfblog/event"
)

// FuzzParse checks that Parse never panics and that what it emits is well
// formed, whatever the input.
func FuzzParse(f *testing.F) {
	for name := range exports {
		b := fixture(f, name)
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("dn:: ===\n \n \ndn: x\nproxyAddresses:< \n"))
	f.Add([]byte("DistinguishedName : {\nproxyAddresses : {...}\n msRTCSIP-UserEnabled : {a, , b...}\n"))
	f.Add([]byte("#TYPE x\n\"DN\",\"proxyAddresses\"\n\"\"\"\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		problems, err := Parse(context.Background(), "fuzz", bytes.NewReader(data), func(ev event.Event) error {
			if ev.Source != event.SourceDirectory || ev.Kind != event.KindDirectory || ev.Path != "fuzz" {
				t.Errorf("bad event header: %+v", ev)
			}
			if ev.Line < 1 || ev.Line > lines || (ev.EndLine != 0 && (ev.EndLine <= ev.Line || ev.EndLine > lines)) {
				t.Errorf("bad lines %d-%d of %d", ev.Line, ev.EndLine, lines)
			}
			if ev.Get("ad.dn") == "" || ev.Get("ad.tool") == "" {
				t.Errorf("user without dn or tool: %+v", ev)
			}
			if v, ok := ev.Fields["ad.sip_enabled"]; ok && v != "true" && v != "false" {
				t.Errorf("ad.sip_enabled %q", v)
			}
			return nil
		})
		if err != nil && Detect(data[:min(len(data), HeadSize)]) {
			t.Errorf("error on an in-memory export: %v", err)
		}
		for _, p := range problems {
			if p.Line < 1 || p.Line > lines || p.Msg == "" {
				t.Errorf("bad problem %+v", p)
			}
		}
	})
}

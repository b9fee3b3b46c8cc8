package evttext

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
	f.Add([]byte("Event[0]:\n  Log Name: x\n  Event ID: 1\n  Date: 9999-99-99T99:99:99.999\n  Description:\n"))
	f.Add([]byte("Level\tDate and Time\tSource\tEvent ID\tTask Category\n\"\tx\t\"\"\n4\t1/1/1 99:99:99 PM\tSchannel\t36887\t(x)\t\"a\n"))
	f.Add([]byte("<Events><Event xmlns='" + eventNS + "'><System><EventID>1</EventID><TimeCreated SystemTime='x'/></System><UserData><A b='1'><A>2</A></A></UserData></Event>"))

	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		problems, err := Parse(context.Background(), "fuzz", bytes.NewReader(data), func(ev event.Event) error {
			if ev.Source != event.SourceEvtText || ev.Kind != event.KindRecord || ev.Path != "fuzz" {
				t.Errorf("bad event header: %+v", ev)
			}
			if ev.Line < 1 || ev.Line > lines || (ev.EndLine != 0 && (ev.EndLine <= ev.Line || ev.EndLine > lines)) {
				t.Errorf("bad lines %d-%d of %d", ev.Line, ev.EndLine, lines)
			}
			if ev.Get("evt.event_id") == "" {
				t.Errorf("record without an event id: %+v", ev)
			}
			if ev.Local && ev.Time.IsZero() {
				t.Errorf("Local without a time")
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

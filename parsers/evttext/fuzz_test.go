package evttext

import (
	"bytes"
	"context"
	"strings"
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
	// Small versions of the hostile shapes of bounds_test.go: floods of
	// blank lines, a description that does not end, a quote that never
	// closes, nesting outside and inside an event, big text, comments,
	// CDATA, entities and attributes.
	f.Add([]byte("Event[0]:\r\n  Log Name: S\r\n  Event ID: 1\r\n  Description:\r\nx\r\n" + strings.Repeat("\r\n", 300) + " \r\ny\r\n" + strings.Repeat("junk\r\n", 50)))
	f.Add([]byte("Event[0]:\n  Log Name: S\n  Event ID: 1\n" + strings.Repeat("stray\n", 40) + "  Description: a\n" + strings.Repeat("d", 3000) + "\nEvent[1]:\n"))
	f.Add([]byte("Level,Date and Time,Source,Event ID,Task Category\r\nError,6/15/2017 9:02:12 AM,Schannel,36888,None,\"A fatal\r\n" + strings.Repeat("AAAA\r\n", 100) + "x,y\r\n\r\n\r\n"))
	ev := "<Event xmlns='" + eventNS + "'><System><EventID>1</EventID></System><EventData><Data Name='a'>1</Data></EventData></Event>\n"
	f.Add([]byte(ev + strings.Repeat("<a>", 200) + strings.Repeat("</a>", 200) + "\n" + ev))
	f.Add([]byte(ev + strings.Repeat("<a>", 100)))
	f.Add([]byte(ev + "<Event xmlns='" + eventNS + "'><System><EventID>2</EventID></System><EventData>" + strings.Repeat("<b>", 70) + strings.Repeat("</b>", 70) + "</EventData></Event>\n" + ev))
	f.Add([]byte(ev + "<!-- - -- --->\n<?pi ?? ?>\n<!DOCTYPE x [<!ENTITY e 'v'>]>\n<Event xmlns='" + eventNS + "'><System><EventID>3</EventID></System><EventData><Data><![CDATA[a]]]b]]]]></Data><Data x=\"&amp;&#65;&#x42;\r\n\">&lt;&gt;&apos;&quot;\r</Data></EventData></Event>"))
	f.Add([]byte(ev + "<Event xmlns='" + eventNS + "'><System><EventID>4</EventID></System><EventData><Data" + strings.Repeat(" a='1'", 300) + ">" + strings.Repeat("t", 5000) + "</Data></EventData></Event>\n<e:Event xmlns:e='" + eventNS + "'><e:System><e:EventID>5</e:EventID></e:System></e:Event><x>&bad;</x>"))

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
			if len(ev.Text) > maxTextLen+len("…") || len(ev.Get("evt.message")) > maxMessageLen+len("…") {
				t.Errorf("text %d or message %d bytes kept", len(ev.Text), len(ev.Get("evt.message")))
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

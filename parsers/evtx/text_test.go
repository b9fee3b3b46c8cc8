package evtx

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sfblog/sfblog/event"
)

// oldText is text before appendOneLine: each value collapsed whole
// (oldOneLine), then the excerpt cut. It is the oracle of text.
func oldText(ev *event.Event, items []DataItem) string {
	var sb strings.Builder
	sb.WriteString(ev.Get("evt.channel"))
	sb.WriteByte('/')
	if p := ev.Get("evt.provider"); p != "" {
		sb.WriteString(p)
	} else {
		sb.WriteString(ev.Get("evt.source"))
	}
	sb.WriteByte(' ')
	sb.WriteString(ev.Get("evt.event_id"))
	sb.WriteString(" Level=")
	sb.WriteString(ev.Get("evt.level"))
	sb.WriteString(" Computer=")
	sb.WriteString(ev.Get("evt.computer"))
	sep := ": "
	for _, it := range items {
		v := oldOneLine(it.Value)
		if v == "" || it.Key == "Binary" {
			continue
		}
		sb.WriteString(sep)
		sep = " | "
		sb.WriteString(v)
		if sb.Len() > maxTextLen {
			break
		}
	}
	return truncate(sb.String(), maxTextLen)
}

func oldOneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

func textEvent() *event.Event {
	ev := &event.Event{}
	ev.Set("evt.channel", "Microsoft-Windows-PowerShell/Operational")
	ev.Set("evt.provider", "Microsoft-Windows-PowerShell")
	ev.Set("evt.event_id", "4104")
	ev.Set("evt.level", "5")
	ev.Set("evt.computer", "PC01")
	return ev
}

// text collapses and cuts only what the excerpt shows, and shows what the
// whole values collapsed and cut showed.
func TestTextSameAsWhole(t *testing.T) {
	long := strings.Repeat("$x = 'a  b'\r\n\tWrite-Host  $x ", 500)
	tests := []struct {
		name  string
		items []DataItem
	}{
		{"none", nil},
		{"plain", []DataItem{{Key: "A", Value: "one"}, {Key: "B", Value: " two three "}}},
		{"blank and binary skipped", []DataItem{{Key: "A", Value: " \r\n "}, {Key: "Binary", Value: "00FF"}, {Key: "C", Value: "x"}}},
		{"collapsed", []DataItem{{Key: "A", Value: "a\r\n  b\t\tc  "}}},
		{"single no-break space kept, or collapsed with a line break", []DataItem{{Key: "A", Value: "a\u00a0b"}, {Key: "B", Value: "a\u00a0b\nc"}}},
		{"a long script block", []DataItem{{Key: "ScriptBlockText", Value: long}, {Key: "Path", Value: "C:\\x.ps1"}}},
		{"cut inside a rune", []DataItem{{Key: "A", Value: strings.Repeat("é\n", 2000)}}},
		{"invalid UTF-8", []DataItem{{Key: "A", Value: "a\xff\n\xfe  b"}}},
		{"just over the limit", []DataItem{{Key: "A", Value: strings.Repeat("w ", maxTextLen/2) + "\nz"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := textEvent()
			assert.Equal(t, oldText(ev, tt.items), text(ev, tt.items))
		})
	}
}

func FuzzTextSameAsWhole(f *testing.F) {
	f.Add("a\r\n  b", "c\u00a0d", "Binary", 3)
	f.Add(strings.Repeat("x y\n", 300), "é", "A", 1)
	f.Fuzz(func(t *testing.T, a, b, key string, n int) {
		items := []DataItem{{Key: "A", Value: a}, {Key: key, Value: b}}
		for range min(max(n, 0), 8) {
			items = append(items, DataItem{Key: "R", Value: a + b})
		}
		ev := textEvent()
		if got, want := text(ev, items), oldText(ev, items); got != want {
			t.Fatalf("text %q, want %q", got, want)
		}
	})
}

package analyze

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/mask"
)

// Excerpt limits.
const (
	maxExcerptLines = 24
	maxExcerptBytes = 4000
)

// sipExcerptHeaders are the headers an excerpt of a SIP message keeps: the
// ones that identify the transaction and carry its diagnosis.
var sipExcerptHeaders = []string{
	"from", "to", "cseq", "user-agent", "server", "date", "expires",
	"ms-diagnostics", "ms-diagnostics-public", "www-authenticate", "proxy-authenticate",
	"authorization", "proxy-authorization", "authentication-info", "warning",
}

// group turns the evidence events (sorted by path, line) into excerpts:
// secrets masked, repeats of the same evidence grouped with a count, at
// most max shown.
func group(es []*event.Event, max int) []Evidence {
	out := []Evidence{}
	idx := map[string]int{}
	type place struct {
		path   string
		line   int
		record uint64
	}
	// Several events of one line (two HRESULTs, a text and a code) are one
	// piece of evidence.
	seen := map[place]bool{}
	for _, e := range es {
		at := place{e.Path, e.Line, e.RecordID}
		if seen[at] {
			continue
		}
		seen[at] = true
		key := groupKey(e)
		if i, ok := idx[key]; ok {
			out[i].Count++
			continue
		}
		if len(out) == max {
			continue
		}
		idx[key] = len(out)
		ev := evidenceOf(e)
		ev.Count = 1
		out = append(out, ev)
	}
	for i := range out {
		if out[i].Count == 1 {
			out[i].Count = 0
		}
	}
	return out
}

// copyKey is where and when an event happened, whatever the input.
type copyKey struct {
	kind   string
	time   time.Time
	local  bool
	line   int
	record uint64
}

// copiesOf returns the events of es that another input holds too, each
// with the event kept in its place (its original): a log
// and its copy (a .bak, the same log collected twice, one cut short) have
// the same events at the same lines and times, an event log exported twice
// the same records; the copy's text may be cut short (a copy taken while
// the client wrote). Of an event and its copies, the one kept is the one
// with the whole text, else the one with the shortest path (a copy's name
// is the longer: "... - Copy", " (1)", ".bak"), else the first. Events
// without a time are never copies.
//
// The events of one place and time are taken best first (keptOver): one
// whose text a kept event of another input has is a copy; one whose text
// begins such a text (a copy cut short) is, if it is one of the first
// maxCutTexts kept, which bounds the work on hostile inputs that put
// many different texts at one place and time.
func copiesOf(es []*event.Event) map[*event.Event]*event.Event {
	at := map[copyKey][]*event.Event{}
	for _, e := range es {
		if !e.Time.IsZero() {
			k := copyKey{e.Kind, e.Time, e.Local, e.Line, e.RecordID}
			at[k] = append(at[k], e)
		}
	}
	var copies map[*event.Event]*event.Event
	for _, list := range at {
		if len(list) < 2 {
			continue
		}
		slices.SortStableFunc(list, func(a, b *event.Event) int {
			switch {
			case keptOver(a, b):
				return -1
			case keptOver(b, a):
				return 1
			}
			return 0
		})
		var kept []*event.Event
		whole := map[string]*event.Event{} // the texts kept, with the first event of each
		for _, e := range list {
			if o := copyOf(e, whole, kept); o != nil {
				if copies == nil {
					copies = map[*event.Event]*event.Event{}
				}
				copies[e] = o
				continue
			}
			kept = append(kept, e)
			if _, ok := whole[e.Text]; !ok {
				whole[e.Text] = e
			}
		}
	}
	return copies
}

// maxCutTexts bounds the kept texts of one place and time that copyOf
// compares a text with, to find it cut short.
const maxCutTexts = 16

// copyOf returns the event kept before e, from another input, that e
// repeats, or nil: the same text (whole), or a text that e's begins
// (kept, best first: no shorter than e's).
func copyOf(e *event.Event, whole map[string]*event.Event, kept []*event.Event) *event.Event {
	if o, ok := whole[e.Text]; ok {
		// Every event kept with this text is of the first one's input:
		// another input's was a copy.
		if o.Path != e.Path {
			return o
		}
		return nil
	}
	for _, k := range kept[:min(len(kept), maxCutTexts)] {
		if k.Path != e.Path && strings.HasPrefix(k.Text, e.Text) {
			return k
		}
	}
	return nil
}

// keptOver reports whether event f is kept rather than its copy e: it has
// more of the text, or as much and a shorter path, or the same length of
// path and comes first (by path).
func keptOver(f, e *event.Event) bool {
	if len(f.Text) != len(e.Text) {
		return len(f.Text) > len(e.Text)
	}
	if len(f.Path) != len(e.Path) {
		return len(f.Path) < len(e.Path)
	}
	return f.Path < e.Path
}

// evidenceOf renders one event as evidence.
func evidenceOf(e *event.Event) Evidence {
	return Evidence{
		Path:     e.Path,
		Line:     e.Line,
		RecordID: e.RecordID,
		Time:     event.FormatTime(e.Time, e.Local),
		Excerpt:  Excerpt(e),
	}
}

// logPrefix is the timestamp and thread prefix of a UccApilog line.
var logPrefix = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\d{1,2}/\d{1,2}/\d{4}\|\d{1,2}:\d{2}:\d{2}(\.\d+)?\s+[0-9A-Fa-f]+:[0-9A-Fa-f]+\s+`)
})

// groupKey identifies evidence that repeats: the same message, code or
// record, whatever its time, tags and call ids.
func groupKey(e *event.Event) string {
	f := e.Get
	switch e.Kind {
	case event.KindSIP:
		start, _, _ := strings.Cut(e.Text, "\n")
		return strings.Join([]string{e.Kind, f("sip.direction"), start, f("sip.cseq.method"), f("diag.code"), f("diag.reason"), f("sip.from.uri")}, "\x00")
	case event.KindUIText:
		return strings.Join([]string{e.Kind, f("ui.key"), f("ui.text")}, "\x00")
	case event.KindRecord:
		return strings.Join([]string{e.Kind, f("evt.provider"), f("evt.event_id"), f("evt.data.all")}, "\x00")
	case event.KindLog:
		return e.Kind + "\x00" + f("log.message")
	}
	return e.Kind + "\x00" + f("hresult") + "\x00" + logPrefix().ReplaceAllString(e.Text, "")
}

// Excerpt renders an event for a report: a SIP message reduced to its start
// line and diagnostic headers, anything else as written, bounded in size,
// with every secret masked.
func Excerpt(e *event.Event) string {
	text := e.Text
	if e.Kind == event.KindSIP {
		text = sipExcerpt(e)
	}
	// Masked before it is cut: a secret cut in two is no longer
	// recognisable (a JWT without its second dot).
	return bound(mask.EventText(e, text))
}

func sipExcerpt(e *event.Event) string {
	lines := strings.Split(e.Text, "\n")
	var b strings.Builder
	b.WriteString(strings.TrimSpace(lines[0]))
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "" {
			break // end of headers
		}
		name, _, ok := strings.Cut(l, ":")
		if ok && slices.Contains(sipExcerptHeaders, strings.ToLower(strings.TrimSpace(name))) {
			b.WriteString("\n")
			b.WriteString(strings.TrimRight(l, "\r"))
		}
	}
	if skew, err := strconv.Atoi(e.Get("sip.clock_skew")); err == nil && (skew > 120 || skew < -120) {
		fmt.Fprintf(&b, "\n[sfblog: the server's Date and the client's clock differ by %+d s beyond whole quarter hours (the log's time zone is unknown)]", skew)
	}
	return b.String()
}

// bound cuts text to the excerpt limits, saying how much was left out.
func bound(text string) string {
	text = strings.TrimRight(strings.ReplaceAll(text, "\r", ""), "\n")
	lines := strings.Split(text, "\n")
	cut := 0
	if len(lines) > maxExcerptLines {
		cut = len(lines) - maxExcerptLines
		lines = lines[:maxExcerptLines]
	}
	text = strings.Join(lines, "\n")
	if len(text) > maxExcerptBytes {
		text = strings.ToValidUTF8(text[:maxExcerptBytes], "")
		return text + "\n… (excerpt cut)"
	}
	if cut > 0 {
		text += "\n… (" + strconv.Itoa(cut) + " more lines)"
	}
	return text
}

package analyze

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

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

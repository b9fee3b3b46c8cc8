// Package text parses free text — a note written by a user or an engineer,
// an error message pasted from a dialog, an exported list — for the
// evidence it can hold: the client's user-visible error texts and HRESULT
// codes, line by line.
package text

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/scan"
)

// ctxEvery is how often (in lines) the context is checked.
const ctxEvery = 4096

// Parse reads free text (a note, a pasted error message, an exported list)
// and emits KindUIText and KindHRESULT events found on any line, and the
// SIP messages and event details pasted into it as KindSIP and KindRecord
// events marked "pasted" (see paste.go) (Source "text", Line set, no Time). Lines longer than scan.DefaultMaxLine are cut
// and reported as problems; err is for I/O errors, an emit error and a
// cancelled context.
func Parse(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	var problems []event.Problem
	pasted := &paste{path: path}
	win := &window{}
	lines := scan.NewLines(r, scan.DefaultMaxLine)
	for lines.Scan() {
		n := lines.Number()
		if n%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return problems, fmt.Errorf("text: %s: %w", path, err)
			}
		}
		if lines.Truncated() {
			problems = append(problems, event.Problem{Line: n, Msg: fmt.Sprintf("line longer than %d bytes, cut", scan.DefaultMaxLine)})
		}
		line := lines.Text()
		evs := pasted.line(n, line)
		evs = append(evs, win.texts(path, n, line)...)
		evs = append(evs, hresultEvents(path, n, line)...)
		for _, ev := range evs {
			if err := emit(ev); err != nil {
				return problems, fmt.Errorf("text: %s: emit: %w", path, err)
			}
		}
	}
	if err := lines.Err(); err != nil {
		return problems, fmt.Errorf("text: read %s: %w", path, err)
	}
	for _, ev := range pasted.flush(lines.Number()) {
		if err := emit(ev); err != nil {
			return problems, fmt.Errorf("text: %s: emit: %w", path, err)
		}
	}
	return problems, nil
}

// window finds the client's error texts in a note line by line, and also
// where a pasted dialog wraps a text over two lines; it keeps the lines
// before each text as its context (a dialog names its server on the line
// above: "Lync is attempting to connect to: <FQDN>").
type window struct {
	prev, prev2 string
	prevKeys    map[string]bool // keys found on the previous line
}

// texts returns the uitext events of line n.
func (w *window) texts(path string, n int, line string) []event.Event {
	var evs []event.Event
	var keys map[string]bool // made with the first text: most lines have none
	add := func(at int, text string, u scan.UIText) {
		if keys == nil {
			keys = map[string]bool{}
		}
		keys[u.Key] = true
		ev := event.Event{Source: event.SourceText, Kind: event.KindUIText, Path: path, Line: at, Text: text}
		ev.Set("ui.key", u.Key)
		ev.Set("ui.text", u.Text)
		if context := strings.TrimSpace(w.prev2 + "\n" + w.prev); context != "" {
			ev.Set("ui.context", bounded(context))
		}
		evs = append(evs, ev)
	}
	for _, u := range scan.UITexts(line) {
		add(n, line, u)
	}
	if w.prev != "" {
		joined := w.prev + "\n" + line
		for _, u := range scan.UITexts(joined) {
			if !keys[u.Key] && !w.prevKeys[u.Key] {
				add(n-1, joined, u)
			}
		}
	}
	w.prev2, w.prev, w.prevKeys = w.prev, line, keys
	return evs
}

// bounded cuts a context to 400 bytes on a rune boundary.
func bounded(s string) string {
	if len(s) <= 400 {
		return s
	}
	s = s[len(s)-400:]
	return strings.ToValidUTF8(s, "")
}

// hresultEvents returns the HRESULT events of one line.
func hresultEvents(path string, n int, line string) []event.Event {
	var evs []event.Event
	for _, h := range scan.HRESULTs(line) {
		ev := event.Event{Source: event.SourceText, Kind: event.KindHRESULT, Path: path, Line: n, Text: line}
		ev.Set("hresult", h.Code)
		if h.Name != "" {
			ev.Set("hresult.name", h.Name)
		}
		evs = append(evs, ev)
	}
	return evs
}

// Package text parses free text — a note written by a user or an engineer,
// an error message pasted from a dialog, an exported list — for the
// evidence it can hold: the client's user-visible error texts and HRESULT
// codes, line by line.
package text

import (
	"context"
	"fmt"
	"io"

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
		for _, ev := range append(pasted.line(n, line), lineEvents(path, n, line)...) {
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

// lineEvents returns the events of one line: its user-visible texts first,
// then its HRESULTs.
func lineEvents(path string, n int, line string) []event.Event {
	var evs []event.Event
	for _, u := range scan.UITexts(line) {
		ev := event.Event{Source: event.SourceText, Kind: event.KindUIText, Path: path, Line: n, Text: line}
		ev.Set("ui.key", u.Key)
		ev.Set("ui.text", u.Text)
		evs = append(evs, ev)
	}
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

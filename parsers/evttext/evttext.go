// Package evttext parses Windows event logs saved as text: the output of
// wevtutil qe /f:text, Event Viewer's "Save All Events As" text (.txt,
// tab-delimited) and CSV files, and event XML (wevtutil qe /f:xml, or
// Event Viewer's "Save as XML" with its <Events> root).
//
// Every record becomes one event of Kind "record" and Source "evttext"
// carrying the fields of the .evtx parser (evt.provider, evt.event_id,
// evt.level, evt.channel, evt.computer, evt.data.*, ...) filled the same way,
// so that the event-log signatures read these exports unchanged, plus
// evt.message, the rendered description the export carries.
//
// The text forms keep only the rendered message, not the insertion strings.
// Parse puts the message in evt.message and in evt.data.all, and for the
// events the signature catalog reads by value (DNS-Client 1014, Schannel
// 36884/36887/36888, Security-Auditing 4768/4769/4771) it recovers the
// values from the documented message text (see message.go). Levels,
// tasks and keywords written as names are turned back into the numbers an
// .evtx record holds where the mapping is fixed (see normalize.go).
package evttext

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/sfblog/sfblog/event"
)

// Forms of an event log saved as text, as returned by Format.
const (
	FormWevtutil   = "wevtutil-text" // wevtutil qe LOG /f:text
	FormViewerText = "viewer-text"   // Event Viewer "Save All Events As" Text (tab-delimited)
	FormViewerCSV  = "viewer-csv"    // Event Viewer "Save All Events As" CSV
	FormXML        = "xml"           // wevtutil qe LOG /f:xml, Event Viewer "Save as XML"
)

// HeadSize is how many leading bytes Format and Parse look at to recognise
// the form.
const HeadSize = 8192

const (
	// maxTextLen bounds Event.Text, the record as written.
	maxTextLen = 64 << 10
	// maxMessageLen bounds evt.message, the description of a text form:
	// real descriptions are a few KiB, and every byte kept is read by the
	// message rules and the signatures' expressions.
	maxMessageLen = 64 << 10
	// ctxEvery is how often (in records or lines) the context is checked.
	ctxEvery = 1024
)

// Format returns the form of the export that starts with head (already
// decoded to UTF-8), or "" when head is not an event log saved as text.
// Each form is recognised by its structure, not by a word: the
// "Event[0]:" block with its "Log Name:" and "Event ID:" lines, the
// Event Viewer header row, or an <Event> element in the event schema's
// namespace.
func Format(head []byte) string {
	switch {
	case isWevtutil(head):
		return FormWevtutil
	case isViewer(head, '\t'):
		return FormViewerText
	case isViewer(head, ','):
		return FormViewerCSV
	case isXML(head):
		return FormXML
	}
	return ""
}

// Detect reports whether head (the first few KiB of a file, already decoded
// to UTF-8) is an event log saved as text in one of the forms of Format.
func Detect(head []byte) bool { return Format(head) != "" }

// Parse reads an event log saved as text (UTF-8, CRLF or LF line ends) and
// emits one KindRecord event per record, with Source "evttext", Line and
// EndLine, RecordID when the form carries it (XML), and Time: UTC from
// XML and from wevtutil dates that carry a zone, else the local wall-clock
// time as written with Local set. Damaged records are reported as problems
// and skipped; err is for input that is not such an export, read errors,
// an emit error and a cancelled context.
func Parse(ctx context.Context, path string, r io.Reader, emit event.Sink) (problems []event.Problem, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, perr := br.Peek(HeadSize)
	if perr != nil && !errors.Is(perr, io.EOF) && !errors.Is(perr, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("evttext: read %s: %w", path, perr)
	}
	form := Format(head)
	p := &parser{ctx: ctx, path: path, emit: emit}
	defer func() {
		// The parsers index their own slices only; a panic is a bug, but
		// bad input must never take the whole run down with it.
		if v := recover(); v != nil {
			err = fmt.Errorf("evttext: %s: internal error: %v", path, v)
			problems = p.problems.List()
		}
	}()
	switch form {
	case FormWevtutil:
		err = p.wevtutil(br)
	case FormViewerText:
		err = p.viewer(br, '\t')
	case FormViewerCSV:
		err = p.viewer(br, ',')
	case FormXML:
		err = p.xml(br)
	default:
		return nil, fmt.Errorf("evttext: %s: not an event log saved as text", path)
	}
	return p.problems.List(), err
}

// parser holds what every form's parser shares.
type parser struct {
	ctx      context.Context
	path     string
	emit     event.Sink
	problems event.Problems
	n        int // records emitted, for the context check
}

func (p *parser) problem(line int, format string, args ...any) {
	p.problems.Addf(line, format, args...)
}

// send emits ev, checking the context every ctxEvery records.
func (p *parser) send(ev event.Event) error {
	p.n++
	if p.n%ctxEvery == 0 {
		if err := p.ctx.Err(); err != nil {
			return fmt.Errorf("evttext: %s: %w", p.path, err)
		}
	}
	ev.Source = event.SourceEvtText
	ev.Kind = event.KindRecord
	ev.Path = p.path
	if ev.EndLine <= ev.Line {
		ev.EndLine = 0
	}
	ev.Text = truncate(ev.Text, maxTextLen)
	if err := p.emit(ev); err != nil {
		return fmt.Errorf("evttext: %s: emit: %w", p.path, err)
	}
	return nil
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xc0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

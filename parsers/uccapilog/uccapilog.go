// Package uccapilog parses the UccApi text logs of the Office Communicator,
// Lync and Skype for Business clients (Communicator-uccapi-N.uccapilog,
// Lync-UccApi-N.UccApilog and their .bak copies) into normalized events.
//
// Every line has the prefix
//
//	MM/DD/YYYY|HH:MM:SS.mmm PID:TID LEVEL :: message
//
// except the lines of SIP messages, which the log writes raw between a
// "Sending Packet - ..." or "Data Received - ..." marker and the matching
// "End of ..." marker (log-facts.md §2.2). Parse emits one KindSIP event per
// SIP block, one KindLog event per warning or error line, and KindHRESULT
// and KindUIText events for codes and user-visible error texts on any line.
package uccapilog

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/scan"
)

const (
	// maxLine is the longest line kept whole; longer lines are cut.
	maxLine = scan.DefaultMaxLine
	// maxBlockBytes bounds the text kept for one SIP block.
	maxBlockBytes = 8 << 20
	// maxContinuation bounds the extra lines appended to a log line.
	maxContinuation = 64
	// garbageHandful is how many unparseable lines pass without a problem.
	garbageHandful = 5
	// ctxEvery is how often (in lines) the context is checked.
	ctxEvery = 4096
)

// Detect reports whether head (the first few KiB of a file, already decoded
// to UTF-8) is a UccApilog: one of its lines has the full log prefix with
// the "::" separator.
func Detect(head []byte) bool {
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		if p, ok := parsePrefix(string(bytes.TrimRight(line, "\r"))); ok && p.sep && p.level != "" {
			return true
		}
	}
	return false
}

// Parse reads a UccApilog (UTF-8 text, CRLF or LF) streaming and emits
// events. path is the display path to put in Event.Path. Problems are
// damaged parts it skipped or truncated blocks; err is for I/O errors and
// an emit error. It never panics on any input.
//
// Events come in line order of the lines that start them; the events found
// inside a SIP block or a multi-line log message follow that block's or
// message's own event.
func Parse(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	p := &parser{path: path, emit: emit}
	lines := scan.NewLines(r, maxLine)
	for lines.Scan() {
		n := lines.Number()
		if n%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return p.result(), fmt.Errorf("uccapilog: %s: %w", path, err)
			}
		}
		if lines.Truncated() {
			p.problem(n, fmt.Sprintf("line longer than %d bytes, cut", maxLine))
		}
		if err := p.line(n, lines.Text()); err != nil {
			return p.result(), err
		}
	}
	if err := p.finish(); err != nil {
		return p.result(), err
	}
	if err := lines.Err(); err != nil {
		return p.result(), fmt.Errorf("uccapilog: read %s: %w", path, err)
	}
	return p.result(), nil
}

// parser is the state of one Parse.
type parser struct {
	path     string
	emit     event.Sink
	problems []event.Problem

	// queue holds events in output order while a SIP block is open or a
	// warning/error record still collects continuation lines: such a
	// container's own event fills the slot reserved when it started, ahead
	// of the events found in its lines. Unfilled slots (Kind "") are
	// dropped.
	queue []event.Event
	rec   *record
	blk   *block

	garbage      int
	firstGarbage int
	lastLine     int
}

// record is a prefixed log line with its continuation lines.
type record struct {
	slot    int
	line    int
	endLine int
	time    time.Time
	pre     prefix
	keep    bool            // a warning or error: its text is kept
	sealed  bool            // its event (if any) is final: the queue may flush
	text    strings.Builder // whole line plus continuation lines
	msg     strings.Builder // message plus continuation lines
	extra   int             // continuation lines seen
}

// block is a SIP block between its markers.
type block struct {
	slot  int
	line  int
	time  time.Time
	mark  marker
	lines []string // the SIP message lines, start line first
	size  int
}

func (p *parser) problem(line int, msg string) {
	p.problems = append(p.problems, event.Problem{Line: line, Msg: msg})
}

func (p *parser) result() []event.Problem {
	sort.SliceStable(p.problems, func(i, j int) bool { return p.problems[i].Line < p.problems[j].Line })
	return p.problems
}

// line handles one input line.
func (p *parser) line(n int, s string) error {
	p.lastLine = n
	pre, ok := parsePrefix(s)
	if p.blk != nil {
		return p.blockLine(n, s, pre, ok)
	}
	if !ok {
		return p.plainLine(n, s)
	}
	if err := p.closeRecord(); err != nil {
		return err
	}
	if m, isMarker := parseMarker(pre.msg); isMarker {
		p.openBlock(n, pre.time, m)
		p.derived(n, s, pre.time)
		return nil
	}
	p.openRecord(n, s, pre)
	p.derived(n, s, pre.time)
	return nil
}

// blockLine handles a line while a SIP block is open.
func (p *parser) blockLine(n int, s string, pre prefix, prefixed bool) error {
	b := p.blk
	if !prefixed {
		if !b.add(s) {
			// No end marker in sight: end the block here so that memory
			// stays bounded, and read on as if outside any block.
			if err := p.closeBlock(n-1, closeTooLong); err != nil {
				return err
			}
			return p.plainLine(n, s)
		}
		p.derived(n, s, b.time)
		return nil
	}
	switch m, isMarker := parseMarker(pre.msg); {
	case isEndMarker(pre.msg):
		if err := p.closeBlock(n, closeEnded); err != nil {
			return err
		}
		// The end marker is an ordinary log line too.
		p.openRecord(n, s, pre)
		p.derived(n, s, pre.time)
	case isMarker:
		if err := p.closeBlock(n-1, closeCut); err != nil {
			return err
		}
		p.openBlock(n, pre.time, m)
		p.derived(n, s, pre.time)
	case len(b.lines) == 0 && looksLikeStartLine(pre.msg):
		// The start line on its own prefixed line.
		b.add(pre.msg) // the first line always fits: lines are at most maxLine
		p.derived(n, s, b.time)
	default:
		// A log line written between the markers: a record of its own.
		p.openRecord(n, s, pre)
		p.derived(n, s, pre.time)
		return p.closeRecord()
	}
	return nil
}

// plainLine handles a line without prefix outside SIP blocks: it continues
// the current log record, or it is garbage.
func (p *parser) plainLine(n int, s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	r := p.rec
	if r == nil || strings.IndexByte(s, 0) >= 0 {
		if p.garbage == 0 {
			p.firstGarbage = n
		}
		p.garbage++
		p.derived(n, s, time.Time{})
		return p.flush()
	}
	r.extra++
	if !r.sealed {
		r.text.WriteByte('\n')
		r.text.WriteString(s)
		r.msg.WriteByte('\n')
		r.msg.WriteString(s)
		r.endLine = n
		if r.extra == maxContinuation {
			p.seal(r)
		}
	}
	p.derived(n, s, r.time)
	return p.flush()
}

func (p *parser) reserve() int {
	p.queue = append(p.queue, event.Event{})
	return len(p.queue) - 1
}

// openRecord starts the record of a prefixed line. Only a warning or error
// record has an event of its own, which must wait for its continuation
// lines; any other record is sealed at once.
func (p *parser) openRecord(n int, s string, pre prefix) {
	r := &record{line: n, time: pre.time, pre: pre, keep: isProblemLevel(pre.level), sealed: true}
	if r.keep {
		r.slot = p.reserve()
		r.sealed = false
		r.text.WriteString(s)
		r.msg.WriteString(pre.msg)
	}
	p.rec = r
}

// seal puts the record's KindLog event in its queue slot. Continuation
// lines after that still belong to the record (for their time) but are no
// longer added to its text: memory stays bounded.
func (p *parser) seal(r *record) {
	if r.sealed {
		return
	}
	r.sealed = true
	ev := p.newEvent(event.KindLog, r.line, r.time, r.text.String())
	ev.EndLine = r.endLine
	ev.Set("log.level", r.pre.level)
	setIf(&ev, "log.thread", r.pre.thread)
	ev.Set("log.message", r.msg.String())
	p.queue[r.slot] = ev
	r.text.Reset()
	r.msg.Reset()
}

func (p *parser) closeRecord() error {
	r := p.rec
	if r == nil {
		return nil
	}
	p.seal(r)
	p.rec = nil
	return p.flush()
}

func (p *parser) openBlock(n int, t time.Time, m marker) {
	b := &block{slot: p.reserve(), line: n, time: t, mark: m}
	if looksLikeStartLine(m.rest) {
		b.add(m.rest) // the first line always fits: lines are at most maxLine
	}
	p.blk = b
}

// add appends a SIP message line, skipping blank lines before the start
// line. It returns false, adding nothing, when the line would take the
// block over maxBlockBytes.
func (b *block) add(s string) bool {
	if len(b.lines) == 0 && strings.TrimSpace(s) == "" {
		return true
	}
	if b.size+len(s) > maxBlockBytes {
		return false
	}
	b.size += len(s) + 1
	b.lines = append(b.lines, s)
	return true
}

// How a SIP block ends.
const (
	closeEnded   = iota // its end marker
	closeCut            // the next start marker or the end of the input
	closeTooLong        // it grew over maxBlockBytes
)

// closeBlock ends the open SIP block at line end.
func (p *parser) closeBlock(end int, how int) error {
	b := p.blk
	if b == nil {
		return nil
	}
	p.blk = nil
	switch how {
	case closeCut:
		p.problem(b.line, fmt.Sprintf("SIP block started at line %d not terminated", b.line))
	case closeTooLong:
		p.problem(b.line, fmt.Sprintf("SIP block started at line %d not terminated within %d bytes, cut at line %d", b.line, maxBlockBytes, end))
	}
	lines := b.lines
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	msg := parseSIPMessage(lines)
	ev := p.newEvent(event.KindSIP, b.line, b.time, strings.Join(lines, "\n"))
	ev.EndLine = max(end, b.line)
	// One field per header plus the derived ones: sized once.
	ev.Fields = make(map[string]string, len(msg.names)+24)
	ev.Set("sip.direction", b.mark.direction)
	setIf(&ev, "sip.remote", b.mark.remote)
	setIf(&ev, "sip.local", b.mark.local)
	if !setSIPFields(&ev, msg) {
		p.problem(b.line, fmt.Sprintf("SIP block at line %d has no SIP start line", b.line))
	}
	if b.mark.direction == "received" {
		if date := msg.header("date"); date != "" {
			setClockFields(&ev, date, b.time)
		}
	}
	p.queue[b.slot] = ev
	return p.flush()
}

// derived queues the KindHRESULT and KindUIText events of one line.
func (p *parser) derived(n int, s string, t time.Time) {
	for _, h := range scan.HRESULTs(s) {
		ev := p.newEvent(event.KindHRESULT, n, t, s)
		ev.Set("hresult", h.Code)
		setIf(&ev, "hresult.name", h.Name)
		p.queue = append(p.queue, ev)
	}
	for _, u := range scan.UITexts(s) {
		ev := p.newEvent(event.KindUIText, n, t, s)
		ev.Set("ui.key", u.Key)
		ev.Set("ui.text", u.Text)
		p.queue = append(p.queue, ev)
	}
}

func (p *parser) newEvent(kind string, line int, t time.Time, text string) event.Event {
	return event.Event{
		Source: event.SourceUccApilog,
		Kind:   kind,
		Path:   p.path,
		Line:   line,
		Time:   t,
		Local:  !t.IsZero(),
		Text:   text,
	}
}

// flush emits the queued events once no container is waiting for its
// event: no SIP block is open and the current record is sealed.
func (p *parser) flush() error {
	if p.blk != nil || (p.rec != nil && !p.rec.sealed) {
		return nil
	}
	for _, ev := range p.queue {
		if ev.Kind == "" {
			continue
		}
		if err := p.emit(ev); err != nil {
			p.queue = p.queue[:0]
			return fmt.Errorf("uccapilog: %s: emit: %w", p.path, err)
		}
	}
	clear(p.queue)
	p.queue = p.queue[:0]
	return nil
}

// finish closes what is open at the end of the input.
func (p *parser) finish() error {
	if err := p.closeRecord(); err != nil {
		return err
	}
	if err := p.closeBlock(p.lastLine, closeCut); err != nil {
		return err
	}
	if p.garbage > garbageHandful {
		p.problem(p.firstGarbage, fmt.Sprintf("%d lines not in UccApilog syntax, first at line %d", p.garbage, p.firstGarbage))
	}
	return p.flush()
}

// looksLikeStartLine reports whether s is a SIP request or status line.
func looksLikeStartLine(s string) bool {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "SIP/2.0 ") {
		return true
	}
	parts := strings.Fields(s)
	return len(parts) == 3 && parts[2] == "SIP/2.0" && isToken(parts[0]) && strings.ToUpper(parts[0]) == parts[0]
}

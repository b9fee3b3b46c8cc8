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
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/scan"
)

const (
	// maxLine is the longest line kept whole; longer lines are cut.
	maxLine = scan.DefaultMaxLine
	// maxBlockBytes bounds the text kept for one SIP block: far above any
	// SIP message a client sends or receives, and at least one whole line.
	maxBlockBytes = maxLine
	// maxBlockLines bounds the lines kept for one SIP block.
	maxBlockLines = 20000
	// maxContinuation bounds the extra lines appended to a log line.
	maxContinuation = 64
	// garbageHandful is how many unparseable lines pass without a problem.
	garbageHandful = 5
	// maxProblems is how many problems of one kind are kept per input; the
	// rest are counted in one more problem.
	maxProblems = 20
	// ctxEvery is how often (in lines) the context is checked.
	ctxEvery = 4096
)

// Detect reports whether head (the first few KiB of a file, already decoded
// to UTF-8) is a UccApilog: one of its lines has the full log prefix with
// the "::" separator.
func Detect(head []byte) bool {
	var c clock
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		var p prefix
		if c.parsePrefix(bytes.TrimRight(line, "\r"), &p) && p.sep && len(p.level) > 0 {
			return true
		}
	}
	return false
}

// Parse reads a UccApilog (UTF-8 text, CRLF or LF) streaming and emits
// events. path is the display path to put in Event.Path. Problems are
// damaged parts it skipped or truncated blocks, at most maxProblems of each
// kind and then one that counts the rest; err is for I/O errors and an
// emit error. It never panics on any input.
//
// Events come in line order of the lines that start them; the events found
// inside a SIP block or a multi-line log message follow that block's or
// message's own event.
//
// A goroutine of its own reads the lines into batches and runs
// scan.MayMatch over each (see read.go); the parser reads them as byte
// slices of the batch: a line that is neither a warning, an error, a SIP
// line nor one that scan.MayMatch lets through costs no allocation. emit
// is called on the caller's goroutine. Every event owns its strings (the text of
// one SIP block, one line, one record), so that an event a consumer keeps
// holds on to nothing else.
func Parse(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	return Options{}.Parse(ctx, path, r, emit)
}

// Options tune a parse.
type Options struct {
	// Keep, when set, is asked about each SIP block before its event is
	// built, with what the block shows at a glance. A block it refuses has
	// no KindSIP event; the HRESULTs and error texts of its lines are
	// emitted all the same, and so are its problems. A block without a SIP
	// start line, or whose CSeq header is folded, is kept without asking.
	// A caller that refuses blocks counts them itself if it must.
	Keep func(BlockView) bool
}

// BlockView is a SIP block as Options.Keep sees it: the values its event
// would have, read without parsing the message.
type BlockView struct {
	Line      int       // the line of its start marker (Event.Line)
	Time      time.Time // the marker's wall-clock time (Event.Time; Local when not zero)
	Direction string    // sip.direction: "sent" or "received"
	// Method is sip.method, the method of a request ("" for a response);
	// Status is sip.status, the code of a response ("" for a request).
	Method, Status string
	CSeqMethod     string // sip.cseq.method, "" when absent
	// Date reports a Date header (which a received message's
	// sip.date_offset and sip.clock_skew are derived from); Diagnostics an
	// ms-diagnostics or ms-diagnostics-public header (the diag.* fields).
	Date, Diagnostics bool
}

// Parse is Parse with the options o.
func (o Options) Parse(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	p := &parser{path: path, emit: emit, keep: o.Keep}
	want := batchBytes
	if o.Keep != nil {
		want = skimBatchBytes
	}
	rd := startReader(r, scan.MayMatch, want)
	defer rd.close()
	var pre prefix
	for {
		b, err := rd.next(ctx)
		if err != nil {
			return p.result(), fmt.Errorf("uccapilog: %s: %w", path, err)
		}
		for i := range b.ends {
			n := b.first + i
			if n%ctxEvery == 0 {
				if err := ctx.Err(); err != nil {
					return p.result(), fmt.Errorf("uccapilog: %s: %w", path, err)
				}
			}
			if b.flags[i]&flagTruncated != 0 {
				p.problem(problemLong, n, fmt.Sprintf("line longer than %d bytes, cut", maxLine))
			}
			p.may = b.flags[i]&flagMayMatch != 0
			s := b.line(i)
			prefixed := b.flags[i]&flagPrefixed != 0
			if prefixed {
				b.prefixOf(i, s, &pre)
			}
			if err := p.line(n, s, &pre, prefixed); err != nil {
				return p.result(), err
			}
		}
		if b.last {
			if err := p.finish(); err != nil {
				return p.result(), err
			}
			if b.err != nil {
				return p.result(), fmt.Errorf("uccapilog: read %s: %w", path, b.err)
			}
			return p.result(), nil
		}
		rd.release(b)
	}
}

// Kinds of problems, each kept up to maxProblems times.
const (
	problemLong         = iota // a line cut at maxLine
	problemUnterminated        // a SIP block without its end marker
	problemTooLong             // a SIP block over maxBlockBytes or maxBlockLines
	problemNoStart             // a SIP block without a start line
	problemGarbage             // lines not in the log's syntax (one problem at most)
	problemKinds
)

// problemMore says what the problems counted beyond maxProblems were.
var problemMore = [problemKinds]string{
	problemLong:         fmt.Sprintf("lines longer than %d bytes, cut", maxLine),
	problemUnterminated: "unterminated SIP blocks",
	problemTooLong:      "SIP blocks cut at the size limit",
	problemNoStart:      "SIP blocks without a SIP start line",
	problemGarbage:      "runs of lines not in UccApilog syntax",
}

// parser is the state of one Parse.
type parser struct {
	path     string
	emit     event.Sink
	keep     func(BlockView) bool
	problems []event.Problem
	dropped  [problemKinds]int // problems beyond maxProblems, per kind
	firstOut [problemKinds]int // the line of the first of them
	kept     [problemKinds]int

	// queue holds events in output order while a SIP block is open or a
	// warning/error record still collects continuation lines: such a
	// container's own event fills the slot reserved when it started, ahead
	// of the events found in its lines. Unfilled slots (Kind "") are
	// dropped.
	queue  []event.Event
	rec    record
	blk    block
	sip    sipReader
	intern intern

	// may is scan.MayMatch of the current line, which the reader found.
	may bool

	garbage      int
	firstGarbage int
	lastLine     int
}

// record is a prefixed log line with its continuation lines.
type record struct {
	open    bool // there is a current record
	slot    int
	line    int
	endLine int
	time    time.Time
	level   string
	thread  string
	keep    bool   // a warning or error: its text is kept
	sealed  bool   // its event (if any) is final: the queue may flush
	text    []byte // whole line plus continuation lines
	msgAt   int    // where the message starts in text
	extra   int    // continuation lines seen
}

// block is a SIP block between its markers. Its lines are kept in one
// buffer, reused from block to block.
type block struct {
	open   bool
	slot   int
	line   int
	time   time.Time
	dir    string
	remote string
	local  string
	buf    []byte // the SIP message lines, start line first, each ended by '\n'
	ends   []int  // the end of each line in buf
	// method is the method of the request whose start line addStartLine
	// added as the first line ("" for any other first line).
	method string
}

func (p *parser) problem(kind, line int, msg string) {
	if p.kept[kind] == maxProblems {
		if p.dropped[kind] == 0 {
			p.firstOut[kind] = line
		}
		p.dropped[kind]++
		return
	}
	p.kept[kind]++
	p.problems = append(p.problems, event.Problem{Line: line, Msg: msg})
}

func (p *parser) result() []event.Problem {
	out := p.problems
	for kind, n := range p.dropped {
		if n > 0 {
			out = append(out, event.Problem{Line: p.firstOut[kind], Msg: fmt.Sprintf("and %s more %s", thousands(n), problemMore[kind])})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// thousands formats n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// line handles one input line and its prefix (ok when it has one; else
// *pre is not read). s and pre are only valid during the call.
func (p *parser) line(n int, s []byte, pre *prefix, ok bool) error {
	p.lastLine = n
	if p.blk.open {
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
func (p *parser) blockLine(n int, s []byte, pre *prefix, prefixed bool) error {
	b := &p.blk
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
	case len(b.ends) == 0 && p.addStartLine(b, pre.msg):
		// The start line on its own prefixed line.
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
func (p *parser) plainLine(n int, s []byte) error {
	if isBlank(s) {
		return nil
	}
	r := &p.rec
	if !r.open || bytes.IndexByte(s, 0) >= 0 {
		if p.garbage == 0 {
			p.firstGarbage = n
		}
		p.garbage++
		p.derived(n, s, time.Time{})
		return p.flush()
	}
	r.extra++
	if !r.sealed {
		r.text = append(r.text, '\n')
		r.text = append(r.text, s...)
		r.endLine = n
		if r.extra == maxContinuation {
			p.seal(r)
		}
	}
	p.derived(n, s, r.time)
	return p.flush()
}

// isBlank reports whether s is only white space (strings.TrimSpace(s) == "").
func isBlank(s []byte) bool {
	for _, c := range s {
		if c >= 0x80 {
			return len(bytes.TrimSpace(s)) == 0
		}
		if !asciiSpace(c) {
			return false
		}
	}
	return true
}

func (p *parser) reserve() int {
	p.queue = append(p.queue, event.Event{})
	return len(p.queue) - 1
}

// openRecord starts the record of a prefixed line. Only a warning or error
// record has an event of its own, which must wait for its continuation
// lines; any other record is sealed at once.
func (p *parser) openRecord(n int, s []byte, pre *prefix) {
	r := &p.rec
	keep := isProblemLevel(pre.level)
	*r = record{open: true, line: n, time: pre.time, keep: keep, sealed: !keep, text: r.text[:0]}
	if keep {
		r.slot = p.reserve()
		r.level = p.intern.string(pre.level)
		r.thread = p.intern.string(pre.thread)
		r.text = append(r.text, s...)
		r.msgAt = len(s) - len(pre.msg)
	}
}

// seal puts the record's KindLog event in its queue slot. Continuation
// lines after that still belong to the record (for their time) but are no
// longer added to its text: memory stays bounded.
func (p *parser) seal(r *record) {
	if r.sealed {
		return
	}
	r.sealed = true
	text := string(r.text)
	ev := p.newEvent(event.KindLog, r.line, r.time, text)
	ev.EndLine = r.endLine
	ev.Fields = make(map[string]string, 3)
	ev.Set("log.level", r.level)
	setIf(&ev, "log.thread", r.thread)
	ev.Set("log.message", text[r.msgAt:])
	p.queue[r.slot] = ev
	r.text = shrink(r.text)
}

// shrink empties buf, and lets a large one go.
func shrink(buf []byte) []byte {
	if cap(buf) > 64<<10 {
		return nil
	}
	return buf[:0]
}

func (p *parser) closeRecord() error {
	r := &p.rec
	if !r.open {
		return nil
	}
	p.seal(r)
	r.open = false
	return p.flush()
}

func (p *parser) openBlock(n int, t time.Time, m marker) {
	b := &p.blk
	*b = block{open: true, slot: p.reserve(), line: n, time: t, dir: m.direction,
		remote: p.intern.string(m.remote), local: p.intern.string(m.local),
		buf: b.buf[:0], ends: b.ends[:0]}
	p.addStartLine(b, m.rest)
}

// addStartLine adds s to the empty block b when s is a SIP start line,
// and then keeps the method of a request for the block's view.
func (p *parser) addStartLine(b *block, s []byte) bool {
	method, ok := startLine(s)
	if ok {
		b.add(s) // the first line always fits: lines are at most maxLine
		b.method = p.intern.string(method)
	}
	return ok
}

// add appends a SIP message line, skipping blank lines before the start
// line. It returns false, adding nothing, when the line would take the
// block over maxBlockBytes or maxBlockLines.
func (b *block) add(s []byte) bool {
	if len(b.ends) == 0 && isBlank(s) {
		return true
	}
	if len(b.buf)+len(s) > maxBlockBytes || len(b.ends) == maxBlockLines {
		return false
	}
	b.buf = append(b.buf, s...)
	b.ends = append(b.ends, len(b.buf))
	b.buf = append(b.buf, '\n')
	return true
}

// How a SIP block ends.
const (
	closeEnded   = iota // its end marker
	closeCut            // the next start marker or the end of the input
	closeTooLong        // it grew over maxBlockBytes or maxBlockLines
)

// closeBlock ends the open SIP block at line end.
func (p *parser) closeBlock(end int, how int) error {
	b := &p.blk
	if !b.open {
		return nil
	}
	b.open = false
	switch how {
	case closeCut:
		p.problem(problemUnterminated, b.line, fmt.Sprintf("SIP block started at line %d not terminated", b.line))
	case closeTooLong:
		limit := fmt.Sprintf("%d bytes", maxBlockBytes)
		if len(b.ends) == maxBlockLines {
			limit = fmt.Sprintf("%d lines", maxBlockLines)
		}
		p.problem(problemTooLong, b.line, fmt.Sprintf("SIP block started at line %d not terminated within %s, cut at line %d", b.line, limit, end))
	}
	// Trailing blank lines are dropped; the rest is the event's text, and
	// every field is a part of it.
	ends := b.ends
	for len(ends) > 0 && isBlank(b.buf[lineStart(ends, len(ends)-1):ends[len(ends)-1]]) {
		ends = ends[:len(ends)-1]
	}
	if p.keep != nil {
		if v, sure := p.view(b, ends); sure && !p.keep(v) {
			return p.skipBlock()
		}
	}
	var text string
	if len(ends) > 0 {
		text = string(b.buf[:ends[len(ends)-1]])
	}
	lines := p.sip.lines[:0]
	for k := range ends {
		lines = append(lines, text[lineStart(ends, k):ends[k]])
	}
	p.sip.lines = lines
	msg := p.sip.parse(lines, func(i, j int) string {
		if i >= j {
			return ""
		}
		return text[lineStart(ends, i):ends[j-1]]
	})
	clear(p.sip.lines)
	ev := p.newEvent(event.KindSIP, b.line, b.time, text)
	ev.EndLine = max(end, b.line)
	// One field per header, about a dozen derived ones and the few the
	// analyzer adds: sized once. (A hint just over a power of two's 7/8
	// would double the table for nothing.)
	ev.Fields = make(map[string]string, len(msg.hdrs)+15)
	ev.Set("sip.direction", b.dir)
	setIf(&ev, "sip.remote", b.remote)
	setIf(&ev, "sip.local", b.local)
	if !setSIPFields(&ev, msg) {
		p.problem(problemNoStart, b.line, fmt.Sprintf("SIP block at line %d has no SIP start line", b.line))
	}
	if b.dir == "received" {
		if date := msg.header("date"); date != "" {
			setClockFields(&ev, date, b.time)
		}
	}
	p.queue[b.slot] = ev
	return p.skipBlock()
}

// skipBlock lets the closed block's buffers go when they grew large, and
// flushes the queue. The block's slot is left empty unless its event was
// put there.
func (p *parser) skipBlock() error {
	if b := &p.blk; cap(b.buf) > 256<<10 {
		b.buf, b.ends = nil, nil
	}
	return p.flush()
}

// view reads the BlockView of the block b, whose lines end at ends, the
// way setSIPFields and setClockFields read the message: sure is false when
// it cannot tell (no SIP start line, a folded CSeq header).
func (p *parser) view(b *block, ends []int) (v BlockView, sure bool) {
	v = BlockView{Line: b.line, Time: b.time, Direction: b.dir}
	if len(ends) == 0 {
		return v, false
	}
	line := func(k int) []byte { return b.buf[lineStart(ends, k):ends[k]] }
	start := bytes.TrimSpace(line(0))
	if bytes.HasPrefix(start, []byte("SIP/")) {
		_, rest, _ := bytes.Cut(start, []byte(" "))
		status, _, _ := bytes.Cut(rest, []byte(" "))
		if len(status) != 3 || !isDigits(status) {
			return v, false
		}
		v.Status = p.intern.string(status)
	} else if b.method != "" {
		v.Method = b.method // startLine checked more than what follows
	} else {
		method, _, version, three := threeFields(start)
		if !three || !bytes.HasPrefix(version, []byte("SIP/")) || !isToken(method) {
			return v, false
		}
		v.Method = p.intern.string(method)
	}
	cseq, folded := false, false
	for k := 1; k < len(ends); k++ {
		s := line(k)
		if isBlank(s) {
			break // the body follows
		}
		if folded && (s[0] == ' ' || s[0] == '\t') {
			return v, false // the CSeq value goes on: leave it to the parser
		}
		folded = false
		colon := bytes.IndexByte(s, ':')
		if colon <= 0 {
			continue
		}
		name := s[:colon]
		if c0, c1 := name[0], name[len(name)-1]; c0 <= ' ' || c0 >= utf8.RuneSelf || c1 <= ' ' || c1 >= utf8.RuneSelf {
			name = bytes.TrimSpace(name) // else there is nothing to trim
		}
		switch {
		case equalFoldASCII(name, "cseq"):
			if s[0] == ' ' || s[0] == '\t' {
				// A header, or a folded line of the one above: unsure.
				return v, false
			}
			if !cseq {
				cseq, folded = true, true
				if _, method, n := firstTwoFields(bytes.TrimSpace(s[colon+1:])); n == 2 {
					v.CSeqMethod = p.intern.string(method)
				}
			}
		case equalFoldASCII(name, "date"):
			v.Date = true
		case equalFoldASCII(name, "ms-diagnostics"), equalFoldASCII(name, "ms-diagnostics-public"):
			v.Diagnostics = true
		}
	}
	return v, true
}

// equalFoldASCII reports whether b equals the lower-case ASCII lower,
// ignoring ASCII case only (a header name is an ASCII token).
func equalFoldASCII(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// lineStart returns where line k of a block starts in its buffer.
func lineStart(ends []int, k int) int {
	if k == 0 {
		return 0
	}
	return ends[k-1] + 1
}

// derived queues the KindHRESULT and KindUIText events of one line, s, the
// current line.
func (p *parser) derived(n int, s []byte, t time.Time) {
	if !p.may {
		return
	}
	line := string(s)
	for _, h := range scan.HRESULTs(line) {
		ev := p.newEvent(event.KindHRESULT, n, t, line)
		ev.Set("hresult", h.Code)
		setIf(&ev, "hresult.name", h.Name)
		p.queue = append(p.queue, ev)
	}
	for _, u := range scan.UITexts(line) {
		ev := p.newEvent(event.KindUIText, n, t, line)
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
	if len(p.queue) == 0 || p.blk.open || (p.rec.open && !p.rec.sealed) {
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
		p.problem(problemGarbage, p.firstGarbage, fmt.Sprintf("%d lines not in UccApilog syntax, first at line %d", p.garbage, p.firstGarbage))
	}
	return p.flush()
}

// intern returns strings for the short values that repeat from line to
// line (levels, threads, addresses) without allocating each time. It
// forgets everything when it grows past maxInterned.
type intern map[string]string

const maxInterned = 4096

func (in *intern) string(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := (*in)[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(s) > 256 {
		return s
	}
	if *in == nil || len(*in) >= maxInterned {
		*in = make(intern)
	}
	(*in)[s] = s
	return s
}

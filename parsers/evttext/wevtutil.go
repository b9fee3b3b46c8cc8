package evttext

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/scan"
)

// wevtutil qe LOG /f:text writes one block per event:
//
//	Event[0]:
//	  Log Name: Application
//	  Source: WLMS
//	  Date: 2020-12-14T17:09:08.940
//	  Event ID: 100
//	  Task: None
//	  Level: Information
//	  Opcode: Info
//	  Keyword: Classic
//	  User: N/A
//	  User Name: N/A
//	  Computer: WIN-1O0UJBNP9G7
//	  Description:
//	N/A
//
// The description follows on the "Description:" line itself or on the
// lines after it, unindented, up to the next "Event[N]:" line; a blank
// line separates the blocks. The Date is the local time without a zone
// (a date that does carry a zone, "...Z", is read as UTC). Sources: the wevtutil
// examples quoted in public write-ups (TryHackMe "Windows Event Logs",
// log4jna README), learn.microsoft.com wevtutil ("qe Application /c:3
// /rd:true /f:text").

// wevtutilPatterns are the lines of a wevtutil /f:text block.
type wevtutilPatterns struct {
	// blockStart matches the first line of a block.
	blockStart *regexp.Regexp
	// field matches a header line: two spaces, a name, a colon.
	field *regexp.Regexp
}

// wevtutilRx returns the wevtutilPatterns, compiled on first use.
var wevtutilRx = sync.OnceValue(func() *wevtutilPatterns {
	return &wevtutilPatterns{
		blockStart: regexp.MustCompile(`^Event\[\d+\]:\s*$`),
		field:      regexp.MustCompile(`^  ([A-Za-z][A-Za-z ]*?):(?: (.*))?$`),
	}
})

// isWevtutil reports whether head starts with a wevtutil /f:text block:
// the "Event[N]:" line, then "Log Name:" and, before any description,
// "Event ID:".
func isWevtutil(head []byte) bool {
	re := wevtutilRx()
	lines := splitLines(head)
	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i >= len(lines) || !re.blockStart.MatchString(lines[i]) {
		return false
	}
	var logName, eventID bool
	for _, l := range lines[i+1:] {
		m := re.field.FindStringSubmatch(l)
		if m == nil {
			break
		}
		switch m[1] {
		case "Log Name":
			logName = true
		case "Event ID":
			eventID = true
		case "Description":
			return logName && eventID
		}
	}
	return logName && eventID
}

// splitLines splits head into lines without their line ends, dropping a
// leading BOM.
func splitLines(head []byte) []string {
	head = bytes.TrimPrefix(head, []byte("\uFEFF"))
	parts := strings.Split(string(head), "\n")
	for i, p := range parts {
		parts[i] = strings.TrimSuffix(p, "\r")
	}
	return parts
}

// wevtutilBlock collects one block.
type wevtutilBlock struct {
	start, end int     // first and last non-blank line
	text       lineBuf // the block as written, for Event.Text
	rec        textRecord
	date       string
	inDesc     bool
	desc       lineBuf // the description
	unexpected lineRun // lines in the header that are not fields
}

// lineBuf joins lines with "\n" up to a byte budget, so that a block that
// never ends (a description of 256 MiB, a flood of blank lines) keeps
// what an event can use and no more. Blank lines are held back as a count
// and written only when a line with text follows: trailing blank lines
// are dropped, as the blocks need, and cost nothing.
type lineBuf struct {
	b     strings.Builder
	max   int // bytes kept; the text is cut at max+1 so that truncate marks it
	lines int // lines written
	held  []string
	heldN int  // blank lines held back (only the first few kept in held)
	cut   bool // some text was not kept
}

// maxHeld bounds the blank lines whose text lineBuf keeps while holding
// them back; the others are written as empty lines.
const maxHeld = 64

// add appends line, or holds it back when it is blank.
func (lb *lineBuf) add(line string) {
	if lb.cut {
		return
	}
	if strings.TrimSpace(line) == "" {
		if lb.heldN < maxHeld {
			lb.held = append(lb.held, line)
		}
		lb.heldN++
		return
	}
	for i := 0; i < lb.heldN && !lb.cut; i++ {
		held := ""
		if i < len(lb.held) {
			held = lb.held[i]
		}
		lb.write(held)
	}
	lb.held, lb.heldN = lb.held[:0], 0
	lb.write(line)
}

// write appends line after a "\n", cutting at the budget.
func (lb *lineBuf) write(line string) {
	if lb.cut {
		return
	}
	if lb.lines > 0 {
		lb.b.WriteByte('\n')
	}
	lb.lines++
	if room := lb.max + 1 - lb.b.Len(); len(line) > room {
		lb.b.WriteString(line[:max(room, 0)])
		lb.cut = true
		return
	}
	lb.b.WriteString(line)
}

// String returns the lines kept, without the blank lines held back.
func (lb *lineBuf) String() string { return lb.b.String() }

// wevtutil parses the /f:text form.
func (p *parser) wevtutil(r io.Reader) error {
	re := wevtutilRx()
	lines := scan.NewLines(r, scan.DefaultMaxLine)
	var b *wevtutilBlock
	var outside lineRun
	for lines.Scan() {
		n := lines.Number()
		if n%ctxEvery == 0 {
			if err := p.ctx.Err(); err != nil {
				return fmt.Errorf("evttext: %s: %w", p.path, err)
			}
		}
		if lines.Truncated() {
			p.problem(n, "line longer than %d bytes, cut", scan.DefaultMaxLine)
		}
		raw := lines.Bytes()
		if len(bytes.TrimSpace(raw)) == 0 {
			// A blank line: nothing to read, and a flood of them must
			// cost no more than a count.
			if b != nil {
				blank := ""
				if len(raw) > 0 && b.text.heldN < maxHeld {
					blank = string(raw) // white space, kept as written
				}
				b.text.add(blank)
				if b.inDesc {
					b.desc.add(blank)
				}
			}
			continue
		}
		if bytes.HasPrefix(raw, []byte("Event[")) && re.blockStart.Match(raw) {
			outside.flushOutside(p)
			if err := p.flushWevtutil(b); err != nil {
				return err
			}
			b = newWevtutilBlock(n)
			b.text.add(string(raw))
			continue
		}
		if b == nil {
			outside.add(n)
			continue
		}
		b.end = n
		if b.inDesc {
			if b.text.cut && b.desc.cut {
				continue // nothing more is kept: no string for the line
			}
			line := string(raw)
			b.text.add(line)
			b.desc.add(line)
			continue
		}
		line := string(raw)
		b.text.add(line)
		m := re.field.FindStringSubmatch(line)
		if m == nil {
			b.unexpected.add(n)
			continue
		}
		v := strings.TrimSpace(m[2])
		switch m[1] {
		case "Log Name":
			b.rec.channel = v
		case "Source":
			b.rec.source = v
		case "Date":
			b.date = v
		case "Event ID":
			b.rec.eventID = v
		case "Task":
			b.rec.task = v
		case "Level":
			b.rec.level = v
		case "Keyword":
			b.rec.keywords = v
		case "User":
			b.rec.user = v
		case "Computer":
			b.rec.computer = v
		case "Description":
			b.inDesc = true
			if v != "" {
				b.desc.add(m[2])
			}
		}
	}
	outside.flushOutside(p)
	if err := lines.Err(); err != nil {
		return fmt.Errorf("evttext: read %s: %w", p.path, err)
	}
	return p.flushWevtutil(b)
}

// lineRun counts lines of one kind of damage (text before the first
// block, lines in a header that are not fields, Event Viewer rows without
// an Event ID), so that a file of them makes one problem rather than one
// a line.
type lineRun struct{ first, last, n int }

func (lr *lineRun) add(line int) {
	if lr.n == 0 {
		lr.first = line
	}
	lr.last = line
	lr.n++
}

// flush reports the lines counted, if any, as one (the problem of one
// line) or as the count and many (of several), and starts a new count.
func (lr *lineRun) flush(p *parser, one, many string) {
	switch {
	case lr.n == 1:
		p.problem(lr.first, "%s", one)
	case lr.n > 1:
		p.problem(lr.first, "%d %s (lines %d-%d)", lr.n, many, lr.first, lr.last)
	}
	*lr = lineRun{}
}

// flushOutside reports the text counted outside the Event[N]: blocks.
func (lr *lineRun) flushOutside(p *parser) {
	lr.flush(p, "text outside an Event[N]: block, skipped", "lines of text outside an Event[N]: block, skipped")
}

// newWevtutilBlock starts the block whose "Event[N]:" line is line n.
func newWevtutilBlock(n int) *wevtutilBlock {
	return &wevtutilBlock{start: n, end: n, text: lineBuf{max: maxTextLen}, desc: lineBuf{max: maxMessageLen}}
}

// flushWevtutil emits the block b (nil: nothing).
func (p *parser) flushWevtutil(b *wevtutilBlock) error {
	if b == nil {
		return nil
	}
	switch u := b.unexpected; {
	case u.n == 1:
		p.problem(u.first, "unexpected line in the header of the event at line %d", b.start)
	case u.n > 1:
		p.problem(u.first, "%d unexpected lines in the header of the event at line %d (lines %d-%d)", u.n, b.start, u.first, u.last)
	}
	if b.rec.eventID == "" || !isDigits(b.rec.eventID) {
		p.problem(b.start, "event block without a numeric Event ID, skipped")
		return nil
	}
	b.rec.message = b.desc.String()
	if b.desc.cut {
		b.rec.message = truncate(b.rec.message, maxMessageLen)
		p.problem(b.start, "description of the event at line %d longer than %d bytes, cut (the event runs to line %d)", b.start, maxMessageLen, b.end)
	}
	ev := event.Event{Line: b.start, EndLine: b.end}
	b.rec.set(&ev)
	if b.date != "" {
		t, local, err := parseWevtutilDate(b.date)
		if err != nil {
			p.problem(b.start, "date %q not understood", b.date)
		} else {
			ev.Time, ev.Local = t, local
		}
	}
	// The block as written, without the blank lines that separate blocks.
	ev.Text = b.text.String()
	return p.send(ev)
}

// parseWevtutilDate reads "2017-06-15T09:02:11.482" (local time) or the
// same with a zone ("...Z", "+02:00"), which is returned in UTC.
func parseWevtutilDate(s string) (time.Time, bool, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), false, nil
	}
	t, err := time.Parse("2006-01-02T15:04:05.999999999", s)
	if err != nil {
		return time.Time{}, false, err
	}
	return t, true, nil
}

// Package delimited reads delimited text (CSV or tab-separated) the way
// Windows tools write it (Export-Csv, csvde, Event Viewer's "Save as"):
// quoted fields may span lines, "" inside quotes is one quote.
package delimited

import (
	"fmt"
	"strings"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/scan"
)

// Row is one record of a delimited file.
type Row struct {
	Fields        []string
	Line, EndLine int    // first and last line
	Text          string // the lines as written, joined by "\n"
	Problems      []event.Problem
	Unclosed      bool // a quoted field was not closed: the record is cut
}

// DefaultMaxBytes is the most text a record keeps unless SetMaxBytes says
// otherwise: 4 MiB, a thousand times the longest event description or
// directory attribute the callers expect, and room for four lines of
// scan.DefaultMaxLine. Without it a quote that is never closed keeps up
// to maxLines lines of 1 MiB each (4 GiB for Event Viewer's 4096 lines).
const DefaultMaxBytes = 4 << 20

// Reader splits delimited text (CSV or tab-separated) into records the
// way Windows writes it: a field that starts with a double quote runs to
// the closing quote, across line breaks, and "" inside it is one quote.
// A quote anywhere else is an ordinary character. A record whose quote is
// not closed within maxLines lines, or before its text would pass
// maxBytes, is cut there and reported; the next record starts on the
// next line.
type Reader struct {
	lines    *scan.Lines
	delim    byte
	maxLines int
	maxBytes int
	// pending: the current line of lines was read but not taken by the
	// record before (cut at maxBytes); it starts the next record.
	pending bool
}

// NewReader reads the records of lines, split at delim, cutting a record
// whose quote is not closed within maxLines lines or DefaultMaxBytes
// bytes.
func NewReader(lines *scan.Lines, delim byte, maxLines int) *Reader {
	return &Reader{lines: lines, delim: delim, maxLines: maxLines, maxBytes: DefaultMaxBytes}
}

// SetMaxBytes sets the most text one record keeps (the lines as written,
// joined by "\n"); n <= 0 restores DefaultMaxBytes. The first line of a
// record is always kept, so a record holds at most max(n, the longest
// line) bytes.
func (rr *Reader) SetMaxBytes(n int) {
	if n <= 0 {
		n = DefaultMaxBytes
	}
	rr.maxBytes = n
}

// Next returns the next record; ok is false at the end of the input.
func (rr *Reader) Next() (rec Row, ok bool) {
	if rr.pending {
		rr.pending = false
	} else if !rr.lines.Scan() {
		return Row{}, false
	}
	rec.Line = rr.lines.Number()
	if len(rr.lines.Bytes()) == 0 {
		// A blank line: the common case of a flood of them, without the
		// builders below.
		rec.EndLine, rec.Fields = rec.Line, []string{""}
		return rec, true
	}
	var (
		text     strings.Builder
		cur      strings.Builder
		inQuotes bool
		atStart  = true
		count    int
	)
	for {
		n := rr.lines.Number()
		if rr.lines.Truncated() {
			rec.Problems = append(rec.Problems, event.Problem{Line: n, Msg: fmt.Sprintf("line longer than %d bytes, cut", scan.DefaultMaxLine)})
		}
		line := rr.lines.Text()
		if count > 0 {
			text.WriteByte('\n')
		}
		text.WriteString(line)
		count++
		rec.EndLine = n
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case inQuotes && c == '"':
				if i+1 < len(line) && line[i+1] == '"' {
					cur.WriteByte('"')
					i++
				} else {
					inQuotes = false
				}
			case inQuotes:
				cur.WriteByte(c)
			case c == rr.delim:
				rec.Fields = append(rec.Fields, cur.String())
				cur.Reset()
				atStart = true
				continue
			case c == '"' && atStart:
				inQuotes = true
			default:
				cur.WriteByte(c)
			}
			atStart = false
		}
		if !inQuotes {
			break
		}
		if count >= rr.maxLines {
			rec.Problems = append(rec.Problems, event.Problem{Line: rec.Line, Msg: fmt.Sprintf("quoted field not closed within %d lines, cut", rr.maxLines)})
			rec.Unclosed = true
			break
		}
		if !rr.lines.Scan() {
			rec.Problems = append(rec.Problems, event.Problem{Line: rec.Line, Msg: "quoted field not closed at the end of the input"})
			rec.Unclosed = true
			break
		}
		if text.Len()+1+len(rr.lines.Bytes()) > rr.maxBytes {
			// The line just read is not part of this record: it starts
			// the next one, which resyncs on a damaged file.
			rec.Problems = append(rec.Problems, event.Problem{Line: rec.Line, Msg: fmt.Sprintf("quoted field not closed within %d bytes (lines %d-%d), cut", rr.maxBytes, rec.Line, rec.EndLine)})
			rec.Unclosed = true
			rr.pending = true
			break
		}
		cur.WriteByte('\n')
	}
	rec.Fields = append(rec.Fields, cur.String())
	rec.Text = text.String()
	return rec, true
}

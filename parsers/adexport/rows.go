package adexport

import (
	"fmt"
	"strings"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/scan"
)

// row is one record of a delimited file.
type row struct {
	fields        []string
	line, endLine int    // first and last line
	text          string // the lines as written, joined by "\n"
	problems      []event.Problem
	unclosed      bool // a quoted field was not closed: the record is cut
}

// rowReader splits delimited text (CSV or tab-separated) into records the
// way Windows writes it: a field that starts with a double quote runs to
// the closing quote, across line breaks, and "" inside it is one quote.
// A quote anywhere else is an ordinary character. A record whose quote is
// not closed within maxLines lines is cut there and reported.
type rowReader struct {
	lines    *scan.Lines
	delim    byte
	maxLines int
}

func newRowReader(lines *scan.Lines, delim byte, maxLines int) *rowReader {
	return &rowReader{lines: lines, delim: delim, maxLines: maxLines}
}

// next returns the next record; ok is false at the end of the input.
func (rr *rowReader) next() (rec row, ok bool) {
	if !rr.lines.Scan() {
		return row{}, false
	}
	rec.line = rr.lines.Number()
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
			rec.problems = append(rec.problems, event.Problem{Line: n, Msg: fmt.Sprintf("line longer than %d bytes, cut", scan.DefaultMaxLine)})
		}
		line := rr.lines.Text()
		if count > 0 {
			text.WriteByte('\n')
		}
		text.WriteString(line)
		count++
		rec.endLine = n
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
				rec.fields = append(rec.fields, cur.String())
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
			rec.problems = append(rec.problems, event.Problem{Line: rec.line, Msg: fmt.Sprintf("quoted field not closed within %d lines, cut", rr.maxLines)})
			rec.unclosed = true
			break
		}
		if !rr.lines.Scan() {
			rec.problems = append(rec.problems, event.Problem{Line: rec.line, Msg: "quoted field not closed at the end of the input"})
			rec.unclosed = true
			break
		}
		cur.WriteByte('\n')
	}
	rec.fields = append(rec.fields, cur.String())
	rec.text = text.String()
	return rec, true
}

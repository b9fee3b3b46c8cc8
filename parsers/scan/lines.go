package scan

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// DefaultMaxLine is the longest line Lines returns whole: 1 MiB.
const DefaultMaxLine = 1 << 20

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Lines reads text one line at a time, like bufio.Scanner, but a line longer
// than the limit is cut (and marked so) instead of stopping the scan, and
// the line endings LF and CRLF are both removed. A UTF-8 byte order mark at
// the start of the input is dropped. Memory is bounded by the limit.
type Lines struct {
	r         *bufio.Reader
	max       int
	buf       []byte // holds a line that spans bufio's buffer
	line      []byte // the current line, without its ending
	n         int
	truncated bool
	err       error
	done      bool
}

// NewLines returns a Lines reading from r that cuts lines at max bytes
// (DefaultMaxLine when max <= 0).
func NewLines(r io.Reader, max int) *Lines {
	if max <= 0 {
		max = DefaultMaxLine
	}
	return &Lines{r: bufio.NewReaderSize(r, 64<<10), max: max}
}

// Scan advances to the next line. It returns false at the end of the input
// or on a read error; Err tells them apart.
func (l *Lines) Scan() bool {
	if l.done {
		return false
	}
	l.buf = l.buf[:0]
	l.truncated = false
	spanned := false
	for {
		chunk, err := l.r.ReadSlice('\n')
		switch {
		case err == nil:
			return l.finish(l.take(chunk, spanned))
		case errors.Is(err, bufio.ErrBufferFull):
			l.buf = l.take(chunk, true)
			spanned = true
		case errors.Is(err, io.EOF):
			l.done = true
			if !spanned && len(chunk) == 0 {
				return false
			}
			return l.finish(l.take(chunk, spanned))
		default:
			l.done = true
			l.err = err
			return false
		}
	}
}

// take returns the line read so far: chunk itself when the line came in one
// piece, else the spanning buffer with chunk added. The buffer keeps at
// most max+2 bytes (the limit plus a CRLF); anything beyond marks the line
// truncated.
func (l *Lines) take(chunk []byte, spanned bool) []byte {
	if !spanned {
		return chunk
	}
	if room := l.max + 2 - len(l.buf); len(chunk) > room {
		l.truncated = true
		chunk = chunk[:max(room, 0)]
	}
	return append(l.buf, chunk...)
}

// finish strips the line ending (and a leading BOM on line 1) and applies
// the limit.
func (l *Lines) finish(line []byte) bool {
	l.n++
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if len(line) > l.max {
		line = line[:l.max]
		l.truncated = true
	}
	if l.n == 1 {
		line = bytes.TrimPrefix(line, utf8BOM)
	}
	l.line = line
	return true
}

// Text returns the current line without its line ending, as a new string.
func (l *Lines) Text() string { return string(l.line) }

// Number returns the 1-based number of the current line.
func (l *Lines) Number() int { return l.n }

// Truncated reports whether the current line was longer than the limit and
// was cut to it.
func (l *Lines) Truncated() bool { return l.truncated }

// Err returns the first read error other than io.EOF.
func (l *Lines) Err() error { return l.err }

// Bytes returns the current line without its line ending. The slice is
// only valid until the next call of Scan.
func (l *Lines) Bytes() []byte { return l.line }

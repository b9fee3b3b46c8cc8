package uccapilog

import (
	"bytes"
	"errors"
	"io"
)

// readSize is the most the splitter asks of its reader at a time.
const readSize = 64 << 10

// readChunk is how much the splitter asks of its reader at a time when
// filling a batch of want bytes: no more than the batch, so that the
// small first batches of an input fit small buffers.
func readChunk(want int) int { return min(readSize, max(want, 1)) }

// maxBatchLines is the most lines of a batch: 16,384 lines take 0.9 MB
// of line tables. A batch of 512 KiB holds about 5,000 lines of a client
// log, but one of blank lines would hold 500,000 and 30 MB of tables
// (BENCHMARKS.md, "Hostile inputs").
const maxBatchLines = 16 << 10

// maxEmptyReads is how many reads in a row that return nothing make the
// input count as broken: bufio.Reader's limit, which scan.Lines has.
const maxEmptyReads = 100

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// splitter reads an input straight into the text of batches and finds its
// lines there, the way scan.Lines splits them: LF and CRLF endings
// removed, a line longer than max cut to max and flagged, a UTF-8 byte
// order mark at the start of the input dropped, a read error ending the
// input and the line it cut short. Only the start of a line that goes on
// past a batch is copied, into the next one.
type splitter struct {
	r   io.Reader
	max int
	// maxLines is the most lines of a batch; 0 means maxBatchLines.
	maxLines int
	n        int    // lines so far
	carry    []byte // the start of the line that goes on in the next batch
	skip     bool   // the rest of a line cut at max is being dropped
	done     bool
	err      error // the read error that ended the input, if any
}

// line is a line of a batch, as the splitter found it.
type line struct {
	start, end int
	truncated  bool
}

// fill empties b and reads into it lines of about want bytes in all (at
// least one line, unless the input ends), and at most maxLines lines,
// passing each to add. It returns false once the input has ended: b then
// holds its last lines.
func (sp *splitter) fill(b *batch, want int, add func(b *batch, l line)) bool {
	b.text = append(b.text[:0], sp.carry...)
	sp.carry = sp.carry[:0]
	start, from := 0, 0 // the start of the current line, where to look for its end
	lines, empty := 0, 0
	chunk := readChunk(want)
	limit := sp.maxLines
	if limit <= 0 {
		limit = maxBatchLines
	}
	for {
		// The lines that end in what was read.
		for lines < limit {
			i := bytes.IndexByte(b.text[from:], '\n')
			if i < 0 {
				from = len(b.text)
				break
			}
			end := from + i
			sp.emit(b, start, end, add)
			lines++
			start, from = end+1, end+1
		}
		if lines >= limit {
			// Full: a batch of many short lines (a flood of blank ones)
			// would need line tables as large as its text many times
			// over. The rest goes on in the next batch, read or not.
			break
		}
		if sp.done {
			// The last line, without a line end.
			if sp.err == nil && start < len(b.text) && !sp.skip {
				sp.emit(b, start, min(len(b.text), start+sp.max+2), add)
			}
			b.text = b.text[:min(len(b.text), start+sp.max+2)]
			return false
		}
		if len(b.text)-start > sp.max+2 {
			// No end in sight: the line is cut, and the rest of it dropped.
			sp.emit(b, start, start+sp.max+2, add)
			lines++
			b.text = b.text[:start+sp.max+2]
			start, from = len(b.text), len(b.text)
			sp.skip = true
		}
		if len(b.text) >= want && start > 0 {
			break
		}
		// Read on, into room for chunk bytes.
		if cap(b.text)-len(b.text) < chunk {
			b.text = append(b.text, make([]byte, chunk)...)[:len(b.text)]
		}
		at := len(b.text)
		n, err := sp.r.Read(b.text[at : at+chunk])
		if n < 0 || n > chunk {
			err, n = errors.New("invalid read count"), 0
		}
		b.text = b.text[:at+n]
		if sp.skip && n > 0 {
			i := bytes.IndexByte(b.text[at:], '\n')
			if i < 0 {
				b.text = b.text[:at]
			} else {
				b.text = append(b.text[:at], b.text[at+i+1:]...)
				sp.skip = false
			}
		}
		switch {
		case err == io.EOF:
			sp.done = true
		case err != nil:
			sp.done, sp.err = true, err
		case n == 0:
			if empty++; empty == maxEmptyReads {
				sp.done, sp.err = true, io.ErrNoProgress
			}
		default:
			empty = 0
		}
	}
	sp.carry = append(sp.carry, b.text[start:]...)
	b.text = b.text[:start]
	return true
}

// emit passes the line raw = b.text[start:end] (without its '\n') to add,
// its ending removed and cut at max as scan.Lines does.
func (sp *splitter) emit(b *batch, start, end int, add func(b *batch, l line)) {
	sp.n++
	if end > start && b.text[end-1] == '\r' {
		end--
	}
	l := line{start: start, end: end}
	if end-start > sp.max {
		l.end, l.truncated = start+sp.max, true
	}
	if sp.n == 1 && bytes.HasPrefix(b.text[l.start:l.end], utf8BOM) {
		l.start += len(utf8BOM)
	}
	add(b, l)
}

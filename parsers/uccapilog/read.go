package uccapilog

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"
)

// The parser reads its input in three stages on three goroutines: a reader
// splits the input into lines and parses their log prefixes, a matcher
// runs scan.MayMatch over each line (the one pass over every byte), and
// the parser proper reads the lines in batches. What the first two find
// is a function of each line alone, so the events do not depend on how
// the stages interleave.
const (
	// batchBytes is the text a batch collects before it is handed over
	// (a longer line makes its batch longer, up to maxLine) when every
	// SIP block is parsed (sfblog parse), and skimBatchBytes when
	// Options.Keep skips most of them (an analysis). A skimming parser
	// does little per line, and hands batches over less often with
	// 512 KiB: analyze of a 256 MiB log takes 10-20% less wall time than
	// with 128 KiB (1 MiB gains nothing more). One that parses every
	// block is 5-7% slower with 512 KiB (more of the batches' text
	// falls out of the caches before it is parsed).
	batchBytes     = 128 << 10
	skimBatchBytes = 512 << 10
	// batches is how many batches are in use at once: one being filled,
	// one being matched, one being parsed and one waiting.
	batches = 4
	// firstBatchBytes is the text of the first batch; each next one holds
	// twice the one before, up to batchBytes or skimBatchBytes. The
	// matcher and the parser wait for the first batch, the output for
	// the last: small first batches shorten the wait at the start. A
	// batch's buffer is sized for its text (and a read, no larger), so
	// that a small input costs little: with buffers of the largest size
	// from the start, each of 9,000 small logs cost about 700 KB of
	// zeroed memory (BENCHMARKS.md).
	firstBatchBytes = 4 << 10
)

// batch is a run of lines: the text they were read in, and for each the
// start and end of its text (without its line ending), its flags and its
// log prefix.
type batch struct {
	text   []byte
	starts []int
	ends   []int
	flags  []uint8
	pres   []linePrefix // the prefix of each line with flagPrefixed
	first  int          // the number of the first line
	last   bool         // the input ends after this batch
	err    error        // the read error that ended the input, if any
}

// Line flags.
const (
	flagTruncated = 1 << iota // cut at maxLine
	flagMayMatch              // scan.MayMatch(line)
	flagPrefixed              // the line has a log prefix (clock.parsePrefix)
)

// linePrefix is a prefix as the reader found it: the time and where the
// fields are in the line. It holds no pointer (a time.Time holds its
// location's), so that the collector neither scans a batch's prefixes nor
// tracks their writes.
type linePrefix struct {
	sec                int64 // the time: seconds and nanoseconds of time.Unix, in UTC
	nsec               int32
	thread, level, msg span
	sep                bool
}

// span is a part of a line: line[lo:hi].
type span struct{ lo, hi int32 }

// spanOf returns where sub, a part of s (or empty), is in s. sub must
// keep the capacity of s (s[i:j] does; bytes.Fields does not): a bug
// there panics, which the reader reports as a read error.
func spanOf(s, sub []byte) span {
	if len(sub) == 0 {
		return span{}
	}
	lo := cap(s) - cap(sub)
	if lo < 0 || lo+len(sub) > len(s) || &s[lo] != &sub[0] {
		panic("uccapilog: spanOf: not a part of the line")
	}
	return span{int32(lo), int32(lo + len(sub))}
}

// of returns the part sp of the line s, nil for an empty span.
func (sp span) of(s []byte) []byte {
	if sp.hi == 0 {
		return nil
	}
	return s[sp.lo:sp.hi]
}

// prefixOf sets *p to the prefix of line i, which has flagPrefixed.
func (b *batch) prefixOf(i int, s []byte, p *prefix) {
	lp := &b.pres[i]
	*p = prefix{time: time.Unix(lp.sec, int64(lp.nsec)).UTC(), thread: lp.thread.of(s), level: lp.level.of(s), msg: s[lp.msg.lo:lp.msg.hi], sep: lp.sep}
}

func (b *batch) line(i int) []byte { return b.text[b.starts[i]:b.ends[i]] }

// reader runs the first two stages: run fills batches from free and sends
// them to mid, match flags their lines and sends them to full, until the
// input ends or stop is closed.
type reader struct {
	split splitter
	clock clock
	may   func([]byte) bool // scan.MayMatch
	want  int               // the text of a batch: batchBytes or skimBatchBytes
	grow  int               // the text of the next batch: from firstBatchBytes up to want
	read  int64             // bytes of the batches so far: with split.n, the mean line (linesIn)
	pre   prefix            // the prefix of the line add is at
	free  chan *batch
	mid   chan *batch
	full  chan *batch
	stop  chan struct{}
	done  sync.WaitGroup
}

// startReader starts the first two stages over r, with may as the
// prefilter and batches of about want bytes. Its caller must call close
// once it reads no more batches.
func startReader(r io.Reader, may func([]byte) bool, want int) *reader {
	rd := &reader{
		split: splitter{r: r, max: maxLine},
		may:   may,
		want:  want,
		grow:  min(firstBatchBytes, want),
		free:  make(chan *batch, batches),
		mid:   make(chan *batch, batches),
		full:  make(chan *batch, batches),
		stop:  make(chan struct{}),
	}
	for range batches {
		rd.free <- &batch{}
	}
	rd.done.Add(2)
	go rd.run()
	go rd.match()
	return rd
}

// fail ends the input with a panic of stage as a read error, sending b
// (or a new batch) to out: a panic would be a bug, and must not take the
// process down.
func (rd *reader) fail(stage string, v any, b *batch, out chan<- *batch) {
	if b == nil {
		b = &batch{}
	}
	b.last, b.err = true, fmt.Errorf("%s: panic: %v", stage, v)
	select {
	case out <- b:
	case <-rd.stop:
	}
}

func (rd *reader) run() {
	defer rd.done.Done()
	var b *batch
	defer func() {
		if v := recover(); v != nil {
			// Through the matcher, behind the batches before it.
			rd.fail("line reader", v, b, rd.mid)
		}
	}()
	for {
		select {
		case b = <-rd.free:
		case <-rd.stop:
			return
		}
		n := rd.grow
		rd.grow = min(2*n, rd.want)
		if cap(b.text) > 4*rd.want {
			// A batch that held a very long line lets its buffer go.
			b.text = nil
		}
		if cap(b.text) < n+readChunk(n) {
			// Room for a batch and the read that ends it, at once.
			b.text = make([]byte, 0, n+readChunk(n))
		}
		b.starts, b.ends, b.flags, b.pres = b.starts[:0], b.ends[:0], b.flags[:0], b.pres[:0]
		b.first, b.last, b.err = rd.split.n+1, false, nil
		b.reserve(rd.linesIn(n + readChunk(n)))
		if !rd.split.fill(b, n, rd.add) {
			b.last, b.err = true, rd.split.err
		}
		rd.read += int64(len(b.text))
		last := b.last // once sent, b belongs to the matcher
		select {
		case rd.mid <- b:
		case <-rd.stop:
			return
		}
		if last {
			return
		}
		b = nil
	}
}

// linesIn estimates the lines in n bytes of the input, from the mean
// length of the lines read so far (64 bytes before any), a quarter more
// to spare.
func (rd *reader) linesIn(n int) int {
	mean := int64(64)
	if lines := int64(rd.split.n); lines > 0 {
		mean = max(rd.read/lines, 1)
	}
	return min(int(int64(n)/mean)*5/4, maxBatchLines)
}

// reserve makes room in the line tables of the empty batch b for n lines.
// Grown by append from nothing, each table would leave as much garbage
// again in fresh pages, which cost more than the bytes: a page first
// touched costs about 2 µs on the machines measured (BENCHMARKS.md).
// What is reserved and not used is never touched.
func (b *batch) reserve(n int) {
	if cap(b.starts) >= n {
		return
	}
	b.starts, b.ends = make([]int, 0, n), make([]int, 0, n)
	b.flags, b.pres = make([]uint8, 0, n), make([]linePrefix, 0, n)
}

// add records the line l of b: its place, its flags and its log prefix.
func (rd *reader) add(b *batch, l line) {
	s := b.text[l.start:l.end]
	var f uint8
	if l.truncated {
		f |= flagTruncated
	}
	var lp linePrefix
	if pre := &rd.pre; rd.clock.parsePrefix(s, pre) {
		f |= flagPrefixed
		lp = linePrefix{sec: pre.time.Unix(), nsec: int32(pre.time.Nanosecond()), thread: spanOf(s, pre.thread), level: spanOf(s, pre.level), msg: spanOf(s, pre.msg), sep: pre.sep}
		if len(pre.msg) == 0 {
			lp.msg = span{int32(len(s)), int32(len(s))}
		}
	}
	b.starts = append(b.starts, l.start)
	b.ends = append(b.ends, l.end)
	b.flags = append(b.flags, f)
	b.pres = append(b.pres, lp)
}

// match is the second stage: it sets flagMayMatch on the lines of each
// batch from mid and sends it on to full.
func (rd *reader) match() {
	defer rd.done.Done()
	var b *batch
	defer func() {
		if v := recover(); v != nil {
			rd.fail("line matcher", v, b, rd.full)
		}
	}()
	// The first call of scan.MayMatch builds its tables (about a
	// millisecond): here, while the reader fills the first batch.
	rd.may(nil)
	for {
		select {
		case b = <-rd.mid:
		case <-rd.stop:
			return
		}
		for i := range b.ends {
			if rd.may(b.line(i)) {
				b.flags[i] |= flagMayMatch
			}
		}
		last := b.last // once sent, b belongs to the parser
		select {
		case rd.full <- b:
		case <-rd.stop:
			return
		}
		if last {
			return
		}
		b = nil
	}
}

// next returns the next batch, nil when ctx is done.
func (rd *reader) next(ctx context.Context) (*batch, error) {
	select {
	case b := <-rd.full:
		return b, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// release gives a parsed batch back to the reader.
func (rd *reader) release(b *batch) { rd.free <- b }

// close stops the reader and the matcher and waits for them: once close
// returns, nothing reads the input any more.
func (rd *reader) close() {
	close(rd.stop)
	rd.done.Wait()
}

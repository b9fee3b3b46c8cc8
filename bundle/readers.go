package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
)

// pathError names the entry whose reading failed.
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string { return e.path + ": " + e.err.Error() }
func (e *pathError) Unwrap() error { return e.err }

// pathErr wraps err so that it names the entry p, unless err already names
// an entry (the one nearest to the damage, in nested archives).
func pathErr(p string, err error) error {
	var pe *pathError
	if errors.As(err, &pe) {
		return err
	}
	return &pathError{path: p, err: err}
}

// budget is what one Walk may still decompress and hold in memory. It is
// shared by the walk and the readers of its entries, which may run in
// other goroutines.
type budget struct {
	bytesLeft atomic.Int64 // Options.MaxBytes minus what was decompressed
	maxBytes  int64
	memHeld   atomic.Int64 // bytes of memory buffers alive
	maxMem    int64
}

func newBudget(opt Options) *budget {
	b := &budget{maxBytes: opt.MaxBytes, maxMem: opt.MaxMemory}
	b.bytesLeft.Store(opt.MaxBytes)
	return b
}

// spend takes n decompressed bytes from the budget and reports whether it
// was not overdrawn.
func (b *budget) spend(n int) bool { return b.bytesLeft.Add(-int64(n)) >= 0 }

// spent reports whether nothing is left to decompress.
func (b *budget) spent() bool { return b.bytesLeft.Load() <= 0 }

// errSpent is the error of reading past the budget.
func (b *budget) errSpent() error {
	return fmt.Errorf("%w (%s per run): the input is not read further", ErrBudget, sizeText(b.maxBytes))
}

// reserve takes n bytes of memory for a buffer; false means that it would
// pass Options.MaxMemory, and nothing is taken.
func (b *budget) reserve(n int64) bool {
	for {
		held := b.memHeld.Load()
		if held+n > b.maxMem {
			return false
		}
		if b.memHeld.CompareAndSwap(held, held+n) {
			return true
		}
	}
}

// free gives back memory taken by reserve.
func (b *budget) free(n int64) { b.memHeld.Add(-n) }

// guardedReader limits what is read from one decompressed entry (its size
// limit and the run's budget) and makes read errors name the entry.
type guardedReader struct {
	r      io.Reader
	c      io.Closer // nil when there is nothing to close
	path   string
	left   int64 // bytes that may still be read from this entry
	over   error // the reason once left is passed
	budget *budget
	err    error // sticky error once a limit is passed
}

// guard wraps r, whose resources c releases (c may be nil), for the entry
// p: at most limit bytes may be read, over is the reason past it, and
// every byte read counts against the run's budget when b is not nil.
func guard(r io.Reader, c io.Closer, p string, limit int64, over error, b *budget) io.ReadCloser {
	return &guardedReader{r: r, c: c, path: p, left: limit, over: over, budget: b}
}

func (g *guardedReader) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if int64(len(p)) > g.left {
		p = p[:g.left+1] // one byte past the limit tells that it was passed
	}
	n, err := g.r.Read(p)
	if int64(n) > g.left {
		n = int(g.left)
		g.left = 0
		g.err = pathErr(g.path, g.over)
		return n, g.err
	}
	g.left -= int64(n)
	if g.budget != nil && !g.budget.spend(n) {
		g.err = pathErr(g.path, g.budget.errSpent())
		return n, g.err
	}
	if err != nil && !errors.Is(err, io.EOF) {
		err = pathErr(g.path, err)
	}
	return n, err
}

func (g *guardedReader) Close() error {
	if g.c == nil {
		return nil
	}
	return g.c.Close()
}

// ctxReader stops a long copy when the context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// buffer is content copied for random access.
type buffer interface {
	ReadSeekCloser
	io.ReaderAt
	Size() int64
}

// Chunk sizes of memory buffers: content is held in chunks rather than one
// growing slice, so that a buffer never holds more than its content plus
// one chunk (a growing slice holds up to three times its content while it
// is copied to a larger one).
const (
	minChunk = 64 << 10
	maxChunk = 1 << 20
)

// chunks is content in memory: every chunk but the last is full.
type chunks struct {
	data   [][]byte
	starts []int64 // offset of each chunk
	size   int64
}

func (c *chunks) add(b []byte) {
	c.data = append(c.data, b)
	c.starts = append(c.starts, c.size)
	c.size += int64(len(b))
}

// ReadAt implements io.ReaderAt.
func (c *chunks) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("bundle: negative offset")
	}
	if off >= c.size {
		return 0, io.EOF
	}
	i := sort.Search(len(c.starts), func(i int) bool { return c.starts[i] > off }) - 1
	n := 0
	for ; n < len(p) && i < len(c.data); i++ {
		n += copy(p[n:], c.data[i][off+int64(n)-c.starts[i]:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// memBuffer is a buffer in memory, counted against Options.MaxMemory until
// it is closed.
type memBuffer struct {
	*io.SectionReader
	c        *chunks
	reserved int64
	budget   *budget
	once     sync.Once
}

func newMemBuffer(c *chunks, reserved int64, b *budget) *memBuffer {
	return &memBuffer{SectionReader: io.NewSectionReader(c, 0, c.size), c: c, reserved: reserved, budget: b}
}

// Close gives the memory back to the budget; later calls do nothing.
func (m *memBuffer) Close() error {
	m.once.Do(func() { m.budget.free(m.reserved) })
	return nil
}

// spill copies r into memory while it fits what is left of
// Options.MaxMemory, else into a temporary file. hint is the expected size,
// -1 when unknown.
//
// Content that ends early (io.ErrUnexpectedEOF: a gzip cut short) is
// spilled as far as it goes, with no error: a reader with random access
// (an event log's) sees a shorter file, which it reports as cut short.
func (w *walker) spill(r io.Reader, hint int64) (buffer, error) {
	r = ctxReader{ctx: w.ctx, r: r}
	var (
		mem      chunks
		reserved int64
	)
	free := func() {
		w.budget.free(reserved)
		reserved, mem = 0, chunks{}
	}
	if hint <= w.opt.MaxMemory {
		for {
			size := int64(maxChunk)
			switch {
			case hint >= mem.size && hint-mem.size < maxChunk:
				size = hint - mem.size + 1 // one byte more tells whether the content ends there
			case mem.size < maxChunk: // size unknown, or longer than it said
				size = max(minChunk, mem.size)
			}
			if !w.budget.reserve(size) {
				break // does not fit: on to a temporary file
			}
			reserved += size
			buf := make([]byte, size)
			k, err := io.ReadFull(r, buf)
			if k > 0 {
				mem.add(buf[:k])
			}
			switch {
			case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
				return newMemBuffer(&mem, reserved, w.budget), nil
			case err != nil:
				free()
				return nil, err
			}
		}
	}
	t, err := w.temps.create(w.opt.TempDir)
	if err != nil {
		free()
		return nil, err
	}
	for _, c := range mem.data {
		if _, err := t.Write(c); err != nil {
			free()
			_ = t.Close()
			return nil, fmt.Errorf("write temporary file: %w", err)
		}
	}
	t.size = mem.size
	free()
	n, err := io.Copy(t.File, r)
	t.size += n
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil // as far as it goes, as in memory
	}
	if err == nil {
		_, err = t.Seek(0, io.SeekStart)
	}
	if err != nil {
		_ = t.Close()
		return nil, err
	}
	return t, nil
}

// scope tells whether the archive that holds some entries is still open,
// and makes their paths unique (unique).
type scope struct {
	released atomic.Bool
	names    map[string]int // paths given (walker's goroutine only)
}

// unique returns p, or, when the archive has given p already, "p (2)",
// "p (3)", ...: an archive may hold a name twice (a tar appended to, a zip
// written so), and an analysis tells its inputs apart by their paths. The
// one given first keeps the name.
func (s *scope) unique(p string) string {
	if s.names == nil {
		s.names = map[string]int{}
	}
	if _, ok := s.names[p]; !ok {
		s.names[p] = 1
		return p
	}
	for {
		s.names[p]++
		q := fmt.Sprintf("%s (%d)", p, s.names[p])
		if _, ok := s.names[q]; !ok {
			s.names[q] = 1
			return q
		}
	}
}

func (s *scope) release() { s.released.Store(true) }

// check fails once the archive is released.
func (s *scope) check(p string) error {
	if s.released.Load() {
		return pathErr(p, errReleased)
	}
	return nil
}

// nopSeekCloser adds a Close that does nothing.
type nopSeekCloser struct{ io.ReadSeeker }

func (nopSeekCloser) Close() error { return nil }

// sizeText writes a byte count for a reason: "4 GiB", "300 MiB", "1000 bytes".
func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

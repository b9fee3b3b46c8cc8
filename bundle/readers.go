package bundle

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
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

// guardedReader enforces Options.MaxEntrySize on what is actually read and
// makes read errors name the entry.
type guardedReader struct {
	r     io.Reader
	c     io.Closer // nil when there is nothing to close
	path  string
	left  int64 // bytes that may still be read
	limit int64
	err   error // sticky error once the limit is passed
}

// guard wraps r, whose resources c releases (c may be nil), for the entry p.
func (w *walker) guard(r io.Reader, c io.Closer, p string) io.ReadCloser {
	return &guardedReader{r: r, c: c, path: p, left: w.opt.MaxEntrySize, limit: w.opt.MaxEntrySize}
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
		g.err = pathErr(g.path, fmt.Errorf("uncompressed content %w of %d bytes", ErrTooLarge, g.limit))
		return n, g.err
	}
	g.left -= int64(n)
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

// memBuffer is a buffer in memory.
type memBuffer struct{ *bytes.Reader }

func (memBuffer) Close() error { return nil }

// tempBuffer is a buffer in a temporary file that Close removes.
type tempBuffer struct {
	*os.File
	size int64
	once sync.Once
	err  error
}

func (t *tempBuffer) Size() int64 { return t.size }

// Close closes and removes the temporary file; later calls do nothing.
func (t *tempBuffer) Close() error {
	t.once.Do(func() {
		t.err = errors.Join(t.File.Close(), os.Remove(t.File.Name()))
	})
	return t.err
}

// spill copies r into memory when it fits Options.MaxMemory, else into a
// temporary file. hint is the expected size, -1 when unknown.
func (w *walker) spill(r io.Reader, hint int64) (buffer, error) {
	r = ctxReader{ctx: w.ctx, r: r}
	var prefix []byte
	if hint <= w.opt.MaxMemory {
		var buf bytes.Buffer
		if hint >= 0 {
			buf.Grow(int(hint) + bytes.MinRead)
		}
		limit := w.opt.MaxMemory
		if limit < math.MaxInt64 {
			limit++ // one byte more tells that the content does not fit
		}
		_, err := io.CopyN(&buf, r, limit)
		if errors.Is(err, io.EOF) {
			return memBuffer{bytes.NewReader(buf.Bytes())}, nil
		}
		if err != nil {
			return nil, err
		}
		prefix = buf.Bytes() // larger than MaxMemory after all
	}
	f, err := os.CreateTemp(w.opt.TempDir, "sfblog-*")
	if err != nil {
		return nil, fmt.Errorf("make temporary file: %w", err)
	}
	t := &tempBuffer{File: f}
	n, err := f.Write(prefix)
	if err == nil {
		var m int64
		m, err = io.Copy(f, r)
		t.size = int64(n) + m
	}
	if err != nil {
		_ = t.Close()
		return nil, err
	}
	return t, nil
}

// scope tells whether the archive that holds some entries is still open.
type scope struct{ released atomic.Bool }

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

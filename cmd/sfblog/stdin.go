package main

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
)

// stdin is standard input as the commands read it: a Read returns as soon
// as ctx is done, even while the real read is blocked on a pipe or a
// terminal that sends nothing (an interrupted "sfblog analyze -" then stops
// at once and the bundle removes its temporary files), and the bytes read
// are counted for the progress display.
//
// The real reads happen in one goroutine, started by the first Read, one
// chunk ahead of the caller. When ctx is done while that goroutine is
// blocked, it stays blocked until the process exits.
type stdin struct {
	ctx  context.Context
	r    io.Reader
	n    atomic.Int64 // bytes handed to the caller
	once sync.Once
	ch   chan chunk // filled by the reading goroutine
	rest []byte     // what the caller has not taken of the last chunk
	err  error      // the error that ended the stream
}

type chunk struct {
	b   []byte
	err error
}

func newStdin(ctx context.Context, r io.Reader) *stdin {
	return &stdin{ctx: ctx, r: r, ch: make(chan chunk)}
}

// Read implements io.Reader.
func (s *stdin) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for len(s.rest) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		s.once.Do(func() { go s.pump() })
		select {
		case <-s.ctx.Done():
			s.err = s.ctx.Err()
			return 0, s.err
		case c := <-s.ch:
			s.rest, s.err = c.b, c.err
		}
	}
	n := copy(p, s.rest)
	s.rest = s.rest[n:]
	s.n.Add(int64(n))
	return n, nil
}

// bytesRead returns how many bytes of standard input were read so far.
func (s *stdin) bytesRead() int64 { return s.n.Load() }

// maxEmptyReads is how many reads in a row that return neither data nor an
// error make standard input count as broken: bufio.Reader's limit.
const maxEmptyReads = 100

// pump reads r until an error or ctx is done.
func (s *stdin) pump() {
	var b []byte
	empty := 0
	for {
		if b == nil {
			b = make([]byte, 64<<10)
		}
		n, err := s.r.Read(b)
		if n == 0 && err == nil {
			if empty++; empty < maxEmptyReads {
				continue
			}
			err = io.ErrNoProgress
		}
		empty = 0
		c := chunk{b[:n], err}
		b = nil // the chunk is the caller's now
		select {
		case s.ch <- c:
		case <-s.ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

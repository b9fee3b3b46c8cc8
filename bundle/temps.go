package bundle

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

// errTempsClosed is the error of making a temporary file once Temps is
// closed.
var errTempsClosed = errors.New("temporary files closed: the run is over")

// Temps is the set of temporary files that walks make when content does
// not fit Options.MaxMemory (standard input, nested archives, OpenSeeker of
// compressed entries). The zero value is ready to use.
//
// Where the system allows it (everywhere but Windows) a temporary file is
// removed from its folder as soon as it is made and lives on only as an
// open file: nothing is left behind on any exit, even a kill. On Windows
// the file is removed when it is closed, by its reader, by the end of the
// walk, by the cancellation of the walk's context, or by Temps.Close.
type Temps struct {
	mu     sync.Mutex
	open   map[*tempBuffer]struct{}
	closed bool
	made   atomic.Int64 // temporary files made, for tests
}

// Close closes and removes every temporary file still open, and makes
// later walks that use t fail to make one. Readers of those files then
// fail. It is safe to call from any goroutine and more than once; a CLI
// calls it before it exits, including on SIGINT and SIGTERM.
func (t *Temps) Close() error {
	t.mu.Lock()
	t.closed = true
	open := t.open
	t.open = nil
	t.mu.Unlock()
	var errs []error
	for b := range open {
		errs = append(errs, b.Close())
	}
	return errors.Join(errs...)
}

// count returns how many temporary files are open.
func (t *Temps) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.open)
}

// create makes a temporary file in dir ("" means os.TempDir()).
func (t *Temps) create(dir string) (*tempBuffer, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, errTempsClosed
	}
	f, err := os.CreateTemp(dir, "sfblog-*")
	if err != nil {
		return nil, fmt.Errorf("make temporary file: %w", err)
	}
	b := &tempBuffer{File: f, temps: t}
	if runtime.GOOS != "windows" && os.Remove(f.Name()) == nil {
		b.removed = true
	}
	if t.open == nil {
		t.open = make(map[*tempBuffer]struct{})
	}
	t.open[b] = struct{}{}
	t.made.Add(1)
	return b, nil
}

// forget drops b from the open files.
func (t *Temps) forget(b *tempBuffer) {
	t.mu.Lock()
	delete(t.open, b)
	t.mu.Unlock()
}

// tempBuffer is a buffer in a temporary file that Close removes.
type tempBuffer struct {
	*os.File
	size    int64
	temps   *Temps
	removed bool // already removed from its folder
	once    sync.Once
	err     error
}

func (b *tempBuffer) Size() int64 { return b.size }

// Close closes and removes the temporary file; later calls do nothing.
func (b *tempBuffer) Close() error {
	b.once.Do(func() {
		b.temps.forget(b)
		b.err = b.File.Close()
		if !b.removed {
			b.err = errors.Join(b.err, os.Remove(b.File.Name()))
		}
	})
	return b.err
}

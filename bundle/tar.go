package bundle

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"

	"github.com/sfblog/sfblog/mask"
)

// tarMagicOff is where a tar header holds its magic: "ustar\x0000" (POSIX)
// or "ustar  \x00" (GNU). The seventh-edition format has none; such a file
// is known by its name (.tar).
const tarMagicOff = 257

// isTar reports whether head, the first bytes of a file, begins a tar
// archive.
func isTar(head []byte) bool {
	return len(head) >= tarMagicOff+5 && string(head[tarMagicOff:tarMagicOff+5]) == "ustar"
}

// tar walks the regular files of the tar archive s in archive order.
// Folders are skipped; links and devices are yielded with an error, as in
// a folder. A tar with random access (a file, a stored zip entry,
// standard input) is read in place, its entries side by side (tarInPlace);
// any other (the content of a .tar.gz) is read as it streams, one entry at
// a time (tarStream), so that memory does not grow with it.
func (w *walker) tar(s *source, depth int) error {
	if depth > w.opt.MaxDepth {
		return w.tooDeep(s)
	}
	if w.budget.spent() {
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("%w (%s): archive not opened", ErrBudget, sizeText(w.budget.maxBytes)))
	}
	if s.ra == nil {
		return w.tarStream(s, depth)
	}
	return w.tarInPlace(s, depth)
}

// tarNext reads the next header of tr, the header of s's entry number n
// (from 0), and counts the entry against the run's limits. It returns a
// nil header at the end of the archive, and stop when the walk of s ends
// there (having said why, if it had to).
func (w *walker) tarNext(s *source, tr *tar.Reader, n int) (h *tar.Header, stop bool, err error) {
	if err := w.ctx.Err(); err != nil {
		return nil, true, err
	}
	h, err = tr.Next()
	switch {
	case errors.Is(err, io.EOF):
		return nil, true, nil
	case err != nil:
		if ctxErr := w.ctx.Err(); ctxErr != nil {
			return nil, true, ctxErr
		}
		return nil, true, w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("not a readable tar after %d entries: %w", n, err))
	case w.budget.spent():
		return nil, true, w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf(
			"%w (%s): its entries from the %s on not read", ErrBudget, sizeText(w.budget.maxBytes), ordinal(n+1)))
	case w.entries >= w.opt.MaxEntries:
		return nil, true, w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf(
			"%w: the limit of %d entries per run is reached; its entries from the %s on not read",
			ErrTooManyEntries, w.opt.MaxEntries, ordinal(n+1)))
	}
	w.entries++
	return h, false, nil
}

// tarFiles calls file with each regular file of tr, the tar s, and its
// display path, in archive order, until file says to stop or fails, or the
// archive ends.
func (w *walker) tarFiles(s *source, sc *scope, tr *tar.Reader, file func(p string, h *tar.Header) (stop bool, err error)) error {
	for n := 0; ; n++ {
		h, stop, err := w.tarNext(s, tr, n)
		if stop {
			return err
		}
		p, ok, err := w.tarEntry(s, sc, h)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if stop, err := file(p, h); stop || err != nil {
			return err
		}
	}
}

// tarEntry returns the display path of the entry h of s, and whether it
// is a regular file to walk. Anything else is skipped (a folder) or
// yielded with an error (a link, a device) here.
func (w *walker) tarEntry(s *source, sc *scope, h *tar.Header) (p string, file bool, err error) {
	name := mask.Secrets(strings.TrimPrefix(strings.ReplaceAll(entryName(h.Name), `\`, "/"), "./"))
	if h.Typeflag == tar.TypeDir || h.Typeflag == tar.TypeXGlobalHeader || name == "" || strings.HasSuffix(name, "/") {
		return "", false, nil
	}
	p = sc.unique(s.path + "!/" + name)
	switch h.Typeflag {
	case tar.TypeReg, tar.TypeCont: // archive/tar reads the '\x00' of old archives as TypeReg
	case tar.TypeSymlink, tar.TypeLink:
		return p, false, w.yieldErr(p, -1, h.ModTime, fmt.Errorf("link to %q, not followed", h.Linkname))
	case tar.TypeGNUSparse:
		return p, false, w.yieldErr(p, h.Size, h.ModTime, errors.New("sparse tar entry, not supported"))
	default:
		return p, false, w.yieldErr(p, -1, h.ModTime, fmt.Errorf("not a regular file (tar type %q)", h.Typeflag))
	}
	if h.Size > w.opt.MaxEntrySize {
		return p, false, w.yieldErr(p, h.Size, h.ModTime, fmt.Errorf("declared size of %d bytes %w of %d bytes",
			h.Size, ErrTooLarge, w.opt.MaxEntrySize))
	}
	return p, true, nil
}

// tarInPlace walks the tar s, which has random access, reading each entry
// in place. An entry that the archive cuts short is read as far as it
// goes, and its reading then fails naming it.
func (w *walker) tarInPlace(s *source, depth int) error {
	ra, size := s.ra, s.size
	sc := new(scope)
	defer sc.release()
	defer w.settle()
	sr := io.NewSectionReader(ra, 0, size)
	return w.tarFiles(s, sc, tar.NewReader(sr), func(p string, h *tar.Header) (bool, error) {
		off, err := sr.Seek(0, io.SeekCurrent)
		if err != nil {
			return true, w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("not a readable tar: %w", err))
		}
		avail := min(h.Size, size-off)
		cut := avail < h.Size
		base := share(uint64(avail), s.base, size)
		limit, over := w.limit(base)
		if avail > limit {
			return false, w.yieldErr(p, h.Size, h.ModTime, over)
		}
		short := fmt.Errorf("cut short: the archive ends %d bytes into the %d this entry declares: %w", avail, h.Size, io.ErrUnexpectedEOF)
		section := func() io.Reader {
			r := io.Reader(io.NewSectionReader(ra, off, avail))
			if cut {
				r = io.MultiReader(r, errReader{short})
			}
			return r
		}
		open := func() (io.ReadCloser, error) {
			if err := sc.check(p); err != nil {
				return nil, err
			}
			if w.budget.spent() {
				return nil, pathErr(p, w.budget.errSpent())
			}
			return guard(section(), nil, p, limit, over, w.budget), nil
		}
		openSeeker := func() (ReadSeekCloser, error) {
			if err := sc.check(p); err != nil {
				return nil, err
			}
			if !cut {
				return nopSeekCloser{io.NewSectionReader(ra, off, avail)}, nil
			}
			rc, err := open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return w.spill(rc, avail)
		}
		child := &source{path: p, name: path.Base(p), size: avail, base: base, modTime: h.ModTime, open: open, openSeeker: openSeeker}
		if !cut {
			child.ra = io.NewSectionReader(ra, off, avail)
		}
		// An entry cut short ends the archive: its reading tells.
		return cut, w.source(child, depth+1)
	})
}

// tarStream walks the tar s, which has no random access, as its content
// streams: each entry is yielded in turn, and the walk waits for the
// caller to finish with it (Options.Settle) before it reads on, so that
// only one entry is open at a time and nothing is copied but what a
// reader with random access needs (an event log) and the start of each
// entry (tarReplay). An entry whose declared size passes what the limits
// leave of the archive's content (the ratio, the budget) is refused, as a
// zip's entry would be; an entry the content cuts short (a .tar.gz cut
// short) is read as far as it goes.
func (w *walker) tarStream(s *source, depth int) error {
	rc, err := s.open()
	if err != nil {
		if ctxErr := w.ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("not a readable tar: %w", err))
	}
	defer rc.Close()
	cr := &countingReader{r: rc}
	tr := tar.NewReader(cr)
	limit, over := w.limit(s.base) // of the whole content: s's open guards it
	sc := new(scope)
	defer sc.release()
	return w.tarFiles(s, sc, tr, func(p string, h *tar.Header) (bool, error) {
		if left := limit - cr.n; h.Size > left {
			return false, w.yieldErr(p, h.Size, h.ModTime, fmt.Errorf(
				"declared size of %d bytes passes the %d bytes the archive may still expand to: %w", h.Size, max(left, 0), over))
		}
		if left := w.budget.bytesLeft.Load(); h.Size > left {
			return false, w.yieldErr(p, h.Size, h.ModTime, fmt.Errorf(
				"%w (%s per run): declared size of %d bytes passes the %d bytes left; not read", ErrBudget, sizeText(w.budget.maxBytes), h.Size, max(left, 0)))
		}
		rp := &tarReplay{r: tr, path: p, size: h.Size, sc: sc}
		openSeeker := func() (ReadSeekCloser, error) {
			rc, err := rp.open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return w.spill(rc, h.Size)
		}
		child := &source{path: p, name: path.Base(p), size: h.Size, base: s.base, modTime: h.ModTime, open: rp.open, openSeeker: openSeeker}
		err := w.source(child, depth+1)
		w.settle() // the caller is done with the entry: the stream may move on
		rp.release()
		return false, err
	})
}

// maxReplay is how many leading bytes of a streamed tar entry tarReplay
// keeps, so that the entry can be opened again from its start: the format
// sniffing reads at most 8 KiB before the parser opens it again.
const maxReplay = 64 << 10

// tarReplay opens one entry of a streamed tar as often as its readers
// need, one at a time: the first bytes read are kept (up to maxReplay),
// so that a reader that opens it after another has read only those gets
// them again, then the rest of the stream. A reader that would need bytes
// another reader consumed past them fails.
type tarReplay struct {
	mu   sync.Mutex
	r    io.Reader // the tar stream, at the entry's byte pos
	path string
	size int64 // declared
	sc   *scope
	kept []byte // the entry's first bytes, while they are all read from r
	pos  int64  // bytes of the entry read from r
	done bool   // released
}

// open returns a reader of the entry from its start.
func (t *tarReplay) open() (io.ReadCloser, error) {
	if err := t.sc.check(t.path); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return nil, pathErr(t.path, errReleased)
	}
	if t.pos > int64(len(t.kept)) {
		return nil, pathErr(t.path, fmt.Errorf("opened again after %d bytes were read: a streamed tar entry is kept for %d bytes", t.pos, maxReplay))
	}
	return &replayReader{t: t}, nil
}

// release drops what t keeps once the walk has moved on.
func (t *tarReplay) release() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.kept, t.done = nil, true
}

// replayReader reads a tarReplay's entry from its start.
type replayReader struct {
	t   *tarReplay
	off int64
}

func (r *replayReader) Read(p []byte) (int, error) {
	t := r.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return 0, pathErr(t.path, errReleased)
	}
	if r.off < int64(len(t.kept)) {
		n := copy(p, t.kept[r.off:])
		r.off += int64(n)
		return n, nil
	}
	if r.off != t.pos {
		return 0, pathErr(t.path, fmt.Errorf("read again past the %d bytes kept of a streamed tar entry", len(t.kept)))
	}
	n, err := t.r.Read(p)
	if n > 0 && t.pos == int64(len(t.kept)) && len(t.kept) < maxReplay {
		t.kept = append(t.kept, p[:min(n, maxReplay-len(t.kept))]...)
	}
	t.pos += int64(n)
	r.off += int64(n)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = fmt.Errorf("%s: cut short: the archive ends %d bytes into the %d this entry declares: %w", t.path, t.pos, t.size, err)
	case err != nil && !errors.Is(err, io.EOF):
		err = fmt.Errorf("%s: %w", t.path, err)
	}
	return n, err
}

func (r *replayReader) Close() error { return nil }

// countingReader counts the bytes read from r.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// errReader fails every read with err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// ordinal writes n as "1st", "2nd", "3rd", "4th", ...
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

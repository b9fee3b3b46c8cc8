package bundle

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

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

// tar walks the regular files of the tar archive s in archive order. Their
// bytes are read in place: in s itself when it has random access (a file,
// a stored zip entry, standard input), else in a copy of s that release
// removes (the content of a .tar.gz). Folders are skipped; links and
// devices are yielded with an error, as in a folder; an entry that the
// archive cuts short is read as far as it goes, and its reading then fails
// naming it. When the copy stops early (a .tar.gz cut short, or over the
// ratio or the budget), the entries before are read all the same, and the
// archive is yielded once more with the reason; the entry the copy stops
// in is read as far as it goes when the gzip was cut short, and refused,
// as a zip's would be, when a limit stopped it.
func (w *walker) tar(s *source, depth int) error {
	if depth > w.opt.MaxDepth {
		return w.tooDeep(s)
	}
	if w.budget.spent() {
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("%w (%s): archive not opened", ErrBudget, sizeText(w.budget.maxBytes)))
	}
	ra, size, release, readErr, err := w.randomAccessSome(s)
	if err != nil {
		if ctxErr := w.ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("not a readable tar: %w", err))
	}
	defer release()
	sc := new(scope)
	defer sc.release()
	defer w.settle()
	// ended reports why the archive's content ends early, if it does:
	// a .tar.gz cut short, or over a limit.
	ended := func() error {
		if readErr == nil {
			return nil
		}
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("read up to byte %d only: %w", size, readErr))
	}
	sr := io.NewSectionReader(ra, 0, size)
	tr := tar.NewReader(sr)
	for n := 0; ; n++ {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) || err != nil && readErr != nil {
			return ended()
		}
		if err != nil {
			return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("not a readable tar after %d entries: %w", n, err))
		}
		if w.budget.spent() {
			return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf(
				"%w (%s): its entries from the %s on not read", ErrBudget, sizeText(w.budget.maxBytes), ordinal(n+1)))
		}
		if w.entries >= w.opt.MaxEntries {
			return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf(
				"%w: the limit of %d entries per run is reached; its entries from the %s on not read",
				ErrTooManyEntries, w.opt.MaxEntries, ordinal(n+1)))
		}
		w.entries++
		off, err := sr.Seek(0, io.SeekCurrent)
		if err != nil {
			return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("not a readable tar: %w", err))
		}
		cut, err := w.tarFile(s, sc, ra, size, readErr, h, off, depth+1)
		if err != nil {
			return err
		}
		if cut {
			return ended() // an entry cut short ends the archive: its reading tells too
		}
	}
}

// tarFile walks the entry h of the tar archive s of size bytes, whose data
// starts at off; readErr is why s's content ends at size, if it ends
// early. It reports whether the archive ends inside the entry.
func (w *walker) tarFile(s *source, sc *scope, ra io.ReaderAt, size int64, readErr error, h *tar.Header, off int64, depth int) (cut bool, err error) {
	name := mask.Secrets(strings.TrimPrefix(strings.ReplaceAll(h.Name, `\`, "/"), "./"))
	p := sc.unique(s.path + "!/" + name)
	mod := h.ModTime
	switch h.Typeflag {
	case tar.TypeDir, tar.TypeXGlobalHeader:
		return false, nil
	case tar.TypeReg, tar.TypeCont: // archive/tar reads the '\x00' of old archives as TypeReg
	case tar.TypeSymlink, tar.TypeLink:
		return false, w.yieldErr(p, -1, mod, fmt.Errorf("link to %q, not followed", h.Linkname))
	case tar.TypeGNUSparse:
		return false, w.yieldErr(p, h.Size, mod, errors.New("sparse tar entry, not supported"))
	default:
		return false, w.yieldErr(p, -1, mod, fmt.Errorf("not a regular file (tar type %q)", h.Typeflag))
	}
	if name == "" || strings.HasSuffix(name, "/") {
		return false, nil
	}
	if h.Size > w.opt.MaxEntrySize {
		return false, w.yieldErr(p, h.Size, mod, fmt.Errorf("declared size of %d bytes %w of %d bytes",
			h.Size, ErrTooLarge, w.opt.MaxEntrySize))
	}
	avail := min(h.Size, size-off)
	cut = avail < h.Size
	if cut && (errors.Is(readErr, ErrRatio) || errors.Is(readErr, ErrBudget) || errors.Is(readErr, ErrTooLarge)) {
		// A bomb, as a zip's entry whose declared size passes a limit: not
		// read at all. A gzip cut short is read as far as it goes.
		return true, w.yieldErr(p, h.Size, mod, fmt.Errorf(
			"not read: the archive stops at byte %d of the %d this entry declares: %w", avail, h.Size, readErr))
	}
	base := share(uint64(avail), s.base, size)
	limit, over := w.limit(base)
	if avail > limit {
		return false, w.yieldErr(p, h.Size, mod, over)
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
	child := &source{path: p, name: path.Base(name), size: avail, base: base, modTime: mod, open: open, openSeeker: openSeeker}
	if !cut {
		child.ra = io.NewSectionReader(ra, off, avail)
	}
	return cut, w.source(child, depth)
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
